;; Runs a start function at instantiation: not allowed.
(module
  (memory (export "memory") 1)
  (func $init)
  (start $init)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "rate") (param i32 i32) (result i64) (i64.const 0)))
