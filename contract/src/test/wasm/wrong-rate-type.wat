;; rate returns i32 instead of the packed i64.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "rate") (param i32 i32) (result i32) (i32.const 0)))
