/*
 * credit-scorecard: example clawrate rating model (Wasm rating ABI v1).
 *
 * A points-based application scorecard. Every attribute falls into exactly one
 * bin and earns that bin's points; the total is turned into good:bad odds and a
 * probability of default, and scaled into a rating with the tenant's
 * baseScore / baseOdds / pdo parameters. See ../README.md for the bin table.
 *
 * Freestanding C: no libc, no imports. Build (see ../../build-models.sh):
 *   clang --target=wasm32 -nostdlib -ffreestanding -fno-builtin -O2 \
 *         -Wl,--no-entry -Wl,--stack-first -Wl,-z,stack-size=16384 \
 *         -Wl,--initial-memory=131072 -o credit-scorecard.wasm credit-scorecard.c
 *
 * Memory: a bump arena above __heap_base. alloc() hands out arena space; the
 * arena is reset at the start of every rate() call (to just past the input
 * buffer) and again by the first alloc() after a rate() call, so memory use is
 * bounded by the largest single request, however many calls an instance serves.
 */

typedef unsigned char u8;
typedef unsigned int u32;
typedef int i32;
typedef long long i64;
typedef unsigned long long u64;

#define EXPORT(name) __attribute__((export_name(name)))

/* ------------------------------------------------------------------------ */
/* Arena                                                                    */
/* ------------------------------------------------------------------------ */

extern u8 __heap_base;

static u32 arena_top;      /* next free byte; 0 = not initialised yet */
static int rated_since_alloc; /* a rate() call happened since the last alloc() */

static u32 align8(u32 p) { return (p + 7u) & ~7u; }

/* Returns p, or 0 if memory could not be grown. */
static u32 arena_take(u32 len) {
    u32 p = align8(arena_top);
    u32 end = p + len;
    if (end < p) return 0; /* overflow */
    u32 have = (u32)__builtin_wasm_memory_size(0) * 65536u;
    if (end > have) {
        u32 need = (end - have + 65535u) / 65536u;
        if (__builtin_wasm_memory_grow(0, need) == (unsigned long)-1) return 0;
    }
    arena_top = end;
    return p;
}

EXPORT("alloc")
u32 alloc(i32 len) {
    if (arena_top == 0 || rated_since_alloc) {
        arena_top = (u32)&__heap_base;
        rated_since_alloc = 0;
    }
    if (len < 0) return 0;
    return arena_take((u32)len);
}

/* Nothing to do: the arena is recycled wholesale (see top of file). */
EXPORT("dealloc")
void dealloc(i32 ptr, i32 len) { (void)ptr; (void)len; }

/* ------------------------------------------------------------------------ */
/* Math (no libc): floor comes from the f64.floor instruction               */
/* ------------------------------------------------------------------------ */

#define LN2 0.6931471805599453

static double fl(double x) { return __builtin_floor(x); }

static u64 bits_of(double d) { union { double d; u64 u; } v; v.d = d; return v.u; }
static double double_of(u64 u) { union { double d; u64 u; } v; v.u = u; return v.d; }

/* Natural log for finite x > 0: x = m * 2^e with m in [sqrt(1/2), sqrt(2)),
 * ln(m) = 2*atanh(s), s = (m-1)/(m+1), |s| <= 0.1716. */
