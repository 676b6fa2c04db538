// risk-tier: example clawrate rating model (Wasm rating ABI v1), AssemblyScript.
//
// Prices a secured loan into tiers A (best) .. E (worst) from the applicant's
// credit score and the loan-to-value ratio, and returns the tier as a rating
// where higher is better: A = 5, B = 4, C = 3, D = 2, E = 1.
//
// The code deliberately uses no managed objects (no string concatenation, no
// arrays, no number-to-string): input is scanned in place and output bytes are
// written straight into linear memory, so the "stub" runtime never allocates.
// Memory is a bump arena above __heap_base, reset at the start of every rate()
// call (to just past the input) and by the first alloc() after a rate() call.

// ---------------------------------------------------------------------------
// Arena
// ---------------------------------------------------------------------------

let arenaTop: usize = 0;
let ratedSinceAlloc: bool = false;

function take(len: usize): usize {
  const p: usize = (arenaTop + 7) & ~(<usize>7);
  const end: usize = p + len;
  if (end < p) return 0;
  const have: usize = (<usize>memory.size()) << 16;
  if (end > have) {
    const need = <i32>((end - have + 0xffff) >>> 16);
    if (memory.grow(need) < 0) return 0;
  }
  arenaTop = end;
  return p;
}

export function alloc(len: i32): usize {
  if (arenaTop == 0 || ratedSinceAlloc) {
    arenaTop = __heap_base;
    ratedSinceAlloc = false;
  }
  if (len < 0) return 0;
  return take(<usize>len);
}

// Nothing to free: the arena is recycled wholesale.
export function dealloc(ptr: usize, len: i32): void {}

// ---------------------------------------------------------------------------
// JSON scanning: validate the whole document once, then look keys up in place
// ---------------------------------------------------------------------------

const MAX_DEPTH = 64;

let J: usize = 0; // document
let JN: i32 = 0; // its length
let errAt: i32 = -1;
let errDepth: bool = false;

// @ts-ignore: decorator
@inline function ch(i: i32): i32 {
  return <i32>load<u8>(J + <usize>i);
}

function isWs(c: i32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d;
}
function isDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}
function isHex(c: i32): bool {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}
function hexVal(c: i32): i32 {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10;
}

function ws(i: i32): i32 {
  while (i < JN && isWs(ch(i))) i++;
  return i;
}

function fail(i: i32): i32 {
  if (errAt < 0) errAt = i;
  return -1;
}

function literal(i: i32, word: string): i32 {
  for (let k = 0; k < word.length; k++, i++) {
    if (i >= JN || ch(i) != word.charCodeAt(k)) return fail(i);
  }
  return i;
}

function scanString(i: i32): i32 {
  i++;
  while (i < JN) {
    const c = ch(i);
    if (c == 0x22) return i + 1;
    if (c < 0x20) return fail(i);
    if (c == 0x5c) {
      if (i + 1 >= JN) return fail(i);
      const e = ch(i + 1);
      if (e == 0x75) { // u
        if (i + 5 >= JN) return fail(i);
        for (let k = 2; k < 6; k++) if (!isHex(ch(i + k))) return fail(i + k);
        i += 6;
      } else if (e == 0x22 || e == 0x5c || e == 0x2f || e == 0x62 || e == 0x66 ||
                 e == 0x6e || e == 0x72 || e == 0x74) {
        i += 2;
      } else {
        return fail(i + 1);
      }
    } else {
      i++;
    }
  }
  return fail(i);
}

function scanNumber(i: i32): i32 {
  if (i < JN && ch(i) == 0x2d) i++;
  if (i >= JN) return fail(i);
  if (ch(i) == 0x30) i++;
  else if (ch(i) >= 0x31 && ch(i) <= 0x39) { while (i < JN && isDigit(ch(i))) i++; }
  else return fail(i);
  if (i < JN && ch(i) == 0x2e) {
    i++;
    if (i >= JN || !isDigit(ch(i))) return fail(i);
    while (i < JN && isDigit(ch(i))) i++;
  }
  if (i < JN && (ch(i) == 0x65 || ch(i) == 0x45)) {
    i++;
    if (i < JN && (ch(i) == 0x2b || ch(i) == 0x2d)) i++;
    if (i >= JN || !isDigit(ch(i))) return fail(i);
    while (i < JN && isDigit(ch(i))) i++;
  }
  return i;
}

