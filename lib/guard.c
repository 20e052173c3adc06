/* Guard expressions: parsed and type-checked at load time into a small
 * tree, evaluated at fire time without allocating, and analysed statically
 * to find transitions that can never be taken. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_NESTING 32
/* Terms of `and`/`or` chains nest as deeply as they are long, and guards
 * are evaluated and analysed recursively: bound their size. */
#define MAX_GUARD_TOKENS 512

typedef enum tok_kind {
    T_END, T_WORD, T_QUOTED, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_COMMA,
    T_RANGE, T_OP, T_BAD
} tok_kind;

typedef struct token {
    tok_kind kind;
    const char *start;
    size_t len;
    gcmp cmp;
} token;

typedef struct parser {
    dosm_def *d;
    const char *text, *pos;
    mark at;
    diag_sink *sink;
    token tok;
    guard_expr *g;
    uint32_t capacity;
    int failed;
    char word[128];
} parser;

static int word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Scans one token at *pos. A '.' belongs to a word only when a digit
 * follows, so "2.1..2.3.1" reads as 2.1, .., 2.3.1. */
static token scan(const char **pos)
{
    token t;
    const char *p = *pos;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    t.start = p;
    t.cmp = C_EQ;
    t.kind = T_BAD;
    switch (*p) {
    case '\0': t.kind = T_END; break;
    case '(': t.kind = T_LPAREN; p++; break;
    case ')': t.kind = T_RPAREN; p++; break;
    case '[': t.kind = T_LBRACK; p++; break;
    case ']': t.kind = T_RBRACK; p++; break;
    case ',': t.kind = T_COMMA; p++; break;
    case '.':
        if (p[1] == '.') {
            t.kind = T_RANGE;
            p += 2;
        }
        break;
    case '=':
    case '!':
        if (p[1] == '=') {
            t.kind = T_OP;
            t.cmp = *p == '=' ? C_EQ : C_NE;
            p += 2;
        }
        break;
    case '<':
    case '>':
        t.kind = T_OP;
        t.cmp = *p == '<' ? (p[1] == '=' ? C_LE : C_LT)
                          : (p[1] == '=' ? C_GE : C_GT);
        p += p[1] == '=' ? 2 : 1;
        break;
    case '\'':
        for (p++; *p && *p != '\''; p++)
            ;
        if (*p == '\'') {
            t.kind = T_QUOTED;
            t.start++;
            t.len = (size_t)(p - t.start);
            *pos = p + 1;
            return t;
        }
        break;
    default:
        if (word_char(*p)) {
            t.kind = T_WORD;
            while (word_char(*p) || (*p == '.' && digit(p[1])))
                p++;
        }
    }
    if (t.kind == T_BAD && *p)
        p++;
    t.len = (size_t)(p - t.start);
    *pos = p;
    return t;
}

static void next(parser *ps)
{
    ps->tok = scan(&ps->pos);
}

static int is_word(const token *t, const char *w)
{
    return t->kind == T_WORD && t->len == strlen(w) &&
           memcmp(t->start, w, t->len) == 0;
}

static mark tok_mark(const parser *ps, const token *t)
{
    mark m = ps->at;
    m.col += (uint32_t)(t->start - ps->text);
    return m;
}

/* Reports the first problem of a guard, quoting the guard. */
static void fail(parser *ps, int code, const token *t, const char *fmt,
                 const char *arg)
{
    char problem[DOSM_TEXT_MAX];
    if (ps->failed)
        return;
    ps->failed = 1;
    dosm__text_format(problem, sizeof problem, fmt, arg);
    dosm__diag_report(ps->sink, DOSM_ERROR, code, tok_mark(ps, t),
                "%s in guard '%s'", problem, ps->text);
}

/* The current token's text, NUL-terminated, in a scratch buffer. */
static const char *tok_text(parser *ps, const token *t)
{
    size_t n = t->len < sizeof ps->word - 1 ? t->len : sizeof ps->word - 1;
    memcpy(ps->word, t->start, n);
    ps->word[n] = '\0';
    return ps->word;
}

