;; rate asks for 2,048 pages (128 MiB) in one memory.grow and returns {"rating":1}: zeroing that
;; much takes far longer than a millisecond, so a short time limit must stop it mid-grow.
(module
  (memory (export "memory") 1)
  (data (i32.const 16) "{\"rating\":1}")
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "rate") (param i32 i32) (result i64)
    (drop (memory.grow (i32.const 2048)))
    (i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const 12))))
