;; rate recurses without end.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func $rate (export "rate") (param i32 i32) (result i64)
    (call $rate (local.get 0) (local.get 1))))