static int32_t add(parser *ps, gop op)
{
    gnode *n;
    if (ps->g->count >= ps->capacity) { /* cannot happen: one per token */
        ps->failed = 1;
        return -1;
    }
    n = &ps->g->nodes[ps->g->count];
    n->op = op;
    n->a = n->b = n->ref = -1;
    return (int32_t)ps->g->count++;
}

static int32_t parse_or(parser *ps, int depth);

static const char *const type_word[] = {"text", "an enum", "an integer",
                                        "a boolean", "a version"};

int dosm__value_read(const field *f, const char *text, value *out)
{
    uint32_t i;
    out->type = f->type;
    out->str = text;
    switch (f->type) {
    case TYPE_STRING:
        return 1;
    case TYPE_ENUM:
        for (i = 0; i < f->value_count; i++)
            if (strcmp(f->values[i], text) == 0) {
                out->num = i;
                return 1;
            }
        return 0;
    case TYPE_INTEGER:
        return dosm__text_parse_int(text, &out->num);
    case TYPE_BOOLEAN:
        out->num = strcmp(text, "true") == 0;
        return out->num || strcmp(text, "false") == 0;
    case TYPE_VERSION:
        return dosm__text_parse_version(text, &out->version);
    }
    return 0;
}

/* Reads a literal for attribute f; reports and returns 0 when it does not
 * fit the attribute's type. Strings are copied into the definition. */
static int literal(parser *ps, const field *f, value *v)
{
    token t = ps->tok;
    const char *text;
    if (t.kind != T_WORD && t.kind != T_QUOTED) {
        fail(ps, DOSM_D_GUARD, &t, "expected a value%s", "");
        return 0;
    }
    /* The whole token, in the definition: tok_text is cut for messages. */
    text = dosm__arena_strdup(&ps->d->mem, t.start, t.len);
    if (!text) {
        dosm__diag_report(ps->sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                    "out of memory");
        ps->failed = 1;
        return 0;
    }
    if (t.kind == T_QUOTED && f->type != TYPE_STRING) {
        fail(ps, DOSM_D_GUARD_TYPE, &t,
             "quoted text compared with %s attribute",
             type_word[f->type]);
        return 0;
    }
    if (!dosm__value_read(f, text, v)) {
        if (f->type == TYPE_ENUM)
            fail(ps, DOSM_D_ENUM, &t,
                 "'%s' is not one of the enum's values", text);
        else
            fail(ps, DOSM_D_GUARD_TYPE, &t,
                 "'%s' does not fit the attribute's type", text);
        return 0;
    }
    v->str = text;
    next(ps);
    return 1;
}

static int ordered(value_type t)
{
    return t == TYPE_INTEGER || t == TYPE_VERSION;
}

static int32_t parse_in(parser *ps, const field *f, int32_t attr, token at)
{
    int32_t n;
    if (ps->tok.kind == T_LBRACK) {
        value vals[64];
        uint32_t count = 0;
        next(ps);
        do {
            if (count > 0)
                next(ps);
            if (count == 64) {
                fail(ps, DOSM_D_GUARD, &ps->tok,
                     "more than 64 values in a list%s", "");
                return -1;
            }
            if (!literal(ps, f, &vals[count++]))
                return -1;
        } while (ps->tok.kind == T_COMMA);
        if (ps->tok.kind != T_RBRACK) {
            fail(ps, DOSM_D_GUARD, &ps->tok, "expected ']'%s", "");
            return -1;
        }
        next(ps);
        n = add(ps, G_IN_SET);
        if (n < 0)
            return -1;
        ps->g->nodes[n].set = dosm__arena_array(&ps->d->mem, count, sizeof(value));
        if (!ps->g->nodes[n].set) {
            dosm__diag_report(ps->sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                        "out of memory");
            ps->failed = 1;
            return -1;
        }
        memcpy(ps->g->nodes[n].set, vals, count * sizeof(value));
        ps->g->nodes[n].set_count = count;
    } else {
        value lo, hi;
        if (!ordered(f->type)) {
            fail(ps, DOSM_D_GUARD_TYPE, &at,
                 "a range needs an integer or version attribute%s", "");
            return -1;
        }
        if (!literal(ps, f, &lo))
            return -1;
        if (ps->tok.kind != T_RANGE) {
            fail(ps, DOSM_D_GUARD, &ps->tok,
                 "expected '..' or a list after 'in'%s", "");
            return -1;
        }
        next(ps);
        if (!literal(ps, f, &hi))
            return -1;
        n = add(ps, G_IN_RANGE);
        if (n < 0)
            return -1;
        ps->g->nodes[n].lo = lo;
        ps->g->nodes[n].hi = hi;
    }
    ps->g->nodes[n].ref = attr;
    return n;
}