function scanValue(i: i32, depth: i32): i32 {
  if (i >= JN) return fail(i);
  const c = ch(i);
  if (c == 0x7b || c == 0x5b) { // { [
    if (depth >= MAX_DEPTH) { errDepth = true; return fail(i); }
    const close = c == 0x7b ? 0x7d : 0x5d;
    i = ws(i + 1);
    if (i < JN && ch(i) == close) return i + 1;
    while (true) {
      if (c == 0x7b) {
        if (i >= JN || ch(i) != 0x22) return fail(i);
        i = scanString(i);
        if (i < 0) return -1;
        i = ws(i);
        if (i >= JN || ch(i) != 0x3a) return fail(i);
        i = ws(i + 1);
      }
      i = scanValue(i, depth + 1);
      if (i < 0) return -1;
      i = ws(i);
      if (i < JN && ch(i) == 0x2c) { i = ws(i + 1); continue; }
      if (i < JN && ch(i) == close) return i + 1;
      return fail(i);
    }
  }
  if (c == 0x22) return scanString(i);
  if (c == 0x74) return literal(i, "true");
  if (c == 0x66) return literal(i, "false");
  if (c == 0x6e) return literal(i, "null");
  if (c == 0x2d || isDigit(c)) return scanNumber(i);
  return fail(i);
}

// Skips a value of the already-validated document.
function skipValue(i: i32): i32 {
  let c = ch(i);
  if (c == 0x22) {
    i++;
    while (ch(i) != 0x22) i += ch(i) == 0x5c ? 2 : 1;
    return i + 1;
  }
  if (c == 0x7b || c == 0x5b) {
    let depth = 0;
    while (true) {
      c = ch(i);
      if (c == 0x22) { i = skipValue(i); continue; }
      if (c == 0x7b || c == 0x5b) depth++;
      else if (c == 0x7d || c == 0x5d) { if (--depth == 0) return i + 1; }
      i++;
    }
  }
  while (i < JN) {
    c = ch(i);
    if (isWs(c) || c == 0x2c || c == 0x7d || c == 0x5d) break;
    i++;
  }
  return i;
}

// Does the string token at i (opening quote) decode to the ASCII key?
function keyEquals(i: i32, key: string): bool {
  i++;
  let k = 0;
  while (true) {
    const c = ch(i);
    let cp: i32;
    if (c == 0x22) return k == key.length;
    if (c == 0x5c) {
      const e = ch(i + 1);
      if (e == 0x75) {
        cp = (hexVal(ch(i + 2)) << 12) | (hexVal(ch(i + 3)) << 8) | (hexVal(ch(i + 4)) << 4) | hexVal(ch(i + 5));
        i += 6;
      } else {
        cp = e == 0x62 ? 8 : e == 0x66 ? 12 : e == 0x6e ? 10 : e == 0x72 ? 13 : e == 0x74 ? 9 : e;
        i += 2;
      }
    } else {
      cp = c;
      i++;
    }
    if (k >= key.length || cp != key.charCodeAt(k)) return false;
    k++;
  }
}

// Value index of the LAST member named key in the object at obj, or -1.
function get(obj: i32, key: string): i32 {
  let found = -1;
  let i = ws(obj + 1);
  if (ch(i) == 0x7d) return -1;
  while (true) {
    const match = keyEquals(i, key);
    i = ws(skipValue(i)); // key
    i = ws(i + 1); // ':'
    if (match) found = i;
    i = ws(skipValue(i)); // value
    if (ch(i) == 0x7d) return found;
    i = ws(i + 1); // ','
  }
}

function pow10(k: i32): f64 {
  let v: f64 = 1.0;
  for (let n = 0; n < k; n++) v *= 10.0; // exact for k <= 22
  return v;
}