static double nat_log(double x) {
    u64 b = bits_of(x);
    int e = (int)((b >> 52) & 0x7ff);
    if (e == 0) { /* subnormal: normalise */
        x *= 18014398509481984.0; /* 2^54 */
        b = bits_of(x);
        e = (int)((b >> 52) & 0x7ff) - 54;
    }
    e -= 1023;
    double m = double_of((b & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL); /* [1,2) */
    if (m > 1.4142135623730951) { m *= 0.5; e += 1; }
    double s = (m - 1.0) / (m + 1.0);
    double s2 = s * s;
    /* 2*(s + s^3/3 + s^5/5 + ... + s^27/27), evaluated Horner-style */
    double sum = 1.0 / 27.0;
    for (int k = 25; k >= 1; k -= 2) sum = sum * s2 + 1.0 / (double)k;
    return (double)e * LN2 + 2.0 * s * sum;
}

/* 2^y for |y| < 1000. */
static double pow2(double y) {
    double n = fl(y);
    double f = (y - n) * LN2; /* in [0, ln 2) */
    double term = 1.0, sum = 1.0;
    for (int k = 1; k <= 24; k++) { term *= f / (double)k; sum += term; }
    int ni = (int)n;
    /* scale by 2^ni, staying in the normal range for the inputs we use */
    return sum * double_of((u64)(ni + 1023) << 52);
}

/* ------------------------------------------------------------------------ */
/* JSON scanning (validate once, then look up keys in place)                */
/* ------------------------------------------------------------------------ */

#define MAX_DEPTH 64

static const u8 *J;  /* document */
static i32 JN;       /* its length */
static i32 jerr_at;  /* offset of the first syntax error */
static int jerr_depth;

static int is_ws(u8 c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int is_digit(u8 c) { return c >= '0' && c <= '9'; }
static int is_hex(u8 c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int hexval(u8 c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

static i32 ws(i32 i) { while (i < JN && is_ws(J[i])) i++; return i; }

static i32 fail(i32 i) { if (jerr_at < 0) jerr_at = i; return -1; }

static i32 lit(i32 i, const char *w) {
    for (; *w; w++, i++) if (i >= JN || J[i] != (u8)*w) return fail(i);
    return i;
}

/* i at opening quote; returns index after closing quote. */
static i32 scan_string(i32 i) {
    i++;
    while (i < JN) {
        u8 c = J[i];
        if (c == '"') return i + 1;
        if (c < 0x20) return fail(i);
        if (c == '\\') {
            if (i + 1 >= JN) return fail(i);
            u8 e = J[i + 1];
            if (e == 'u') {
                if (i + 5 >= JN) return fail(i);
                for (int k = 2; k < 6; k++) if (!is_hex(J[i + k])) return fail(i + k);
                i += 6;
            } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' ||
                       e == 'n' || e == 'r' || e == 't') {
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

static i32 scan_number(i32 i) {
    if (i < JN && J[i] == '-') i++;
    if (i >= JN) return fail(i);
    if (J[i] == '0') i++;
    else if (J[i] >= '1' && J[i] <= '9') { while (i < JN && is_digit(J[i])) i++; }
    else return fail(i);
    if (i < JN && J[i] == '.') {
        i++;
        if (i >= JN || !is_digit(J[i])) return fail(i);
        while (i < JN && is_digit(J[i])) i++;
    }
    if (i < JN && (J[i] == 'e' || J[i] == 'E')) {
        i++;
        if (i < JN && (J[i] == '+' || J[i] == '-')) i++;
        if (i >= JN || !is_digit(J[i])) return fail(i);
        while (i < JN && is_digit(J[i])) i++;
    }
    return i;
}

/* i at first byte of a value (no leading whitespace); returns index after it. */
static i32 scan_value(i32 i, int depth) {
    if (i >= JN) return fail(i);
    u8 c = J[i];
    if (c == '{' || c == '[') {
        if (depth >= MAX_DEPTH) { jerr_depth = 1; return fail(i); }
        u8 close = c == '{' ? '}' : ']';
        i = ws(i + 1);
        if (i < JN && J[i] == close) return i + 1;
        for (;;) {
            if (c == '{') {
                if (i >= JN || J[i] != '"') return fail(i);
                i = scan_string(i);
                if (i < 0) return -1;
                i = ws(i);
                if (i >= JN || J[i] != ':') return fail(i);
                i = ws(i + 1);
            }
            i = scan_value(i, depth + 1);
            if (i < 0) return -1;
            i = ws(i);
            if (i < JN && J[i] == ',') { i = ws(i + 1); continue; }
            if (i < JN && J[i] == close) return i + 1;
            return fail(i);
        }
    }
    if (c == '"') return scan_string(i);
    if (c == 't') return lit(i, "true");
    if (c == 'f') return lit(i, "false");
    if (c == 'n') return lit(i, "null");
    if (c == '-' || is_digit(c)) return scan_number(i);
    return fail(i);
}

/* Skips a value of an already-validated document. */
static i32 skip_value(i32 i) {
    u8 c = J[i];
    if (c == '"') {
        i++;
        while (J[i] != '"') i += (J[i] == '\\') ? 2 : 1;
        return i + 1;
    }
    if (c == '{' || c == '[') {
        int depth = 0;
        for (;;) {
            c = J[i];
            if (c == '"') { i = skip_value(i); continue; }
            if (c == '{' || c == '[') depth++;
            else if (c == '}' || c == ']') { if (--depth == 0) return i + 1; }
            i++;
        }
    }
    while (i < JN && !is_ws(J[i]) && J[i] != ',' && J[i] != '}' && J[i] != ']') i++;
    return i;
}

/* Does the string token at i (opening quote) decode to the ASCII key? */
static int key_equals(i32 i, const char *key) {
    i++;
    for (;;) {
        u8 c = J[i];
        u32 cp;
        if (c == '"') return *key == 0;
        if (c == '\\') {
            u8 e = J[i + 1];
            if (e == 'u') {
                cp = (u32)(hexval(J[i + 2]) << 12 | hexval(J[i + 3]) << 8 |
                           hexval(J[i + 4]) << 4 | hexval(J[i + 5]));
                i += 6;
            } else {
                cp = e == 'b' ? 8 : e == 'f' ? 12 : e == 'n' ? 10 : e == 'r' ? 13 : e == 't' ? 9 : e;
                i += 2;
            }
        } else {
            cp = c;
            i++;
        }
        if (*key == 0 || cp != (u32)(u8)*key) return 0;
        key++;
    }
}

/* Value index of the LAST member named key in the object at obj, or -1, by
 * scanning the object. */
static i32 get_by_scan(i32 obj, const char *key) {
    i32 found = -1;
    i32 i = ws(obj + 1);
    if (J[i] == '}') return -1;
    for (;;) {
        int match = key_equals(i, key);
        i = ws(skip_value(i));   /* key */
        i = ws(i + 1);           /* ':' */
        if (match) found = i;
        i = ws(skip_value(i));   /* value */
        if (J[i] == '}') return found;
        i = ws(i + 1);           /* ',' */
    }
}

/* Each object a rating reads (the request, its input, its parameters) is walked
 * once and its members remembered, instead of once per field looked up. */
#define INDEXED_OBJECTS 4
#define INDEXED_MEMBERS 48
typedef struct {
    i32 obj;
    int n;
    int overflow;
    i32 key[INDEXED_MEMBERS];
    i32 val[INDEXED_MEMBERS];
} MemberIndex;
static MemberIndex indexes[INDEXED_OBJECTS];
static int indexes_used;

static MemberIndex *index_of(i32 obj) {
    for (int n = 0; n < indexes_used; n++)
        if (indexes[n].obj == obj) return &indexes[n];
    if (indexes_used == INDEXED_OBJECTS) return 0;
    MemberIndex *x = &indexes[indexes_used++];
    x->obj = obj;
    x->n = 0;
    x->overflow = 0;
    i32 i = ws(obj + 1);
    if (J[i] == '}') return x;
    for (;;) {
        i32 k = i;
        i = ws(skip_value(i));   /* key */
        i = ws(i + 1);           /* ':' */
        if (x->n < INDEXED_MEMBERS) {
            x->key[x->n] = k;
            x->val[x->n] = i;
            x->n++;
        } else {
            x->overflow = 1;
        }
        i = ws(skip_value(i));   /* value */
        if (J[i] == '}') return x;
        i = ws(i + 1);           /* ',' */
    }
}

/* Value index of the LAST member named key in the object at obj, or -1. */
static i32 get(i32 obj, const char *key) {
    MemberIndex *x = index_of(obj);
    if (!x || x->overflow) return get_by_scan(obj, key);
    for (int n = x->n - 1; n >= 0; n--)
        if (key_equals(x->key[n], key)) return x->val[n];
    return -1;
}

static const double POW10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Number token at i -> double. Exact (correctly rounded) whenever the digits
 * fit in 2^53 and the decimal exponent is within +-22, which covers every
 * realistic input; otherwise within a few ulps. */
static double parse_number(i32 i) {
    int neg = 0;
    u64 m = 0;
    int dexp = 0, sig = 0;
    if (J[i] == '-') { neg = 1; i++; }
    while (i < JN && is_digit(J[i])) {
        if (sig < 19) { m = m * 10 + (u64)(J[i] - '0'); if (m) sig++; }
        else dexp++;
        i++;
    }
    if (i < JN && J[i] == '.') {
        i++;
        while (i < JN && is_digit(J[i])) {
            if (sig < 19) { m = m * 10 + (u64)(J[i] - '0'); if (m) sig++; dexp--; }
            i++;
        }
    }
    if (i < JN && (J[i] == 'e' || J[i] == 'E')) {
        int eneg = 0, ev = 0;
        i++;
        if (J[i] == '+' || J[i] == '-') { eneg = J[i] == '-'; i++; }
        while (i < JN && is_digit(J[i])) { if (ev < 100000) ev = ev * 10 + (J[i] - '0'); i++; }
        dexp += eneg ? -ev : ev;
    }
    double v;
    if (m == 0) v = 0.0;
    else if (m <= (1ULL << 53) && dexp >= -22 && dexp <= 22)
        v = dexp >= 0 ? (double)m * POW10[dexp] : (double)m / POW10[-dexp];
    else {
        v = (double)m;
        while (dexp > 0 && v < 1e308) { int k = dexp > 22 ? 22 : dexp; v *= POW10[k]; dexp -= k; }
        while (dexp < 0 && v > 0.0) { int k = -dexp > 22 ? 22 : -dexp; v /= POW10[k]; dexp += k; }
    }
    return neg ? -v : v;
}

/* ------------------------------------------------------------------------ */
/* Output                                                                   */
/* ------------------------------------------------------------------------ */

#define OUT_CAP 2048
static u8 *out;
static i32 outn;

static void put(const char *s) { while (*s && outn < OUT_CAP) out[outn++] = (u8)*s++; }
static void putc_(char c) { if (outn < OUT_CAP) out[outn++] = (u8)c; }

static void put_int(i64 v) {
    char buf[24];
    int n = 0;
    u64 u;
    if (v < 0) { putc_('-'); u = (u64)(-(v + 1)) + 1; } else u = (u64)v;
    do { buf[n++] = (char)('0' + u % 10); u /= 10; } while (u);
    while (n) putc_(buf[--n]);
}

/* x rounded half-up to `decimals` places, printed with exactly that many. */
static void put_fixed(double x, int decimals) {
    double scale = POW10[decimals];
    double r = fl(x * scale + 0.5);
    if (r < 0) { putc_('-'); r = -r; }
    i64 whole = (i64)fl(r / scale);
    i64 frac = (i64)(r - (double)whole * scale);
    put_int(whole);
    putc_('.');
    for (int d = decimals - 1; d >= 0; d--) {
        i64 p = (i64)POW10[d];
        putc_((char)('0' + (frac / p) % 10));
    }
}

static u64 finish(void) {
    rated_since_alloc = 1;
    return ((u64)(u32)out << 32) | (u32)outn;
}

/* {"error":"<prefix><field><suffix>"} — all parts are ASCII without quotes. */
static u64 error3(const char *a, const char *b, const char *c) {
    outn = 0;
    put("{\"error\":\"");
    put(a); put(b); put(c);
    put("\"}");
    return finish();
}

/* ------------------------------------------------------------------------ */
/* The scorecard                                                            */
/* ------------------------------------------------------------------------ */

#define REF_POINTS 200.0   /* total points at which good:bad odds are REF_ODDS */
#define REF_ODDS 50.0
#define REF_PDO 20.0       /* points that double the odds, in model points */

enum { AGE, INCOME, DTI, UTIL, DELINQ, HISTORY, ADDRESS, NATTR };

static const char *const ATTR_NAME[NATTR] = {
    "age", "annualIncome", "debtToIncome", "revolvingUtilization",
    "delinquencies24m", "creditHistoryMonths", "monthsAtAddress"};
static const char *const REASON_CODE[NATTR] = {"R01", "R02", "R03", "R04", "R05", "R06", "R07"};
static const char *const REASON_TEXT[NATTR] = {
    "Age band associated with higher risk",
    "Annual income too low",
    "Debt-to-income ratio too high",
    "Revolving credit utilisation too high",
    "Delinquencies in the last 24 months",
    "Credit history too short",
    "Time at current address too short or unknown"};

/* Bins: value v falls into bin k when LOWER[k] <= v < LOWER[k+1]; the first
 * bin is open below and the last open above. */
typedef struct { int n; double lower[6]; int points[6]; } Bins;

static const Bins BINS[NATTR] = {
    /* age */                  {5, {0, 25, 35, 45, 60}, {22, 28, 34, 38, 40}},
    /* annualIncome */         {5, {0, 20000, 40000, 70000, 120000}, {5, 15, 28, 40, 50}},
    /* debtToIncome */         {5, {0, 0.10, 0.20, 0.35, 0.50}, {55, 45, 30, 15, 0}},
    /* revolvingUtilization */ {6, {0, 0.10, 0.30, 0.50, 0.75, 1.00}, {60, 50, 35, 20, 10, 0}},
    /* delinquencies24m */     {4, {0, 1, 2, 3}, {55, 30, 15, 0}},
    /* creditHistoryMonths */  {5, {0, 12, 36, 84, 180}, {5, 15, 30, 40, 48}},
    /* monthsAtAddress */      {4, {0, 6, 24, 60}, {4, 10, 16, 22}},
};
#define ADDRESS_MISSING_POINTS 10

static int bin_points(const Bins *b, double v) {
    int k = 0;
    while (k + 1 < b->n && v >= b->lower[k + 1]) k++;
    return b->points[k];
}

static int max_points(const Bins *b) {
    int m = b->points[0];
    for (int k = 1; k < b->n; k++) if (b->points[k] > m) m = b->points[k];
    return m;
}

static const char *const ERR_REQUIRED = " is required";
static const char *const ERR_NUMBER = " must be a number";

typedef enum { OK, MISSING, NOT_NUMBER } Lookup;

/* Looks up obj.key as a number (null counts as missing). */
static Lookup number_at(i32 obj, const char *key, double *v) {
    if (obj < 0) return MISSING;
    i32 i = get(obj, key);
    if (i < 0 || J[i] == 'n') return MISSING;
    if (J[i] != '-' && !is_digit(J[i])) return NOT_NUMBER;
    *v = parse_number(i);
    return OK;
}

typedef struct {
    const char *key;
    double min, max;
    int integer;
    const char *range_msg; /* suffix used when out of range / not integral */
} Field;

static const Field INPUT_FIELDS[] = {
    {"age", 18, 120, 0, " must be between 18 and 120"},
    {"annualIncome", 1, 1e9, 0, " must be between 1 and 1000000000"},
    {"monthlyDebtPayments", 0, 1e8, 0, " must be between 0 and 100000000"},
    {"revolvingUtilization", 0, 10, 0, " must be between 0 and 10"},
    {"delinquencies24m", 0, 1000, 1, " must be an integer between 0 and 1000"},
    {"creditHistoryMonths", 0, 1200, 1, " must be an integer between 0 and 1200"},
    {"monthsAtAddress", 0, 1200, 1, " must be an integer between 0 and 1200"},
};
enum { F_AGE, F_INCOME, F_DEBT, F_UTIL, F_DELINQ, F_HISTORY, F_ADDRESS, NFIELDS };

static const Field PARAM_FIELDS[] = {
    {"baseScore", 0, 10000, 0, " must be between 0 and 10000"},
    {"baseOdds", 0.001, 1e6, 0, " must be between 0.001 and 1000000"},
    {"pdo", 1, 500, 0, " must be between 1 and 500"},
};

/* Reads one field; returns 0 on success (or optional+absent: *present=0),
 * or emits the error and returns 1. */
static int read_field(i32 obj, const char *prefix, const Field *f, int required,
                      double *v, int *present, u64 *result) {
    Lookup r = number_at(obj, f->key, v);
    *present = r == OK;
    if (r == MISSING) {
        if (!required) return 0;
        *result = error3(prefix, f->key, ERR_REQUIRED);
        return 1;
    }
    if (r == NOT_NUMBER) { *result = error3(prefix, f->key, ERR_NUMBER); return 1; }
    if (!(*v >= f->min && *v <= f->max) || (f->integer && fl(*v) != *v)) {
        *result = error3(prefix, f->key, f->range_msg);
        return 1;
    }
    return 0;
}

EXPORT("rate")
u64 rate(i32 ptr, i32 len) {
    /* Reset the arena to just past the input; the output goes above it. */
    u32 base = (u32)&__heap_base;
    u32 in_end = (u32)ptr + (u32)len;
    arena_top = in_end > base ? in_end : base;
    out = (u8 *)arena_take(OUT_CAP);
    outn = 0;
    if (!out) __builtin_trap();

    J = (const u8 *)ptr;
    JN = len;
    indexes_used = 0;
    jerr_at = -1;
    jerr_depth = 0;

    i32 root = ws(0);
    i32 end = scan_value(root, 0);
    if (end >= 0 && ws(end) != JN) end = fail(ws(end));
    if (end < 0) {
        outn = 0;
        put("{\"error\":\"invalid JSON");
        if (jerr_depth) put(" (nesting deeper than 64 levels)");
        put(" at byte ");
        put_int(jerr_at);
        put("\"}");
        return finish();
    }
    if (J[root] != '{') return error3("request must be a JSON object", "", "");

    u64 result;
    int present;

    /* Parameters (optional object; absent or null members use defaults). */
    double param[3] = {600.0, 50.0, 20.0};
    i32 params = get(root, "parameters");
    if (params >= 0 && J[params] == 'n') params = -1;
    if (params >= 0 && J[params] != '{') return error3("parameters must be an object", "", "");
    for (int k = 0; k < 3; k++) {
        double v;
        if (read_field(params, "parameters.", &PARAM_FIELDS[k], 0, &v, &present, &result)) return result;
        if (present) param[k] = v;
    }
    double base_score = param[0], base_odds = param[1], pdo = param[2];

    /* Input. */
    i32 input = get(root, "input");
    if (input < 0 || J[input] == 'n') return error3("input is required", "", "");
    if (J[input] != '{') return error3("input must be an object", "", "");
    double f[NFIELDS];
    int address_present = 0;
    for (int k = 0; k < NFIELDS; k++) {
        int required = k != F_ADDRESS;
        if (read_field(input, "input.", &INPUT_FIELDS[k], required, &f[k], &present, &result)) return result;
        if (k == F_ADDRESS) address_present = present;
    }

    double dti = f[F_DEBT] * 12.0 / f[F_INCOME];
    double value[NATTR];
    value[AGE] = f[F_AGE];
    value[INCOME] = f[F_INCOME];
    value[DTI] = dti;
    value[UTIL] = f[F_UTIL];
    value[DELINQ] = f[F_DELINQ];
    value[HISTORY] = f[F_HISTORY];
    value[ADDRESS] = address_present ? f[F_ADDRESS] : 0;

    int pts[NATTR], shortfall[NATTR];
    int total = 0;
    for (int a = 0; a < NATTR; a++) {
        pts[a] = (a == ADDRESS && !address_present) ? ADDRESS_MISSING_POINTS
                                                    : bin_points(&BINS[a], value[a]);
        shortfall[a] = max_points(&BINS[a]) - pts[a];
        total += pts[a];
    }

    /* Model: ln(odds) = ln(REF_ODDS) + (total - REF_POINTS) * ln2 / REF_PDO. */
    double steps = ((double)total - REF_POINTS) / REF_PDO; /* log2(odds / REF_ODDS) */
    double odds = REF_ODDS * pow2(steps);
    double pd = 1.0 / (1.0 + odds);

    /* Scaling: rating = baseScore + pdo * log2(odds / baseOdds). */
    double log2_ref_over_base = (nat_log(REF_ODDS) - nat_log(base_odds)) / LN2;
    double scaled = base_score + pdo * (steps + log2_ref_over_base);
    double rating = fl(fl(scaled * 1e6 + 0.5) / 1e6 + 0.5);

    /* Reason codes: largest shortfall first, ties by attribute order. */
    int order[NATTR], nreasons = 0;
    for (int pass = 0; pass < NATTR && nreasons < 4; pass++) {
        int best = -1;
        for (int a = 0; a < NATTR; a++) {
            int used = 0;
            for (int r = 0; r < nreasons; r++) if (order[r] == a) used = 1;
            if (used || shortfall[a] <= 0) continue;
            if (best < 0 || shortfall[a] > shortfall[best]) best = a;
        }
        if (best < 0) break;
        order[nreasons++] = best;
    }

    outn = 0;
    put("{\"rating\":");
    put_int((i64)rating);
    put(",\"probabilityOfDefault\":");
    put_fixed(pd, 6);
    put(",\"totalPoints\":");
    put_int(total);
    put(",\"debtToIncome\":");
    put_fixed(dti, 4);
    put(",\"points\":{");
    for (int a = 0; a < NATTR; a++) {
        if (a) putc_(',');
        putc_('"'); put(ATTR_NAME[a]); put("\":");
        put_int(pts[a]);
    }
    put("},\"reasonCodes\":[");
    for (int r = 0; r < nreasons; r++) {
        if (r) putc_(',');
        putc_('"'); put(REASON_CODE[order[r]]); putc_('"');
    }
    put("],\"reasons\":[");
    for (int r = 0; r < nreasons; r++) {
        if (r) putc_(',');
        putc_('"'); put(REASON_TEXT[order[r]]); putc_('"');
    }
    put("],\"model\":\"credit-scorecard\",\"modelVersion\":\"1.0.0\"}");
    return finish();
}