static int32_t parse_test(parser *ps)
{
    token name = ps->tok;
    const char *text;
    name_table attrs = dosm__table_of_attrs(ps->d), guards = dosm__table_of_guards(ps->d);
    int32_t attr, g, n;
    const field *f;

    if (name.kind != T_WORD || is_word(&name, "and") || is_word(&name, "or") ||
        is_word(&name, "in")) {
        fail(ps, DOSM_D_GUARD, &name,
             "expected a name, 'not' or '('%s", "");
        return -1;
    }
    text = tok_text(ps, &name);
    attr = dosm__names_find(&ps->d->attr_ix, &attrs, text);
    g = dosm__names_find(&ps->d->guard_ix, &guards, text);
    if (attr < 0 && g < 0) {
        fail(ps, DOSM_D_REF, &name,
             "unknown attribute or guard '%s'", text);
        return -1;
    }
    next(ps);
    if (g >= 0) {
        if (ps->tok.kind == T_OP || is_word(&ps->tok, "in")) {
            fail(ps, DOSM_D_GUARD_TYPE, &ps->tok,
                 "a named guard is true or false and cannot be compared",
                 "");
            return -1;
        }
        n = add(ps, G_HOST);
        if (n >= 0)
            ps->g->nodes[n].ref = g;
        return n;
    }
    f = &ps->d->attrs[attr];
    if (is_word(&ps->tok, "in")) {
        next(ps);
        return parse_in(ps, f, attr, name);
    }
    if (ps->tok.kind != T_OP) {
        if (f->type != TYPE_BOOLEAN) {
            fail(ps, DOSM_D_GUARD_TYPE, &name,
                 "attribute '%s' is not a boolean; compare it with a value",
                 f->name);
            return -1;
        }
        n = add(ps, G_TRUTH);
        if (n >= 0)
            ps->g->nodes[n].ref = attr;
        return n;
    }
    {
        token op = ps->tok;
        value v;
        if (op.cmp != C_EQ && op.cmp != C_NE && !ordered(f->type)) {
            fail(ps, DOSM_D_GUARD_TYPE, &op,
                 "only integers and versions can be ordered; '%s' can only be "
                 "compared with == or !=",
                 f->name);
            return -1;
        }
        next(ps);
        if (!literal(ps, f, &v))
            return -1;
        n = add(ps, G_CMP);
        if (n < 0)
            return -1;
        ps->g->nodes[n].cmp = op.cmp;
        ps->g->nodes[n].ref = attr;
        ps->g->nodes[n].lo = v;
        return n;
    }
}

static int32_t parse_not(parser *ps, int depth)
{
    int32_t inner;
    if (depth > MAX_NESTING) {
        fail(ps, DOSM_D_GUARD, &ps->tok, "nested too deeply%s", "");
        return -1;
    }
    if (is_word(&ps->tok, "not")) {
        int32_t n;
        next(ps);
        inner = parse_not(ps, depth + 1);
        if (inner < 0 || (n = add(ps, G_NOT)) < 0)
            return -1;
        ps->g->nodes[n].a = inner;
        return n;
    }
    if (ps->tok.kind == T_LPAREN) {
        token open = ps->tok;
        next(ps);
        inner = parse_or(ps, depth + 1);
        if (inner < 0)
            return -1;
        if (ps->tok.kind != T_RPAREN) {
            fail(ps, DOSM_D_GUARD, &open, "unclosed '('%s", "");
            return -1;
        }
        next(ps);
        return inner;
    }
    return parse_test(ps);
}

static int32_t parse_binary(parser *ps, int depth, const char *word, gop op,
                            int32_t (*operand)(parser *, int))
{
    int32_t left = operand(ps, depth);
    while (left >= 0 && is_word(&ps->tok, word)) {
        int32_t right, n;
        next(ps);
        right = operand(ps, depth);
        if (right < 0 || (n = add(ps, op)) < 0)
            return -1;
        ps->g->nodes[n].a = left;
        ps->g->nodes[n].b = right;
        left = n;
    }
    return left;
}

