;; A rating model that is broken on purpose: it follows the ABI's shape, so it validates and is
;; served, and every call of rate traps. Point a tenant at it to see an availability SLO burn and
;; its alert fire (README: "Alerts").
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param $len i32) (result i32)
    i32.const 1024)
  (func (export "rate") (param $ptr i32) (param $len i32) (result i64)
    unreachable))