// Number token -> f64; correctly rounded when the digits fit in 2^53 and the
// decimal exponent is within +-22, within a few ulps otherwise.
function parseNumber(i: i32): f64 {
  let neg = false;
  let m: u64 = 0;
  let dexp: i32 = 0;
  let sig: i32 = 0;
  if (ch(i) == 0x2d) { neg = true; i++; }
  while (i < JN && isDigit(ch(i))) {
    if (sig < 19) { m = m * 10 + <u64>(ch(i) - 0x30); if (m != 0) sig++; }
    else dexp++;
    i++;
  }
  if (i < JN && ch(i) == 0x2e) {
    i++;
    while (i < JN && isDigit(ch(i))) {
      if (sig < 19) { m = m * 10 + <u64>(ch(i) - 0x30); if (m != 0) sig++; dexp--; }
      i++;
    }
  }
  if (i < JN && (ch(i) == 0x65 || ch(i) == 0x45)) {
    let eneg = false;
    let ev: i32 = 0;
    i++;
    if (ch(i) == 0x2b || ch(i) == 0x2d) { eneg = ch(i) == 0x2d; i++; }
    while (i < JN && isDigit(ch(i))) { if (ev < 100000) ev = ev * 10 + (ch(i) - 0x30); i++; }
    dexp += eneg ? -ev : ev;
  }
  let v: f64;
  if (m == 0) v = 0.0;
  else if (m <= (<u64>1 << 53) && dexp >= -22 && dexp <= 22) {
    v = dexp >= 0 ? <f64>m * pow10(dexp) : <f64>m / pow10(-dexp);
  } else {
    v = <f64>m;
    while (dexp > 0 && v < 1e308) { const k = dexp > 22 ? 22 : dexp; v *= pow10(k); dexp -= k; }
    while (dexp < 0 && v > 0.0) { const k = -dexp > 22 ? 22 : -dexp; v /= pow10(k); dexp += k; }
  }
  return neg ? -v : v;
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

const OUT_CAP: i32 = 1024;
let out: usize = 0;
let outN: i32 = 0;

function putByte(c: i32): void {
  if (outN < OUT_CAP) { store<u8>(out + <usize>outN, <u8>c); outN++; }
}

function put(s: string): void {
  for (let k = 0; k < s.length; k++) putByte(s.charCodeAt(k));
}

function putInt(v: i64): void {
  if (v < 0) { putByte(0x2d); v = -v; }
  let div: i64 = 1;
  while (div <= v / 10) div *= 10;
  while (div > 0) { putByte(0x30 + <i32>((v / div) % 10)); div /= 10; }
}

// x rounded half-up to `decimals` places, printed with exactly that many.
function putFixed(x: f64, decimals: i32): void {
  const scale = pow10(decimals);
  let r = Math.floor(x * scale + 0.5);
  if (r < 0) { putByte(0x2d); r = -r; }
  const whole = <i64>Math.floor(r / scale);
  const frac = <i64>(r - <f64>whole * scale);
  putInt(whole);
  putByte(0x2e);
  let p = <i64>scale / 10;
  while (p > 0) { putByte(0x30 + <i32>((frac / p) % 10)); p /= 10; }
}

function finish(): i64 {
  ratedSinceAlloc = true;
  return (<i64>out << 32) | <i64>outN;
}

// {"error":"<a><b><c>"}; all parts are ASCII without quotes.
function error3(a: string, b: string, c: string): i64 {
  outN = 0;
  put('{"error":"');
  put(a);
  put(b);
  put(c);
  put('"}');
  return finish();
}

// ---------------------------------------------------------------------------
// Field validation
// ---------------------------------------------------------------------------

let fieldValue: f64 = 0;
let fieldPresent: bool = false;
let fieldError: i64 = 0;

// Reads obj.key into fieldValue/fieldPresent. Returns true (with fieldError
// set to the finished error output) when the request must be rejected.
function readField(obj: i32, prefix: string, key: string, required: bool,
                   min: f64, max: f64, integer: bool, rangeMsg: string): bool {
  fieldPresent = false;
  const i = obj < 0 ? -1 : get(obj, key);
  if (i < 0 || ch(i) == 0x6e) { // missing or null
    if (!required) return false;
    fieldError = error3(prefix, key, " is required");
    return true;
  }
  const c = ch(i);
  if (c != 0x2d && !isDigit(c)) {
    fieldError = error3(prefix, key, " must be a number");
    return true;
  }
  const v = parseNumber(i);
  if (!(v >= min && v <= max) || (integer && Math.floor(v) != v)) {
    fieldError = error3(prefix, key, rangeMsg);
    return true;
  }
  fieldValue = v;
  fieldPresent = true;
  return false;
}

// ---------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------

function spreadBps(tierIndex: i32): i32 {
  switch (tierIndex) {
    case 0: return 0;
    case 1: return 75;
    case 2: return 150;
    case 3: return 300;
    default: return 600;
  }
}

export function rate(ptr: usize, len: i32): i64 {
  // Reset the arena to just past the input; the output goes above it.
  const inEnd = ptr + <usize>len;
  arenaTop = inEnd > __heap_base ? inEnd : __heap_base;
  out = take(<usize>OUT_CAP);
  outN = 0;
  if (out == 0) unreachable();

  J = ptr;
  JN = len;
  errAt = -1;
  errDepth = false;

  const root = ws(0);
  let end = scanValue(root, 0);
  if (end >= 0 && ws(end) != JN) end = fail(ws(end));
  if (end < 0) {
    outN = 0;
    put('{"error":"invalid JSON');
    if (errDepth) put(" (nesting deeper than 64 levels)");
    put(" at byte ");
    putInt(errAt);
    put('"}');
    return finish();
  }
  if (ch(root) != 0x7b) return error3("request must be a JSON object", "", "");

  // Parameters (optional object; absent or null members use defaults).
  let params = get(root, "parameters");
  if (params >= 0 && ch(params) == 0x6e) params = -1;
  if (params >= 0 && ch(params) != 0x7b) return error3("parameters must be an object", "", "");
  let maxLtv: f64 = 0.95;
  let baseRateBps: f64 = 500;
  if (readField(params, "parameters.", "maxLtv", false, 0.1, 2, false, " must be between 0.1 and 2")) return fieldError;
  if (fieldPresent) maxLtv = fieldValue;
  if (readField(params, "parameters.", "baseRateBps", false, 0, 5000, true, " must be an integer between 0 and 5000")) return fieldError;
  if (fieldPresent) baseRateBps = fieldValue;

  // Input.
  const input = get(root, "input");
  if (input < 0 || ch(input) == 0x6e) return error3("input is required", "", "");
  if (ch(input) != 0x7b) return error3("input must be an object", "", "");
  if (readField(input, "input.", "loanAmount", true, 1, 1e9, false, " must be between 1 and 1000000000")) return fieldError;
  const loanAmount = fieldValue;
  if (readField(input, "input.", "collateralValue", true, 1, 1e10, false, " must be between 1 and 10000000000")) return fieldError;
  const collateralValue = fieldValue;
  if (readField(input, "input.", "creditScore", true, 300, 850, true, " must be an integer between 300 and 850")) return fieldError;
  const creditScore = fieldValue;

  const ltv = loanAmount / collateralValue;

  let scoreIndex: i32;
  if (creditScore >= 760) scoreIndex = 0;
  else if (creditScore >= 700) scoreIndex = 1;
  else if (creditScore >= 650) scoreIndex = 2;
  else if (creditScore >= 600) scoreIndex = 3;
  else scoreIndex = 4;

  let ltvAdjustment: i32;
  if (ltv < 0.6) ltvAdjustment = -1;
  else if (ltv < 0.8) ltvAdjustment = 0;
  else if (ltv < 0.9) ltvAdjustment = 1;
  else ltvAdjustment = 2;

  let tier = scoreIndex + ltvAdjustment;
  if (tier < 0) tier = 0;
  if (tier > 4) tier = 4;
  const maxLtvExceeded = ltv > maxLtv;
  if (maxLtvExceeded) tier = 4;

  outN = 0;
  put('{"rating":');
  putInt(5 - tier);
  put(',"tier":"');
  putByte(0x41 + tier);
  put('","ltv":');
  putFixed(ltv, 4);
  put(',"interestRateBps":');
  putInt(<i64>baseRateBps + spreadBps(tier));
  put(',"maxLtvExceeded":');
  put(maxLtvExceeded ? "true" : "false");
  put(',"model":"risk-tier","modelVersion":"1.0.0"}');
  return finish();
}