static int32_t parse_and(parser *ps, int depth)
{
    return parse_binary(ps, depth, "and", G_AND, parse_not);
}

static int32_t parse_or(parser *ps, int depth)
{
    return parse_binary(ps, depth, "or", G_OR, parse_and);
}

guard_expr *dosm__guard_parse(dosm_def *d, const char *text, mark at,
                              diag_sink *sink, uint32_t *tokens_left)
{
    parser ps;
    const char *p = text;
    uint32_t tokens = 0;
    token t;

    memset(&ps, 0, sizeof ps);
    ps.d = d;
    ps.text = ps.pos = text;
    ps.at = at;
    ps.sink = sink;
    do {
        t = scan(&p);
        tokens++;
    } while (t.kind != T_END && tokens <= MAX_GUARD_TOKENS);
    if (tokens > MAX_GUARD_TOKENS) {
        dosm__diag_report(sink, DOSM_ERROR, DOSM_D_LIMIT, at,
                    "a guard has more than %u tokens (the limit)",
                    (unsigned)MAX_GUARD_TOKENS);
        return NULL;
    }
    /* A node per token costs 104 bytes: 4 MiB of guards made 145 MB. */
    if (tokens > *tokens_left) {
        dosm__diag_report(sink, DOSM_ERROR, DOSM_D_LIMIT, at,
                    "the guards have more than %u tokens in all (the limit)",
                    (unsigned)DOSM_GUARD_TOKENS_ALL);
        return NULL;
    }
    *tokens_left -= tokens;
    ps.g = dosm__arena_alloc(&d->mem, sizeof *ps.g);
    ps.capacity = tokens;
    if (!ps.g || !(ps.g->nodes = dosm__arena_array(&d->mem, tokens, sizeof(gnode)))) {
        dosm__diag_report(sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                    "out of memory");
        return NULL;
    }
    ps.g->text = text;
    next(&ps);
    if (ps.tok.kind == T_END) {
        fail(&ps, DOSM_D_GUARD, &ps.tok, "nothing to test%s", "");
        return NULL;
    }
    ps.g->root = parse_or(&ps, 0);
    if (!ps.failed && ps.tok.kind != T_END)
        fail(&ps, DOSM_D_GUARD, &ps.tok,
             "unexpected '%s'", tok_text(&ps, &ps.tok));
    return ps.failed ? NULL : ps.g;
}

/* ---- evaluation ---- */

const char *dosm__values_get(const dosm_values *v, const char *name)
{
    size_t i;
    if (!v)
        return NULL;
    for (i = 0; v->pairs && i < v->count; i++) {
        const char *n = v->pairs[i].name;
        /* the first letter rules out most names without a call */
        if (n && n[0] == name[0] && strcmp(n, name) == 0)
            return v->pairs[i].value;
    }
    return v->lookup ? v->lookup(v->lookup_user, name) : NULL;
}

static int compare(const value *x, const value *y)
{
    if (x->type == TYPE_STRING)
        return strcmp(x->str, y->str);
    if (x->type == TYPE_VERSION)
        return x->version < y->version ? -1 : x->version > y->version;
    return x->num < y->num ? -1 : x->num > y->num;
}

static int holds(gcmp c, int r)
{
    switch (c) {
    case C_EQ: return r == 0;
    case C_NE: return r != 0;
    case C_LT: return r < 0;
    case C_LE: return r <= 0;
    case C_GT: return r > 0;
    case C_GE: return r >= 0;
    }
    return 0;
}

/* Reads attribute `ref` of the order; 0 (noting why) when absent or bad. */
static int attribute(eval_ctx *ctx, int32_t ref, value *v)
{
    const field *f = &ctx->def->attrs[ref];
    const char *text =
        dosm__values_get(ctx->request ? ctx->request->attributes : NULL, f->name);
    if (!text) {
        if (!ctx->missing)
            ctx->missing = f->name;
        ctx->unreadable = 1;
        return 0;
    }
    if (!dosm__value_read(f, text, v)) {
        if (!ctx->bad_name) {
            ctx->bad_name = f->name;
            ctx->bad_value = text;
        }
        ctx->unreadable = 1;
        return 0;
    }
    return 1;
}

