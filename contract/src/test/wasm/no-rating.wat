;; Returns a constant output: {"score":700}
(module
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 4096))
  (data (i32.const 16) "{\"score\":700}")
  (func (export "alloc") (param $len i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $len)))
    (local.get $p))
  (func (export "rate") (param $ptr i32) (param $len i32) (result i64)
    (global.set $heap (i32.const 4096))
    (i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const 13))))
