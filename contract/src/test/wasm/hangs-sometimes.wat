;; Rates 700 like constant-a, but loops for ever on every input whose length is a multiple of 4: a
;; model that is quick on most inputs and, on some no longer than those, runs to its time limit.
(module
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 4096))
  (data (i32.const 16) "{\"rating\":700,\"version\":\"w\"}")
  (func (export "alloc") (param $len i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $len)))
    (local.get $p))
  (func (export "rate") (param $ptr i32) (param $len i32) (result i64)
    (global.set $heap (i32.const 4096))
    (if (i32.eqz (i32.rem_u (local.get $len) (i32.const 4)))
      (then (loop $forever (br $forever))))
    (i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const 28))))
