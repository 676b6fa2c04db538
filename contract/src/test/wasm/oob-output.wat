;; rate returns an output pointer far outside its 64 KiB memory.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "rate") (param i32 i32) (result i64)
    (i64.or (i64.shl (i64.const 0x7fff0000) (i64.const 32)) (i64.const 64))))
