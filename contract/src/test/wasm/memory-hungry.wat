;; Needs 30 MiB for every call: rate grows memory to 480 pages (if its instance has not yet), then
;; returns {"rating":1}. Under concurrent calls each instance holds its own 30 MiB.
(module
  (memory (export "memory") 1)
  (data (i32.const 16) "{\"rating\":1}")
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "rate") (param i32 i32) (result i64)
    (if (i32.lt_u (memory.size) (i32.const 480))
      (then
        (if (i32.eq (memory.grow (i32.sub (i32.const 480) (memory.size))) (i32.const -1))
          (then unreachable))))
    (i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const 12))))
