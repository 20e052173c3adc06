/* Static analysis of guards for the checker: whether two transitions'
 * guards can both hold, whether one alone never can, and its tests as
 * text for the checker's messages. */
#include "load.h"

#include <stdlib.h>
#include <string.h>

/* Can two guards both hold?
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
        if (t == TYPE_STRING || value_ordered(t))
            return 0;
        for (k = 0; k < n->set_count; k++)
            m |= UINT64_C(1) << n->set[k].num;
        c->mask &= m;
    } else if (n->cmp == C_NE) {
        return 0;
    } else if (t == TYPE_STRING) {
        restrict_string(c, n->lo.str);
    } else if (!value_ordered(t)) {
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
    if (!value_ordered(t) && t != TYPE_STRING && c->mask == 0)
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
    if (value_ordered(t))
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
