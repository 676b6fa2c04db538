;; Rates 700 like constant-a after counting down from two million: a millisecond or so as
;; compiled code, around a second in Chicory's interpreter, so a time limit between the two tells
;; whether a call ran on compiled code.
(module
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 4096))
  (global $sink (mut i32) (i32.const 0))
  (data (i32.const 16) "{\"rating\":700,\"version\":\"c\"}")
  (func (export "alloc") (param $len i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $len)))
    (local.get $p))
  (func (export "rate") (param $ptr i32) (param $len i32) (result i64)
    (local $n i32)
    (global.set $heap (i32.const 4096))
    (local.set $n (i32.const 2000000))
    (loop $spin
      (global.set $sink (i32.add (global.get $sink) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $spin (local.get $n)))
    (i64.or (i64.shl (i64.const 16) (i64.const 32)) (i64.const 28))))
