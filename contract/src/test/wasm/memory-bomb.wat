;; rate grows memory until growth fails, then traps, like a model that runs out of heap.
;; The module declares no maximum: only the rater's cap stops it.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "rate") (param i32 i32) (result i64)
    (loop $grow
      (br_if $grow (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
    unreachable))