/* Does attribute value v pass test node n (TRUTH, CMP, IN_RANGE, IN_SET)? */
static int passes(const gnode *n, const value *v)
{
    uint32_t k;
    switch (n->op) {
    case G_TRUTH: return v->num != 0;
    case G_CMP: return holds(n->cmp, compare(v, &n->lo));
    case G_IN_RANGE:
        return compare(v, &n->lo) >= 0 && compare(v, &n->hi) <= 0;
    case G_IN_SET:
        for (k = 0; k < n->set_count; k++)
            if (compare(v, &n->set[k]) == 0)
                return 1;
        return 0;
    default: return 0;
    }
}

static int eval(const guard_expr *g, int32_t i, eval_ctx *ctx)
{
    const gnode *n = &g->nodes[i];
    value v;
    switch (n->op) {
    case G_AND: return eval(g, n->a, ctx) && eval(g, n->b, ctx);
    case G_OR: return eval(g, n->a, ctx) || eval(g, n->b, ctx);
    case G_NOT: return !eval(g, n->a, ctx);
    case G_HOST:
        return dosm__host_guard_holds(ctx, n->ref);
    default: /* the other nodes test one attribute */
        return attribute(ctx, n->ref, &v) && passes(n, &v);
    }
}

/* A guard that reads an attribute the order lacks (or whose value does
 * not read) is false as a whole, even under `not`: the library never
 * guesses what a missing value would have said. */
int dosm__guard_eval(eval_ctx *ctx, int32_t trans)
{
    const guard_expr *g = ctx->def->trans[trans].guard;
    int holds_now;
    if (!g)
        return 1;
    ctx->trans = trans;
    ctx->unreadable = 0;
    holds_now = eval(g, g->root, ctx);
    return holds_now && !ctx->unreadable;
}

/* ---- static analysis: can two guards both hold? ----
 * Decidable when each guard is tests joined by `and`: then both hold
 * together iff, for every attribute, the tests on it from both guards admit
 * a common value. Ordered values become points on one unsigned line.
 *
 * The checker asks this of every pair of competing transitions in every
 * state, millions of times for a big file, so each guard is summarised
 * once: per attribute it tests, the values its tests admit together (a
 * constraint). Narrowing is an intersection, so admitting a common value
 * is then the intersection of two short sorted lists. */

typedef struct constraint {
    int32_t attr;
    uint64_t lo, hi;     /* integers and versions: inclusive interval */
    uint64_t mask;       /* enums (up to 64 values) and booleans */
    const char *str;     /* strings: the one value allowed, or NULL */
    int empty;
} constraint;

/* What a guard allows, for the overlap check. */
typedef enum summary_kind {
    SUM_ALWAYS, /* no guard: holds beside anything */
    SUM_OPAQUE, /* `or`, `not`, a host guard, more than 64 tests, or a test
                   the analysis cannot narrow (!=, lists of strings...):
                   assumed exclusive of every other guard */
    SUM_TESTS   /* tests joined by `and`: the constraints below */
} summary_kind;

typedef struct guard_summary {
    summary_kind kind;
    uint32_t tests;      /* how many: two guards share a cap of 64 */
    uint32_t count;      /* constraints, one per attribute, by attribute */
    int32_t never;       /* an attribute it holds to no value, or -1: the
                            guard alone can never hold */
    constraint *c;
} guard_summary;

struct guard_overlap {
    guard_summary *sum;  /* per transition */
};

static uint64_t point(const value *v)
{
    return v->type == TYPE_VERSION ? v->version
                                   : (uint64_t)v->num ^ (UINT64_C(1) << 63);
}

static void restrict_interval(constraint *c, uint64_t lo, uint64_t hi)
{
    if (lo > c->lo)
        c->lo = lo;
    if (hi < c->hi)
        c->hi = hi;
    if (c->lo > c->hi)
        c->empty = 1;
}

static void restrict_string(constraint *c, const char *s)
{
    if (c->str && strcmp(c->str, s) != 0)
        c->empty = 1;
    c->str = s;
}

/* Narrows c by one test; 0 when the test cannot be analysed. */
static int apply_test(const dosm_def *d, const gnode *n, constraint *c)
{
    value_type t = d->attrs[n->ref].type;
    uint64_t p, m = 0;
    uint32_t k;
    if (t == TYPE_ENUM && d->attrs[n->ref].value_count > 64)
        return 0;
    if (n->op == G_TRUTH) {
        c->mask &= 2;
    } else if (n->op == G_IN_RANGE) {
        restrict_interval(c, point(&n->lo), point(&n->hi));
    } else if (n->op == G_IN_SET) {
        if (t == TYPE_STRING || ordered(t))
            return 0;
        for (k = 0; k < n->set_count; k++)
            m |= UINT64_C(1) << n->set[k].num;
        c->mask &= m;
    } else if (n->cmp == C_NE) {
        return 0;
    } else if (t == TYPE_STRING) {
        restrict_string(c, n->lo.str);
    } else if (!ordered(t)) {
        c->mask &= UINT64_C(1) << n->lo.num;
    } else {
        p = point(&n->lo);
        switch (n->cmp) {
        case C_EQ: restrict_interval(c, p, p); break;
        case C_LT: if (p == 0) c->empty = 1; else restrict_interval(c, 0, p - 1); break;
        case C_LE: restrict_interval(c, 0, p); break;
        case C_GT: if (p == UINT64_MAX) c->empty = 1; else restrict_interval(c, p + 1, UINT64_MAX); break;
        case C_GE: restrict_interval(c, p, UINT64_MAX); break;
        default: return 0;
        }
    }
    if (!ordered(t) && t != TYPE_STRING && c->mask == 0)
        c->empty = 1;
    return 1;
}

/* Collects the tests of a conjunction; 0 when it is not one. */
static int conjunction(const guard_expr *g, int32_t i, const gnode **out,
                       uint32_t *n, uint32_t cap)
{
    const gnode *x = &g->nodes[i];
    if (x->op == G_AND)
        return conjunction(g, x->a, out, n, cap) &&
               conjunction(g, x->b, out, n, cap);
    if (x->op == G_OR || x->op == G_NOT || x->op == G_HOST || *n >= cap)
        return 0;
    out[(*n)++] = x;
    return 1;
}

static void constraint_init(const dosm_def *d, int32_t attr, constraint *c)
{
    const field *f = &d->attrs[attr];
    memset(c, 0, sizeof *c);
    c->attr = attr;
    c->hi = UINT64_MAX;
    c->mask = f->type == TYPE_BOOLEAN ? 3
              : f->value_count >= 64  ? UINT64_MAX
                                      : (UINT64_C(1) << f->value_count) - 1;
}

/* Whether the values both constraints admit (on one attribute) are none. */
static int disjoint(const dosm_def *d, const constraint *a, const constraint *b)
{
    value_type t = d->attrs[a->attr].type;
    if (a->empty || b->empty)
        return 1;
    if (ordered(t))
        return (a->lo > b->lo ? a->lo : b->lo) > (a->hi < b->hi ? a->hi : b->hi);
    if (t == TYPE_STRING)
        return a->str && b->str && strcmp(a->str, b->str) != 0;
    return (a->mask & b->mask) == 0;
}

static int by_attr(const void *x, const void *y)
{
    const gnode *a = *(const gnode *const *)x, *b = *(const gnode *const *)y;
    return (a->ref > b->ref) - (a->ref < b->ref);
}

/* Summarises one guard into s; 0 when out of memory. */
static int summarise(const dosm_def *d, const guard_expr *g, arena *scratch,
                     guard_summary *s)
{
    const gnode *tests[64];
    uint32_t n = 0, i;
    memset(s, 0, sizeof *s);
    s->never = -1;
    if (!g) {
        s->kind = SUM_ALWAYS;
        return 1;
    }
    s->kind = SUM_OPAQUE;
    if (!conjunction(g, g->root, tests, &n, 64))
        return 1;
    qsort(tests, n, sizeof *tests, by_attr);
    s->c = dosm__arena_array(scratch, n + 1, sizeof *s->c);
    if (!s->c)
        return 0;
    for (i = 0; i < n; i++) {
        constraint *c = &s->c[s->count];
        if (i == 0 || tests[i]->ref != tests[i - 1]->ref) {
            constraint_init(d, tests[i]->ref, c);
            s->count++;
        } else {
            c--;
        }
        if (!apply_test(d, tests[i], c))
            return 1; /* opaque */
        if (c->empty && s->never < 0)
            s->never = c->attr;
    }
    s->kind = SUM_TESTS;
    s->tests = n;
    return 1;
}

guard_overlap *dosm__overlap_prepare(const dosm_def *d, arena *scratch)
{
    guard_overlap *o = dosm__arena_alloc(scratch, sizeof *o);
    uint32_t i;
    if (!o || !(o->sum = dosm__arena_array(scratch, d->trans_count + 1,
                                           sizeof *o->sum)))
        return NULL;
    for (i = 0; i < d->trans_count; i++)
        if (!summarise(d, d->trans[i].guard, scratch, &o->sum[i]))
            return NULL;
    return o;
}

/* As the analysis has always answered: an unguarded transition can hold
 * beside anything; a guard it cannot read, or two guards of more than 64
 * tests in all, are taken to be exclusive; else both hold unless some
 * attribute is held to values no one value meets. */
int dosm__overlap_possible(const dosm_def *d, const guard_overlap *o,
                           uint32_t ta, uint32_t tb)
{
    const guard_summary *a = &o->sum[ta], *b = &o->sum[tb];
    uint32_t i = 0, j = 0;
    if (a->kind == SUM_ALWAYS || b->kind == SUM_ALWAYS)
        return 1;
    if (a->kind == SUM_OPAQUE || b->kind == SUM_OPAQUE ||
        a->tests + b->tests > 64 || a->never >= 0 || b->never >= 0)
        return 0;
    while (i < a->count && j < b->count) {
        if (a->c[i].attr < b->c[j].attr) {
            i++;
        } else if (a->c[i].attr > b->c[j].attr) {
            j++;
        } else if (disjoint(d, &a->c[i++], &b->c[j++])) {
            return 0;
        }
    }
    return 1;
}

int32_t dosm__guard_never(const guard_overlap *o, uint32_t t)
{
    return o->sum[t].kind == SUM_TESTS ? o->sum[t].never : -1;
}

/* Text appended at buf[len]: the new length, cut to fit size. */
static size_t append(char *buf, size_t size, size_t len, const char *fmt,
                     const char *a, const char *b, const char *c)
{
    len += dosm__text_format(buf + len, size - len, fmt, a, b, c);
    return len < size ? len : size - 1;
}

/* One test as written, its literal as read (a text quoted). */
static size_t test_text(const dosm_def *d, const gnode *n, char *buf,
                        size_t size, size_t len)
{
    static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">="};
    const char *q = d->attrs[n->ref].type == TYPE_STRING ? "'" : "";
    uint32_t k;
    len = append(buf, size, len, "%s%s%s", d->attrs[n->ref].name,
                 n->op == G_TRUTH ? "" : " ",
                 n->op == G_CMP ? ops[n->cmp] : n->op == G_TRUTH ? "" : "in");
    if (n->op == G_CMP)
        return append(buf, size, len, " %s%s%s", q, n->lo.str, q);
    if (n->op == G_IN_RANGE)
        return append(buf, size, len, " %s..%s%s", n->lo.str, n->hi.str, "");
    for (k = 0; n->op == G_IN_SET && k < n->set_count; k++)
        len = append(buf, size, len, k ? ", %s%s%s" : " [%s%s%s", q,
                     n->set[k].str, q);
    return n->op == G_IN_SET ? append(buf, size, len, "]", "", "", "") : len;
}

uint32_t dosm__guard_tests_text(const dosm_def *d, const guard_expr *g,
                                int32_t attr, char *buf, size_t size)
{
    uint32_t i, tests = 0;
    size_t len = 0;
    buf[0] = '\0';
    /* nodes are in postfix order, so the tests come as written; `and`
     * nodes have no attribute */
    for (i = 0; i < g->count; i++)
        if (g->nodes[i].ref == attr) {
            if (tests++)
                len = append(buf, size, len, " and ", "", "", "");
            len = test_text(d, &g->nodes[i], buf, size, len);
        }
    return tests;
}
