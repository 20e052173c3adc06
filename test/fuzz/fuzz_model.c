/*
 * fuzz_model: a differential fuzzer. The input bytes generate a workflow
 * (1-12 states in random document order, parents nested several levels,
 * final states anywhere, `from: any`, `from:` lists with parents, `to:
 * previous`, internal self-loops, guards over typed attributes and named
 * guards, events with payload fields), which is written as YAML and loaded
 * with dosm_load. A small reference model of the format, written from
 * states/README.md and include/dosm.h only (not from lib/), answers the
 * same questions as the library, and any disagreement is a crash:
 *
 *  - dosm_load: the model's checker (reachability, dead ends, final states
 *    with transitions, overlapping transitions within a group) says valid
 *    or which diagnostics are certain; the library must load the valid
 *    ones and refuse the others with one of those codes;
 *  - for every leaf state, every previous state (or none) and every event,
 *    under two generated attribute sets (pairs, lookup, both, missing;
 *    sometimes prepared with dosm_attributes_prepare) and
 *    payloads (valid, invalid, missing, unknown fields), with and without
 *    a host answering the named guards: dosm_try's code, transition and
 *    target, and dosm_fire's and dosm_fire_index's code and instance
 *    (state, previous, seq) on copies;
 *  - dosm_choices: per event, the transitions in the order fire tries
 *    them, each with its code and target;
 *  - dosm_path: the shortest legal path's length (breadth-first search of
 *    the model over (state, previous)) and that every step is one fire
 *    would take;
 *  - dosm_replay of the records of a random walk, then of the same records
 *    with one of them broken (to, event, from, seq, workflow, revision):
 *    the first bad index, or the rebuilt instance.
 *
 * Input: the generator reads bytes from the start (a short input still
 * gives a definition: missing bytes read as 0); what remains drives the
 * requests and the walk.
 *
 * Readings of the README where it leaves a choice are written next to the
 * code that makes them (search for "reading:"). Where two readings are
 * defensible the model accepts both and says once on stderr which one the
 * library took (`dosm fuzz note: ...`); DOSM_FUZZ_STRICT=1 makes that abort.
 * Reported findings not fixed yet are tolerated the same way (README.md
 * lists the notes; see note() for DOSM_MODEL_STRICT and DOSM_MODEL_NOTES).
 * At exit the target prints how many definitions loaded, were refused as
 * the model expected, or were skipped as undecided.
 */
#include "fuzz_common.h"

#include <inttypes.h>
#include <stdarg.h>

#define MS 12  /* states */
#define ME 8   /* events */
#define MA 5   /* attributes */
#define MG 2   /* named guards */
#define MT 32  /* transitions */
#define MF 2   /* payload fields per event */
#define MN 40  /* guard nodes */
#define MV 3   /* values in an `in` set */
#define NOPREV (-1)
#define TO_PREVIOUS (-1)

/* The input being run, for note(). */
static const uint8_t *cur_data;
static size_t cur_size;
static const char *cur_yaml; /* its workflow */
static size_t cur_yaml_len;

/* A reading the library took where the README leaves a choice, or a
 * reported finding tolerated until fixed: fuzz_note (said once; abort with
 * DOSM_FUZZ_STRICT=1). DOSM_MODEL_STRICT=KEY aborts on that note only (to
 * minimise an input for it: -minimize_crash=1); DOSM_MODEL_NOTES=DIR saves
 * the first input of each note as DIR/model-KEY. */
static void note(int *once, const char *key, const char *text)
{
    const char *strict = getenv("DOSM_MODEL_STRICT");
    const char *dir = getenv("DOSM_MODEL_NOTES");
    if (strict && strcmp(strict, key) == 0) {
        fprintf(stderr, "\n---- workflow ----\n%.*s", (int)cur_yaml_len,
                cur_yaml);
        FUZZ_FAIL("(DOSM_MODEL_STRICT=%s) %s", key, text);
    }
    if (!*once && dir) {
        char path[512];
        FILE *f;
        snprintf(path, sizeof path, "%s/model-%s", dir, key);
        f = fopen(path, "wb");
        if (f) {
            fwrite(cur_data, 1, cur_size, f);
            fclose(f);
        }
    }
    fuzz_note(once, text);
}

/* ------------------------------------------------------------------ */
/* The generated definition                                           */
/* ------------------------------------------------------------------ */

enum { TY_INT, TY_BOOL, TY_ENUM, TY_VER, TY_STR, TY_COUNT };
static const char *const type_name[TY_COUNT] = {
    "integer", "boolean", "enum", "version", "string"};

enum { G_TEST, G_AND, G_OR, G_NOT, G_PAREN };
enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_SET, OP_RANGE, OP_BARE };
static const char *const op_text[] = {"==", "!=", "<", "<=", ">", ">="};

typedef struct gnode {
    int kind, a, b;    /* children (node indexes) */
    int attr;          /* attribute, or -1 for a named guard */
    int named;         /* named guard index */
    int op, nv;        /* operator, number of values */
    int v[MV];         /* indexes into the type's literal pool */
} gnode;

typedef struct guard {
    int n, root;
    gnode node[MN];
} guard;

typedef struct attr_def {
    int type, nvalues; /* enum values are v0 .. v<nvalues-1> */
} attr_def;

typedef struct field_def {
    int type, nvalues, required, written; /* written: `required:` given */
} field_def;

typedef struct event_def {
    int nfields;
    field_def f[MF];
} event_def;

typedef struct trans_def {
    int event;
    int any;          /* from: any */
    int nfrom, from[4];
    int as_list;      /* from: [X] even for one state */
    int to;           /* a state, or TO_PREVIOUS */
    int guarded;
    guard g;
} trans_def;

typedef struct model {
    int ns, parent[MS], final[MS], is_parent[MS], order[MS], initial;
    int na;
    attr_def a[MA];
    int ng;
    int ne;
    event_def e[ME];
    int nt;
    trans_def t[MT];
} model;

/* Guard literals: the text written and the value meant. */
static const int64_t int_pool[] = {-2, 0, 1, 2, 3, 5, 10, 100};
static const char *const ver_pool[] = {
    "0", "1", "1.2", "2", "2.0.1", "2.1", "2.1.0", "2.3.1", "3.0.0.1",
    "65535.65535.65535.65535"};
static const char *const str_lit[] = {"abc", "'abc'", "'a b'", "'ABC'", "x",
                                      "'x'"};
static const char *const str_val[] = {"abc", "abc", "a b", "ABC", "x", "x"};

/* Values a request gives (all valid for their type). */
static const char *const req_int[] = {
    "-3", "-2", "0", "1", "2", "3", "4", "5", "9", "10", "11", "100",
    "-9223372036854775808", "9223372036854775807"};
static const char *const req_ver[] = {
    "0", "1", "1.2", "1.2.0", "2", "2.0.1", "2.1", "2.1.0", "2.1.0.0",
    "2.1.0.1", "2.3.1", "2.3.2", "3", "3.0.0.1", "65535.65535.65535.65535"};
static const char *const req_str[] = {"abc", "ABC", "a b", "x", "y"};
static const char *const req_enum[] = {"v0", "v1", "v2", "v3"};
static const char *const req_bool[] = {"true", "false"};
/* Values that are clearly not of the type (for payload fields). */
static const char *const bad_int[] = {"abc", "1.5", "ten"};
static const char *const bad_ver[] = {"1.2.3.4.5", "70000", "a.b"};
static const char *const bad_bool[] = {"yes", "1", "maybe"};
static const char *const bad_enum[] = {"zzz", "v9", "V0"};

#define N(a) ((int)FUZZ_COUNT(a))

/* ------------------------------------------------------------------ */
/* Values                                                             */
/* ------------------------------------------------------------------ */

/* reading: a version is up to 4 dotted parts of at most 65535, missing
 * parts 0; packed 16 bits a part, the order of versions is the order of
 * the packed numbers. */
static uint64_t ver_pack(const char *s)
{
    uint64_t parts[4] = {0, 0, 0, 0};
    int k = 0;
    while (*s && k < 4) {
        uint64_t v = 0;
        while (*s >= '0' && *s <= '9')
            v = v * 10 + (uint64_t)(*s++ - '0');
        parts[k++] = v;
        if (*s == '.')
            s++;
    }
    return parts[0] << 48 | parts[1] << 32 | parts[2] << 16 | parts[3];
}

/* Integers as ordered unsigned numbers (sign bit flipped), so one
 * interval logic serves integers and versions. */
static uint64_t int_key(int64_t v) { return (uint64_t)v ^ (UINT64_C(1) << 63); }

static uint64_t lit_key(int type, int idx)
{
    return type == TY_INT ? int_key(int_pool[idx]) : ver_pack(ver_pool[idx]);
}

/* ------------------------------------------------------------------ */
/* Generating                                                         */
/* ------------------------------------------------------------------ */

static int pick(fuzz_in *in, int n) { return n <= 1 ? 0 : (int)(fuzz_byte(in) % (unsigned)n); }

static int gen_test(const model *m, fuzz_in *in, guard *g)
{
    gnode *x;
    int subj, k, type, pool;
    if (g->n >= MN)
        return -1;
    x = &g->node[g->n];
    memset(x, 0, sizeof *x);
    x->kind = G_TEST;
    subj = pick(in, m->na + m->ng);
    if (subj >= m->na) {
        x->attr = -1;
        x->named = subj - m->na;
        x->op = OP_BARE;
        return g->n++;
    }
    x->attr = subj;
    type = m->a[subj].type;
    switch (type) {
    case TY_INT:
    case TY_VER:
        pool = type == TY_INT ? N(int_pool) : N(ver_pool);
        x->op = pick(in, 8);
        x->nv = x->op == OP_SET ? 1 + pick(in, MV) : x->op == OP_RANGE ? 2 : 1;
        for (k = 0; k < x->nv; k++)
            x->v[k] = pick(in, pool);
        if (x->op == OP_RANGE && lit_key(type, x->v[0]) > lit_key(type, x->v[1])) {
            int t = x->v[0];
            x->v[0] = x->v[1];
            x->v[1] = t;
        }
        break;
    case TY_BOOL:
        k = pick(in, 4);
        x->op = k == 0 ? OP_BARE : k == 3 ? OP_NE : OP_EQ;
        x->nv = x->op == OP_BARE ? 0 : 1;
        x->v[0] = pick(in, 2); /* 0 true, 1 false */
        break;
    default: /* enum, string */
        pool = type == TY_ENUM ? m->a[subj].nvalues : N(str_lit);
        k = pick(in, 3);
        x->op = k == 0 ? OP_EQ : k == 1 ? OP_NE : OP_SET;
        x->nv = x->op == OP_SET ? 1 + pick(in, MV) : 1;
        for (k = 0; k < x->nv; k++)
            x->v[k] = pick(in, pool);
        break;
    }
    return g->n++;
}

static int gen_expr(const model *m, fuzz_in *in, guard *g, int depth)
{
    unsigned c = fuzz_byte(in);
    int me, a, b;
    if (depth >= 3 || c < 120 || g->n >= MN - 3)
        return gen_test(m, in, g);
    me = g->n++;
    if (c < 176) {
        g->node[me].kind = G_AND;
    } else if (c < 208) {
        g->node[me].kind = G_OR;
    } else {
        g->node[me].kind = c < 236 ? G_NOT : G_PAREN;
        a = gen_expr(m, in, g, depth + 1);
        if (a < 0)
            return -1;
        g->node[me].a = a;
        return me;
    }
    a = gen_expr(m, in, g, depth + 1);
    b = a < 0 ? -1 : gen_expr(m, in, g, depth + 1);
    if (b < 0)
        return -1;
    g->node[me].a = a;
    g->node[me].b = b;
    return me;
}

static int gen_guard(const model *m, fuzz_in *in, guard *g)
{
    g->n = 0;
    if (m->na + m->ng == 0)
        return 0;
    g->root = gen_expr(m, in, g, 0);
    return g->root >= 0;
}

/* `not (G)`: the "otherwise" branch the README recommends. */
static void negate_guard(guard *g, const guard *of)
{
    *g = *of;
    if (g->n + 2 > MN)
        return;
    g->node[g->n].kind = G_PAREN;
    g->node[g->n].a = of->root;
    g->node[g->n + 1].kind = G_NOT;
    g->node[g->n + 1].a = g->n;
    g->root = g->n + 1;
    g->n += 2;
}

static int is_ancestor(const model *m, int anc, int s)
{
    for (s = m->parent[s]; s >= 0; s = m->parent[s])
        if (s == anc)
            return 1;
    return 0;
}

/* Does transition t apply in leaf s at all (own, ancestors', any)? */
static int applies(const model *m, const trans_def *t, int s)
{
    int k;
    if (t->any)
        return !m->final[s];
    for (k = 0; k < t->nfrom; k++)
        if (t->from[k] == s || is_ancestor(m, t->from[k], s))
            return 1;
    return 0;
}

/* Key of a `from` for the generator's overlap bookkeeping. */
static int used_slot(const model *m, const trans_def *t, int event)
{
    int i, k;
    for (i = 0; i < m->nt; i++) {
        const trans_def *u = &m->t[i];
        if (u->event != event)
            continue;
        if (t->any && u->any)
            return 1;
        for (k = 0; k < t->nfrom && !t->any; k++) {
            int j;
            for (j = 0; j < u->nfrom; j++)
                if (u->from[j] == t->from[k])
                    return 1;
        }
    }
    return 0;
}

static int free_event(model *m, const trans_def *t, fuzz_in *in)
{
    int start = pick(in, m->ne), k;
    for (k = 0; k < m->ne; k++) {
        int e = (start + k) % m->ne;
        if (!used_slot(m, t, e))
            return e;
    }
    if (m->ne < ME) {
        m->e[m->ne].nfields = 0;
        return m->ne++;
    }
    return start;
}

static void gen_fields(fuzz_in *in, event_def *e)
{
    unsigned c = fuzz_byte(in) % 6;
    int k;
    e->nfields = c < 3 ? 0 : c == 5 ? 2 : 1;
    for (k = 0; k < e->nfields; k++) {
        field_def *f = &e->f[k];
        unsigned r = fuzz_byte(in);
        f->type = (int)(r % TY_COUNT);
        f->nvalues = 2 + (int)(r / TY_COUNT % 3);
        r = fuzz_byte(in) % 3;
        f->written = r != 2;
        f->required = r != 0;
    }
}

static void gen_model(model *m, fuzz_in *in)
{
    int i, k, reached[MS], nreached = 0, leaves[MS], nleaves = 0;
    memset(m, 0, sizeof *m);
    m->ns = 1 + pick(in, MS);
    for (i = 0; i < m->ns; i++) {
        unsigned c = fuzz_byte(in) % 8;
        m->parent[i] = -1;
        if (i > 0 && c < 2)
            m->parent[i] = i - 1; /* deep chains */
        else if (i > 0 && c < 4)
            m->parent[i] = pick(in, i);
        if (m->parent[i] >= 0)
            m->is_parent[m->parent[i]] = 1;
    }
    for (i = 0; i < m->ns; i++)
        if (!m->is_parent[i]) {
            leaves[nleaves++] = i;
            m->final[i] = fuzz_byte(in) % 4 == 0;
        }
    m->initial = leaves[pick(in, nleaves)];
    m->final[m->initial] = 0;
    /* Document order: a shuffle, then (often) a final state last. */
    for (i = 0; i < m->ns; i++)
        m->order[i] = i;
    for (i = m->ns - 1; i > 0; i--) {
        int j = pick(in, i + 1), t = m->order[i];
        m->order[i] = m->order[j];
        m->order[j] = t;
    }
    if (fuzz_byte(in) % 2)
        for (i = 0; i < m->ns - 1; i++)
            if (m->final[m->order[i]]) {
                int t = m->order[i];
                memmove(&m->order[i], &m->order[i + 1],
                        (size_t)(m->ns - 1 - i) * sizeof m->order[0]);
                m->order[m->ns - 1] = t;
                break;
            }

    m->na = pick(in, MA + 1);
    for (i = 0; i < m->na; i++) {
        unsigned c = fuzz_byte(in);
        m->a[i].type = (int)(c % TY_COUNT);
        m->a[i].nvalues = 2 + (int)(c / TY_COUNT % 3);
    }
    m->ng = pick(in, MG + 1);
    m->ne = 1 + pick(in, 5);
    for (i = 0; i < m->ne; i++)
        gen_fields(in, &m->e[i]);

    /* Spine: every leaf gets a way in from a state already reached. */
    reached[nreached++] = m->initial;
    for (k = 0; k < nleaves; k++) {
        int tgt = leaves[(k + pick(in, nleaves)) % nleaves], src, done = 0;
        trans_def *t;
        unsigned c;
        for (i = 0; i < nreached; i++)
            if (reached[i] == tgt)
                done = 1;
        if (done || m->nt >= MT)
            continue;
        src = reached[pick(in, nreached)];
        if (m->final[src])
            src = m->initial;
        t = &m->t[m->nt];
        memset(t, 0, sizeof *t);
        c = fuzz_byte(in) % 16;
        if (c == 0) {
            t->any = 1;
        } else {
            int from = src;
            if (c < 6 && m->parent[src] >= 0) { /* an ancestor */
                from = m->parent[src];
                while (m->parent[from] >= 0 && fuzz_byte(in) % 2)
                    from = m->parent[from];
            }
            t->from[t->nfrom++] = from;
            t->as_list = c == 7;
        }
        t->to = tgt;
        t->event = free_event(m, t, in);
        if (fuzz_byte(in) % 8 == 0)
            t->guarded = gen_guard(m, in, &t->g);
        m->nt++;
        reached[nreached++] = tgt;
    }
    /* Random transitions. */
    k = pick(in, 12);
    while (k-- > 0 && m->nt < MT) {
        trans_def *t = &m->t[m->nt];
        unsigned c = fuzz_byte(in) % 16;
        memset(t, 0, sizeof *t);
        if (c == 0) {
            t->any = 1;
        } else if (c < 4) { /* a list, parents welcome */
            int n = 2 + pick(in, 2), j;
            for (j = 0; j < n; j++) {
                int s = pick(in, m->ns), dup = 0, q;
                for (q = 0; q < t->nfrom; q++)
                    dup |= t->from[q] == s ||
                           ((is_ancestor(m, s, t->from[q]) ||
                             is_ancestor(m, t->from[q], s)) &&
                            fuzz_byte(in) % 16);
                if (!dup && (!m->final[s] || fuzz_byte(in) % 32 == 0))
                    t->from[t->nfrom++] = s;
            }
            if (!t->nfrom)
                t->from[t->nfrom++] = m->initial;
        } else {
            int s = pick(in, m->ns);
            if (m->final[s] && fuzz_byte(in) % 32)
                s = m->initial;
            t->from[t->nfrom++] = s;
            t->as_list = c == 4;
        }
        c = fuzz_byte(in) % 6;
        if (c == 0)
            t->to = TO_PREVIOUS;
        else if (c == 1 && !t->any && !m->is_parent[t->from[0]])
            t->to = t->from[0]; /* an internal self-loop */
        else
            t->to = leaves[pick(in, nleaves)];
        c = fuzz_byte(in) % 8;
        if (c < 2 && m->nt > 0 && m->t[m->nt - 1].guarded) {
            /* the "otherwise" branch of the transition before */
            trans_def *prev = &m->t[m->nt - 1];
            t->any = prev->any;
            t->nfrom = prev->nfrom;
            memcpy(t->from, prev->from, sizeof t->from);
            t->event = prev->event;
            t->guarded = 1;
            negate_guard(&t->g, &prev->g);
        } else {
            t->event = c < 4 ? free_event(m, t, in) : pick(in, m->ne);
            t->guarded = c != 7 && gen_guard(m, in, &t->g);
        }
        m->nt++;
    }
    /* Exits: every non-final leaf gets a way out if it has none. */
    for (k = 0; k < nleaves; k++) {
        int s = leaves[k], j, out = 0;
        trans_def *t;
        if (m->final[s] || m->nt >= MT)
            continue;
        for (j = 0; j < m->nt; j++)
            out |= applies(m, &m->t[j], s);
        if (out)
            continue;
        t = &m->t[m->nt];
        memset(t, 0, sizeof *t);
        t->from[t->nfrom++] = s;
        t->to = leaves[pick(in, nleaves)];
        if (t->to == s)
            t->to = m->initial != s ? m->initial : leaves[(k + 1) % nleaves];
        t->event = free_event(m, t, in);
        m->nt++;
    }
}

/* ------------------------------------------------------------------ */
/* Writing the YAML                                                   */
/* ------------------------------------------------------------------ */

typedef struct sbuf {
    char s[24576];
    size_t n;
} sbuf;

static void put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
    va_end(ap);
    FUZZ_CHECK(r >= 0 && (size_t)r < sizeof b->s - b->n, "YAML buffer full");
    b->n += (size_t)r;
}

static void put_lit(sbuf *b, const model *m, const gnode *x, int k)
{
    int type = m->a[x->attr].type;
    switch (type) {
    case TY_INT: put(b, "%" PRId64, int_pool[x->v[k]]); break;
    case TY_VER: put(b, "%s", ver_pool[x->v[k]]); break;
    case TY_BOOL: put(b, "%s", x->v[k] ? "false" : "true"); break;
    case TY_ENUM: put(b, "v%d", x->v[k]); break;
    default: put(b, "%s", str_lit[x->v[k]]); break;
    }
}

/* prec: 0 inside or (anything goes), 1 inside and (or needs parens),
 * 2 under not (and, or need parens). */
static void put_expr(sbuf *b, const model *m, const guard *g, int i, int prec)
{
    const gnode *x = &g->node[i];
    int k, paren;
    switch (x->kind) {
    case G_OR:
    case G_AND:
        paren = x->kind == G_OR ? prec >= 1 : prec >= 2;
        if (paren)
            put(b, "(");
        put_expr(b, m, g, x->a, x->kind == G_OR ? 0 : 1);
        put(b, x->kind == G_OR ? " or " : " and ");
        put_expr(b, m, g, x->b, x->kind == G_OR ? 0 : 1);
        if (paren)
            put(b, ")");
        break;
    case G_NOT:
        put(b, "not ");
        put_expr(b, m, g, x->a, 2);
        break;
    case G_PAREN:
        put(b, "(");
        put_expr(b, m, g, x->a, 0);
        put(b, ")");
        break;
    default:
        if (x->attr < 0) {
            put(b, "g%d", x->named);
            break;
        }
        put(b, "a%d", x->attr);
        if (x->op == OP_BARE)
            break;
        if (x->op == OP_SET) {
            put(b, " in [");
            for (k = 0; k < x->nv; k++) {
                if (k)
                    put(b, ", ");
                put_lit(b, m, x, k);
            }
            put(b, "]");
        } else if (x->op == OP_RANGE) {
            put(b, " in ");
            put_lit(b, m, x, 0);
            put(b, "..");
            put_lit(b, m, x, 1);
        } else {
            put(b, " %s ", op_text[x->op]);
            put_lit(b, m, x, 0);
        }
        break;
    }
}

static void put_field(sbuf *b, const field_def *f)
{
    int k;
    put(b, "{ type: %s", type_name[f->type]);
    if (f->type == TY_ENUM) {
        put(b, ", values: [");
        for (k = 0; k < f->nvalues; k++)
            put(b, "%sv%d", k ? ", " : "", k);
        put(b, "]");
    }
    if (f->written)
        put(b, ", required: %s", f->required ? "true" : "false");
    put(b, " }");
}

static void write_yaml(const model *m, sbuf *b)
{
    int i, k;
    b->n = 0;
    put(b, "dosm: 1\nname: fuzz-model\ntitle: Generated\nrevision: 3\n"
           "initial: S%d\n", m->initial);
    if (m->na) {
        put(b, "attributes:\n");
        for (i = 0; i < m->na; i++) {
            field_def f;
            memset(&f, 0, sizeof f);
            f.type = m->a[i].type;
            f.nvalues = m->a[i].nvalues;
            put(b, "  a%d: ", i);
            put_field(b, &f);
            put(b, "\n");
        }
    }
    if (m->ng) {
        put(b, "guards:\n");
        for (i = 0; i < m->ng; i++)
            put(b, "  g%d: The host decides.\n", i);
    }
    put(b, "states:\n");
    for (k = 0; k < m->ns; k++) {
        i = m->order[k];
        put(b, "  S%d:\n    label: Label %d\n", i, i);
        if (m->parent[i] >= 0)
            put(b, "    parent: S%d\n", m->parent[i]);
        if (m->final[i])
            put(b, "    final: true\n");
        if (!m->is_parent[i])
            put(b, "    external: { fhir: %s }\n",
                m->final[i] ? "completed" : "in-progress");
    }
    put(b, "events:\n");
    for (i = 0; i < m->ne; i++) {
        put(b, "  e%d:\n", i);
        if (m->e[i].nfields) {
            put(b, "    payload:\n");
            for (k = 0; k < m->e[i].nfields; k++) {
                put(b, "      f%d: ", k);
                put_field(b, &m->e[i].f[k]);
                put(b, "\n");
            }
        }
    }
    put(b, "transitions:\n");
    for (i = 0; i < m->nt; i++) {
        const trans_def *t = &m->t[i];
        put(b, "  - { event: e%d, from: ", t->event);
        if (t->any) {
            put(b, "any");
        } else if (t->nfrom == 1 && !t->as_list) {
            put(b, "S%d", t->from[0]);
        } else {
            put(b, "[");
            for (k = 0; k < t->nfrom; k++)
                put(b, "%sS%d", k ? ", " : "", t->from[k]);
            put(b, "]");
        }
        if (t->to == TO_PREVIOUS)
            put(b, ", to: previous");
        else
            put(b, ", to: S%d", t->to);
        if (t->guarded) {
            put(b, ", guard: \"");
            put_expr(b, m, &t->g, t->g.root, 0);
            put(b, "\"");
        }
        put(b, " }\n");
    }
}

/* ------------------------------------------------------------------ */
/* The model's checker                                                */
/* ------------------------------------------------------------------ */

/* Codes as bits of a set. */
enum { C_UNREACHABLE = 1, C_DEAD_END = 2, C_FINAL_OUT = 4, C_OVERLAP = 8,
       C_KIN = 16, C_NEVER = 32 };
static const int code_of_bit[] = {DOSM_D_UNREACHABLE, DOSM_D_DEAD_END,
                                  DOSM_D_FINAL_OUT, DOSM_D_OVERLAP,
                                  DOSM_D_VALUE, DOSM_D_GUARD_NEVER};
#define NBITS ((unsigned)FUZZ_COUNT(code_of_bit))

typedef struct verdict {
    unsigned sure;   /* diagnostics the README makes certain */
    unsigned maybe;  /* diagnostics a defensible reading would give */
    char why[256];   /* the first reason, for the report */
} verdict;

static void verdict_add(verdict *v, int sure, unsigned bit, const char *fmt, ...)
{
    va_list ap;
    if (sure)
        v->sure |= bit;
    else
        v->maybe |= bit;
    if (v->why[0])
        return;
    va_start(ap, fmt);
    vsnprintf(v->why, sizeof v->why, fmt, ap);
    va_end(ap);
}

/* A conjunction's tests, per attribute: an interval and an optional set
 * for integers and versions; required values for booleans; a set for
 * enums and strings. */
typedef struct cons {
    int used;
    uint64_t lo, hi;
    int has_set;
    uint64_t set[16];
    int nset;
    int need_true, need_false;
} cons;

static int set_seen;        /* collect() met a set of integers, versions, text */
static int decide_sets = 1; /* 0: leave those sets undecided, as the library */

/* 0: the test is not one the README says the checker decides (`!=`, a
 * named guard); 1 otherwise. */
static int decidable_test(const gnode *x) { return x->attr >= 0 && x->op != OP_NE; }

/* Walks an and-tree (parentheses allowed). Returns 0 when the guard is not
 * a conjunction of tests; sets *mixed when a test is not decidable. */
static int collect(const model *m, const guard *g, int i, cons *c, int *mixed)
{
    const gnode *x = &g->node[i];
    if (x->kind == G_AND)
        return collect(m, g, x->a, c, mixed) && collect(m, g, x->b, c, mixed);
    if (x->kind == G_PAREN)
        return collect(m, g, x->a, c, mixed);
    if (x->kind != G_TEST)
        return 0;
    if (!decidable_test(x)) {
        *mixed = 1;
        return 1;
    }
    /* Finding: the library does not decide `in [...]` of integers,
     * versions and text (only of enums), though the README counts them
     * among the tests it decides. Undecided here, with a note. */
    if (x->op == OP_SET && m->a[x->attr].type != TY_ENUM && !decide_sets) {
        *mixed = 1;
        set_seen = 1;
        return 1;
    }
    {
        cons *a = &c[x->attr];
        int type = m->a[x->attr].type, k;
        uint64_t vals[MV];
        if (!a->used) {
            a->used = 1;
            a->lo = 0;
            a->hi = UINT64_MAX;
        }
        if (type == TY_BOOL) {
            int want_true = x->op == OP_BARE || x->v[0] == 0;
            if (want_true)
                a->need_true = 1;
            else
                a->need_false = 1;
            return 1;
        }
        for (k = 0; k < x->nv; k++) {
            if (type == TY_INT || type == TY_VER)
                vals[k] = lit_key(type, x->v[k]);
            else if (type == TY_ENUM)
                vals[k] = (uint64_t)x->v[k];
            else /* strings: the value meant, not how it is written */
                vals[k] = (uint64_t)(x->v[k] == 1 ? 0 : x->v[k] == 5 ? 4 : x->v[k]);
        }
        switch (x->op) {
        case OP_LT:
            if (vals[0] == 0)
                a->hi = 0, a->lo = 1;
            else if (vals[0] - 1 < a->hi)
                a->hi = vals[0] - 1;
            break;
        case OP_LE:
            if (vals[0] < a->hi)
                a->hi = vals[0];
            break;
        case OP_GT:
            if (vals[0] == UINT64_MAX)
                a->hi = 0, a->lo = 1;
            else if (vals[0] + 1 > a->lo)
                a->lo = vals[0] + 1;
            break;
        case OP_GE:
            if (vals[0] > a->lo)
                a->lo = vals[0];
            break;
        case OP_RANGE:
            if (vals[0] > a->lo)
                a->lo = vals[0];
            if (vals[1] < a->hi)
                a->hi = vals[1];
            break;
        default: { /* == or in [...]: intersect the sets */
            int n = x->op == OP_SET ? x->nv : 1, j, q, w = 0;
            if (!a->has_set) {
                a->has_set = 1;
                for (j = 0; j < n; j++)
                    a->set[a->nset++] = vals[j];
                break;
            }
            for (q = 0; q < a->nset; q++) {
                int keep = 0;
                for (j = 0; j < n; j++)
                    keep |= a->set[q] == vals[j];
                if (keep)
                    a->set[w++] = a->set[q];
            }
            a->nset = w;
            break;
        }
        }
    }
    return 1;
}

static int cons_sat(const cons *c, int na)
{
    int i, q;
    for (i = 0; i < na; i++) {
        const cons *a = &c[i];
        int ok;
        if (!a->used)
            continue;
        if (a->need_true && a->need_false)
            return 0;
        if (a->lo > a->hi)
            return 0;
        if (!a->has_set)
            continue;
        for (ok = 0, q = 0; q < a->nset; q++)
            ok |= a->set[q] >= a->lo && a->set[q] <= a->hi;
        if (!ok)
            return 0;
    }
    return 1;
}

/* Can guards g1 and g2 both hold? 1 yes (the checker decides it), 0 no
 * (or the checker cannot decide: file order decides), 2 undecided
 * between those (a conjunction with `!=` or a named guard whose other
 * tests admit a common order). g2 may be NULL (one guard alone). */
static int can_both_hold(const model *m, const guard *g1, const guard *g2)
{
    cons c[MA];
    int mixed = 0;
    memset(c, 0, sizeof c);
    if (!collect(m, g1, g1->root, c, &mixed))
        return g2 ? 0 : 2;
    if (g2 && !collect(m, g2, g2->root, c, &mixed))
        return 0;
    if (!cons_sat(c, m->na))
        return 0;
    return mixed ? 2 : 1;
}

/* 1: the guard can never hold by tests the README says the checker
 * decides (no `!=`, named guard, or set of integers, versions or text);
 * 2: it can never hold, by a reading the checker need not make; 0: it may
 * hold. */
static int never_holds(const model *m, const guard *g)
{
    cons c[MA];
    int mixed = 0, decided;
    memset(c, 0, sizeof c);
    decide_sets = 0;
    decided = collect(m, g, g->root, c, &mixed) && !mixed &&
              !cons_sat(c, m->na);
    decide_sets = 1;
    if (decided)
        return 1;
    return can_both_hold(m, g, NULL) == 0 ? 2 : 0;
}

static int lists(const trans_def *t, int s)
{
    int k;
    for (k = 0; k < t->nfrom; k++)
        if (t->from[k] == s)
            return 1;
    return 0;
}

/* Does the transition list a state together with its ancestor or
 * descendant? */
static int lists_kin(const model *m, const trans_def *t)
{
    int j, k;
    for (j = 0; j < t->nfrom; j++)
        for (k = 0; k < t->nfrom; k++)
            if (is_ancestor(m, t->from[j], t->from[k]))
                return 1;
    return 0;
}

static int has_live_leaf(const model *m, int p)
{
    int s;
    for (s = 0; s < m->ns; s++)
        if (!m->is_parent[s] && !m->final[s] && (s == p || is_ancestor(m, p, s)))
            return 1;
    return 0;
}

static int has_final_leaf(const model *m, int p)
{
    int s;
    for (s = 0; s < m->ns; s++)
        if (m->final[s] && is_ancestor(m, p, s))
            return 1;
    return 0;
}

/* Reachability over explicit targets. unsat: skip transitions whose guard
 * cannot hold; finals: let final leaves take their ancestors' transitions. */
static void reach(const model *m, int *seen, int unsat, int finals)
{
    int queue[MS], head = 0, tail = 0, i;
    memset(seen, 0, sizeof(int) * MS);
    seen[m->initial] = 1;
    queue[tail++] = m->initial;
    while (head < tail) {
        int s = queue[head++];
        for (i = 0; i < m->nt; i++) {
            const trans_def *t = &m->t[i];
            int ok = applies(m, t, s) && (!m->final[s] || (finals && !t->any));
            if (!ok || t->to == TO_PREVIOUS || seen[t->to])
                continue;
            if (unsat && t->guarded && can_both_hold(m, &t->g, NULL) == 0)
                continue;
            seen[t->to] = 1;
            queue[tail++] = t->to;
        }
    }
}

static void check_model(const model *m, verdict *v)
{
    int s, i, j, seen[MS], seen_sat[MS], seen_fin[MS];
    memset(v, 0, sizeof *v);
    /* reading: `final: true`: "no transition may leave it": a transition
     * listing a final state is DOSM_D_FINAL_OUT. One from its ancestor is
     * undecided (a parent's transitions apply to all its descendants, but
     * `from: any` leaves finals out). */
    for (i = 0; i < m->nt; i++)
        for (j = 0; j < m->t[i].nfrom; j++) {
            int f = m->t[i].from[j];
            if (m->final[f])
                verdict_add(v, 1, C_FINAL_OUT, "transition %d leaves final S%d", i, f);
            else if (m->is_parent[f] && has_final_leaf(m, f))
                verdict_add(v, 0, C_FINAL_OUT, "transition %d from S%d, an ancestor of a final", i, f);
        }
    /* The README: a `from` list may not name a state and its ancestor
     * (DOSM_D_VALUE, the parent covers it). */
    for (i = 0; i < m->nt; i++)
        if (lists_kin(m, &m->t[i]))
            verdict_add(v, 1, C_KIN, "transition %d lists a state with its ancestor", i);
    /* The README: a guard that can never hold is refused. */
    for (i = 0; i < m->nt; i++) {
        int never = m->t[i].guarded ? never_holds(m, &m->t[i].g) : 0;
        if (never)
            verdict_add(v, never == 1, C_NEVER, "the guard of transition %d can never hold", i);
    }
    /* Reachability: leaves no path reaches (guards not evaluated; guards
     * that cannot hold and finals' inherited transitions undecided). */
    reach(m, seen, 0, 0);
    reach(m, seen_sat, 1, 0);
    reach(m, seen_fin, 0, 1);
    for (s = 0; s < m->ns; s++) {
        if (m->is_parent[s])
            continue;
        if (!seen[s] && !seen_fin[s])
            verdict_add(v, 1, C_UNREACHABLE, "S%d unreachable", s);
        else if (!seen[s])
            verdict_add(v, 0, C_UNREACHABLE, "S%d reachable only out of a final", s);
        else if (!seen_sat[s])
            verdict_add(v, 0, C_UNREACHABLE, "S%d reachable only through a guard that cannot hold", s);
    }
    /* Dead ends: a non-final leaf no transition leaves. reading: a
     * transition to the same state or to `previous` is a transition out
     * (undecided), a guard that cannot hold too. */
    for (s = 0; s < m->ns; s++) {
        int any_out = 0, real_out = 0;
        if (m->is_parent[s] || m->final[s])
            continue;
        for (i = 0; i < m->nt; i++) {
            const trans_def *t = &m->t[i];
            if (!applies(m, t, s))
                continue;
            any_out = 1;
            if (t->to != TO_PREVIOUS && t->to != s &&
                (!t->guarded || can_both_hold(m, &t->g, NULL) != 0))
                real_out = 1;
        }
        if (!any_out)
            verdict_add(v, 1, C_DEAD_END, "S%d has no way out", s);
        else if (!real_out)
            verdict_add(v, 0, C_DEAD_END, "S%d leaves only to itself, to previous or through a guard that cannot hold", s);
    }
    /* Overlaps, per state listed in `from` (and `any`), per event. */
    for (s = -1; s < m->ns; s++) {
        for (i = 0; i < m->nt; i++) {
            const trans_def *t = &m->t[i];
            if (s < 0 ? !t->any : !lists(t, s))
                continue;
            for (j = i + 1; j < m->nt; j++) {
                const trans_def *u = &m->t[j];
                int both, sure = 1;
                if (u->event != t->event || (s < 0 ? !u->any : !lists(u, s)))
                    continue;
                if (!t->guarded || !u->guarded) {
                    both = 1;
                } else {
                    both = can_both_hold(m, &t->g, &u->g);
                    if (both == 1) { /* certain; also without the sets?
                                        the README decides sets of enums only */
                        set_seen = 0;
                        decide_sets = 0;
                        if (can_both_hold(m, &t->g, &u->g) == 2 && set_seen)
                            both = 2;
                        decide_sets = 1;
                    }
                }
                if (!both)
                    continue;
                if (both == 2)
                    sure = 0;
                /* A parent whose leaves are all final, or a list that
                 * names a state with its ancestor: undecided. */
                if (s >= 0 && m->is_parent[s] && !has_live_leaf(m, s))
                    sure = 0;
                if (lists_kin(m, t) || lists_kin(m, u))
                    sure = 0;
                verdict_add(v, sure, C_OVERLAP, "transitions %d and %d of e%d from %s%d can both hold",
                            i, j, t->event, s < 0 ? "any/" : "S", s);
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* The model's runtime                                                */
/* ------------------------------------------------------------------ */

/* The attributes of one request: per attribute, where the value is and
 * what it means. */
enum { AT_ABSENT, AT_PAIR, AT_LOOKUP, AT_BOTH };
typedef struct attrs {
    int mode[MA];
    const char *text[MA];   /* the value in effect */
    const char *shadow[MA]; /* AT_BOTH: the lookup's (pairs win) */
    dosm_pair pairs[MA];
    size_t npairs;
    dosm_values values;
} attrs;

typedef struct payload {
    int present[MF], valid[MF];
    const char *text[MF];
    int unknown;            /* carries a field the event does not have */
    dosm_pair pairs[MF + 1];
    size_t npairs;
    dosm_values values;
    int ok;                 /* the model's judgement */
} payload;

typedef struct world {
    const model *m;
    const attrs *at;
    uint32_t named;         /* named guards' answers, bit per guard */
    int host;               /* 0: no host, named guards false */
} world;

static const char *attr_lookup(void *user, const char *name)
{
    const attrs *a = user;
    int i;
    if (name[0] != 'a' || name[1] < '0' || name[1] > '9' || name[2])
        return NULL;
    i = name[1] - '0';
    if (i >= MA)
        return NULL;
    if (a->mode[i] == AT_LOOKUP)
        return a->text[i];
    if (a->mode[i] == AT_BOTH)
        return a->shadow[i];
    return NULL;
}

static const char *const *req_pool(int type, int *n)
{
    switch (type) {
    case TY_INT: *n = N(req_int); return req_int;
    case TY_VER: *n = N(req_ver); return req_ver;
    case TY_BOOL: *n = N(req_bool); return req_bool;
    case TY_STR: *n = N(req_str); return req_str;
    default: *n = N(req_enum); return req_enum;
    }
}

static const char *gen_value(fuzz_in *in, int type, int nvalues)
{
    int n;
    const char *const *pool = req_pool(type, &n);
    if (type == TY_ENUM)
        n = nvalues;
    return pool[pick(in, n)];
}

static char attr_names[MA][4];

static void gen_attrs(const model *m, fuzz_in *in, attrs *a)
{
    int i;
    memset(a, 0, sizeof *a);
    for (i = 0; i < m->na; i++) {
        unsigned c = fuzz_byte(in) % 8;
        a->mode[i] = c < 2 ? AT_ABSENT : c < 5 ? AT_PAIR : c < 7 ? AT_LOOKUP : AT_BOTH;
        if (a->mode[i] == AT_ABSENT)
            continue;
        a->text[i] = gen_value(in, m->a[i].type, m->a[i].nvalues);
        if (a->mode[i] == AT_BOTH)
            a->shadow[i] = gen_value(in, m->a[i].type, m->a[i].nvalues);
        if (a->mode[i] == AT_PAIR || a->mode[i] == AT_BOTH) {
            a->pairs[a->npairs].name = attr_names[i];
            a->pairs[a->npairs].value = a->text[i];
            a->npairs++;
        }
    }
    /* Pairs in a random order. */
    for (i = (int)a->npairs - 1; i > 0; i--) {
        int j = pick(in, i + 1);
        dosm_pair t = a->pairs[i];
        a->pairs[i] = a->pairs[j];
        a->pairs[j] = t;
    }
    a->values.pairs = a->pairs;
    a->values.count = a->npairs;
    a->values.lookup = fuzz_byte(in) % 4 ? attr_lookup : NULL;
    a->values.lookup_user = a;
    if (!a->values.lookup)
        for (i = 0; i < m->na; i++)
            if (a->mode[i] == AT_LOOKUP)
                a->mode[i] = AT_ABSENT;
}

static const char *const field_names[] = {"f0", "f1"};

static void gen_payload(const event_def *e, fuzz_in *in, payload *p)
{
    int k;
    memset(p, 0, sizeof *p);
    p->ok = 1;
    for (k = 0; k < e->nfields; k++) {
        const field_def *f = &e->f[k];
        unsigned c = fuzz_byte(in) % 8;
        p->present[k] = c != 0;
        p->valid[k] = c < 6 || f->type == TY_STR;
        if (!p->present[k]) {
            if (f->required)
                p->ok = 0;
            continue;
        }
        if (p->valid[k]) {
            p->text[k] = gen_value(in, f->type, f->nvalues);
        } else {
            p->ok = 0;
            switch (f->type) {
            case TY_INT: p->text[k] = bad_int[pick(in, N(bad_int))]; break;
            case TY_VER: p->text[k] = bad_ver[pick(in, N(bad_ver))]; break;
            case TY_BOOL: p->text[k] = bad_bool[pick(in, N(bad_bool))]; break;
            default: p->text[k] = bad_enum[pick(in, N(bad_enum))]; break;
            }
        }
        p->pairs[p->npairs].name = field_names[k];
        p->pairs[p->npairs].value = p->text[k];
        p->npairs++;
    }
    if (fuzz_byte(in) % 8 == 0) {
        p->unknown = 1;
        p->ok = 0;
        p->pairs[p->npairs].name = e->nfields < 2 ? "f1" : "zz";
        if (e->nfields == 0)
            p->pairs[p->npairs].name = "f0";
        p->pairs[p->npairs].value = "1";
        p->npairs++;
    }
    p->values.pairs = p->pairs;
    p->values.count = p->npairs;
}

enum { EV_FALSE = 0, EV_TRUE = 1, EV_MISSING = 2 };

static int str_index(const char *s)
{
    int k;
    for (k = 0; k < N(str_val); k++)
        if (strcmp(str_val[k], s) == 0)
            return k;
    return -1;
}

static int eval_test(const world *w, const gnode *x)
{
    const model *m = w->m;
    const char *val;
    int type, k, hit;
    if (x->attr < 0)
        return w->host ? (int)(w->named >> x->named & 1) : EV_FALSE;
    /* reading: "a guard that reads an attribute the order does not have
     * is false", and `units > 2 or rush` does not hold for a rush order
     * whose units is unknown: reading a missing attribute ends the whole
     * guard as false, whatever `not`, `and` or `or` around it. */
    val = w->at->mode[x->attr] == AT_ABSENT ? NULL : w->at->text[x->attr];
    if (!val)
        return EV_MISSING;
    type = m->a[x->attr].type;
    if (type == TY_BOOL) {
        int is_true = strcmp(val, "true") == 0;
        if (x->op == OP_BARE)
            return is_true;
        return (is_true == (x->v[0] == 0)) == (x->op == OP_EQ);
    }
    if (type == TY_INT || type == TY_VER) {
        uint64_t have = type == TY_INT ? int_key(strtoll(val, NULL, 10)) : ver_pack(val);
        uint64_t v0 = lit_key(type, x->v[0]);
        switch (x->op) {
        case OP_EQ: return have == v0;
        case OP_NE: return have != v0;
        case OP_LT: return have < v0;
        case OP_LE: return have <= v0;
        case OP_GT: return have > v0;
        case OP_GE: return have >= v0;
        case OP_RANGE: return have >= v0 && have <= lit_key(type, x->v[1]);
        default:
            for (hit = 0, k = 0; k < x->nv; k++)
                hit |= have == lit_key(type, x->v[k]);
            return hit;
        }
    }
    /* enum and string: exact text. */
    for (hit = 0, k = 0; k < x->nv; k++) {
        if (type == TY_ENUM) {
            char lit[8];
            snprintf(lit, sizeof lit, "v%d", x->v[k]);
            hit |= strcmp(val, lit) == 0;
        } else {
            hit |= str_index(val) >= 0 && strcmp(str_val[x->v[k]], val) == 0;
        }
    }
    return x->op == OP_NE ? !hit : hit;
}

static int eval(const world *w, const guard *g, int i)
{
    const gnode *x = &g->node[i];
    int l;
    switch (x->kind) {
    case G_OR:
        l = eval(w, g, x->a);
        if (l != EV_FALSE)
            return l;
        return eval(w, g, x->b);
    case G_AND:
        l = eval(w, g, x->a);
        if (l != EV_TRUE)
            return l;
        return eval(w, g, x->b);
    case G_NOT:
        l = eval(w, g, x->a);
        return l == EV_MISSING ? l : !l;
    case G_PAREN:
        return eval(w, g, x->a);
    default:
        return eval_test(w, x);
    }
}

static int guard_holds(const world *w, const trans_def *t)
{
    return t->guarded ? eval(w, &t->g, t->g.root) : EV_TRUE;
}

/* The transitions of event e that apply in leaf s, in the order fire
 * tries them: from s, from its parent, its grandparent, ..., from any;
 * file order within each group. reading: a transition that lists both a
 * state and its ancestor is tried once, in the first group that has it. */
static int candidates(const model *m, int s, int e, int *out)
{
    int n = 0, lvl, i, k, dup;
    if (m->final[s])
        return 0;
    for (lvl = s; lvl >= 0; lvl = m->parent[lvl])
        for (i = 0; i < m->nt; i++) {
            if (m->t[i].event != e || m->t[i].any || !lists(&m->t[i], lvl))
                continue;
            for (dup = 0, k = 0; k < n; k++)
                dup |= out[k] == i;
            if (!dup)
                out[n++] = i;
        }
    for (i = 0; i < m->nt; i++)
        if (m->t[i].event == e && m->t[i].any)
            out[n++] = i;
    return n;
}

typedef struct answer {
    int code, transition, state, previous;
    int chosen; /* the transition whose guard held first, or -1 */
} answer;

/* Fire event e in (s, p). pay NULL: payloads not checked (paths). */
static answer model_fire(const world *w, int s, int p, int e, const payload *pay)
{
    const model *m = w->m;
    answer r = {DOSM_R_UNKNOWN_EVENT, -1, s, p, -1};
    int cand[MT], n, k, missing = 0;
    if (e < 0 || e >= m->ne)
        return r;
    if (m->final[s]) {
        r.code = DOSM_R_FINAL;
        return r;
    }
    n = candidates(m, s, e, cand);
    if (n == 0) {
        r.code = DOSM_R_NOT_ALLOWED;
        return r;
    }
    for (k = 0; k < n; k++) {
        const trans_def *t = &m->t[cand[k]];
        int h = guard_holds(w, t);
        if (h == EV_MISSING)
            missing = 1;
        if (h != EV_TRUE)
            continue;
        r.chosen = cand[k];
        /* "The first whose guard holds is taken": a `to: previous` without
         * a previous state is then refused, not passed over. */
        if (t->to == TO_PREVIOUS && p == NOPREV) {
            r.code = DOSM_R_NO_HISTORY;
            return r;
        }
        /* dosm.h's one order of reasons: the payload after the guards */
        if (pay && !pay->ok) {
            r.code = DOSM_R_PAYLOAD;
            return r;
        }
        r.code = DOSM_OK;
        r.transition = cand[k];
        r.state = t->to == TO_PREVIOUS ? p : t->to;
        r.previous = r.state == s ? p : s;
        return r;
    }
    /* reading: when no guard holds, DOSM_R_MISSING_ATTR if one of them
     * stopped at a missing attribute, else DOSM_R_GUARD. */
    r.code = missing ? DOSM_R_MISSING_ATTR : DOSM_R_GUARD;
    return r;
}

/* ------------------------------------------------------------------ */
/* Comparing                                                          */
/* ------------------------------------------------------------------ */

typedef struct ctx {
    const model *m;
    sbuf yaml;
    dosm_def *def;
    dosm_host *host_obj;
    const dosm_host *host;
    world w;
    int ls[MS];          /* model state -> library index */
    int ms[64];          /* library index -> model state */
    int le[ME];          /* model event -> library index */
    int me[ME];
    payload pay[ME];
    int null_payload;    /* an empty payload is given as NULL */
    dosm_request req;
} ctx;

static ctx C;

static unsigned long stat_defs, stat_loaded, stat_refused, stat_undecided,
    stat_calls;

static void report_stats(void)
{
    fprintf(stderr, "dosm fuzz model: %lu definitions: %lu loaded, %lu refused "
            "as the model expected, %lu left undecided by the README and "
            "refused; %lu library calls compared\n", stat_defs, stat_loaded,
            stat_refused, stat_undecided, stat_calls);
}

static int named_guard(const dosm_callback_info *info, void *user)
{
    const dosm_def *def = info->def;
    const dosm_instance *inst = info->before;
    const dosm_request *req = info->request;
    (void)def;
    (void)inst;
    (void)req;
    return (int)(C.w.named >> (unsigned)(uintptr_t)user & 1);
}

static const char *sid(int s)
{
    static char buf[4][16];
    static int k;
    k = (k + 1) & 3;
    if (s == NOPREV)
        return "(none)";
    snprintf(buf[k], sizeof buf[k], "S%d", s);
    return buf[k];
}

static void describe_request(const char *what, int s, int p, int e,
                             const payload *pay)
{
    const model *m = C.m;
    int i;
    fprintf(stderr, "\n---- workflow ----\n%.*s---- request ----\n%s in %s "
            "(previous %s)", (int)C.yaml.n, C.yaml.s, what, sid(s), sid(p));
    if (e >= 0)
        fprintf(stderr, ", event e%d", e);
    fprintf(stderr, "\nattributes:");
    for (i = 0; i < m->na; i++) {
        static const char *const mode[] = {"absent", "pair", "lookup", "pair+lookup"};
        fprintf(stderr, " a%d=%s%s%s%s", i,
                C.w.at->mode[i] == AT_ABSENT ? "" : C.w.at->text[i],
                C.w.at->mode[i] == AT_ABSENT ? "" : " (", mode[C.w.at->mode[i]],
                C.w.at->mode[i] == AT_ABSENT ? "" : ")");
    }
    fprintf(stderr, "\nhost: %s", C.host ? "yes" : "none");
    for (i = 0; i < m->ng; i++)
        fprintf(stderr, " g%d=%d", i, C.host ? (int)(C.w.named >> i & 1) : 0);
    if (pay) {
        size_t k;
        fprintf(stderr, "\npayload:");
        for (k = 0; k < pay->npairs; k++)
            fprintf(stderr, " %s=%s", pay->pairs[k].name, pay->pairs[k].value);
        fprintf(stderr, " (model: %s)", pay->ok ? "valid" : "invalid");
    }
    fprintf(stderr, "\n");
}

#define DISAGREE(what, s, p, e, pay, ...)                                     \
    do {                                                                      \
        describe_request((what), (s), (p), (e), (pay));                       \
        FUZZ_FAIL(__VA_ARGS__);                                               \
    } while (0)

static int lib_state(int idx)
{
    if (idx == (int)DOSM_NO_STATE || idx < 0)
        return NOPREV;
    return idx < 64 ? C.ms[idx] : -2;
}

static dosm_instance make_inst(int s, int p, uint32_t seq)
{
    dosm_instance inst;
    inst.state = (uint16_t)C.ls[s];
    inst.previous = (int16_t)(p == NOPREV ? DOSM_NO_STATE : C.ls[p]);
    inst.seq = seq;
    return inst;
}

static void compare_step(int s, int p, int e, const payload *pay, uint32_t seq)
{
    dosm_instance inst = make_inst(s, p, seq), copy = inst, by_index = inst;
    dosm_outcome tried, fired, indexed;
    answer want = model_fire(&C.w, s, p, e, pay);
    int rt, rf, ri;
    C.req.event = e < C.m->ne ? dosm_event_name(C.def, C.le[e]) : "no_such_event";
    /* No payload at all, or an empty one: the same to the model. */
    C.req.payload = pay->npairs == 0 && C.null_payload ? NULL : &pay->values;
    rt = dosm_try(C.def, C.host, &inst, &C.req, &tried);
    rf = dosm_fire(C.def, C.host, &copy, &C.req, &fired);
    ri = dosm_fire_index(C.def, C.host, &by_index,
                         e < C.m->ne ? C.le[e] : (int)dosm_event_count(C.def),
                         &C.req, &indexed);
    stat_calls += 3;
    if (rt != rf || rf != ri)
        DISAGREE("dosm_try, dosm_fire and dosm_fire_index", s, p, e, pay,
                 "dosm_try says %s, dosm_fire %s, dosm_fire_index %s",
                 dosm_code_name(rt), dosm_code_name(rf), dosm_code_name(ri));
    if (memcmp(&copy, &by_index, sizeof copy) != 0 ||
        (rf == DOSM_OK && fired.transition != indexed.transition))
        DISAGREE("dosm_fire and dosm_fire_index", s, p, e, pay, "dosm_fire "
                 "gives {%s, %s, %u} by transition %d, dosm_fire_index {%s, "
                 "%s, %u} by transition %d", sid(lib_state(copy.state)),
                 sid(lib_state(copy.previous)), (unsigned)copy.seq,
                 fired.transition, sid(lib_state(by_index.state)),
                 sid(lib_state(by_index.previous)), (unsigned)by_index.seq,
                 indexed.transition);
    if (rt != want.code)
        DISAGREE("dosm_try", s, p, e, pay, "dosm_try says %s, the model %s "
                 "(transition %d)", dosm_code_name(rt),
                 dosm_code_name(want.code), want.transition);
    if (rt != want.code)
        return;
    if (want.code == DOSM_OK) {
        int to = dosm_state_find(C.def, tried.record.to ? tried.record.to : "");
        if (tried.transition != want.transition || lib_state(to) != want.state)
            DISAGREE("dosm_try", s, p, e, pay, "dosm_try takes transition %d "
                     "to %s, the model transition %d to %s", tried.transition,
                     tried.record.to ? tried.record.to : "(null)",
                     want.transition, sid(want.state));
        if (fired.transition != want.transition ||
            lib_state(copy.state) != want.state ||
            lib_state(copy.previous) != want.previous || copy.seq != seq + 1)
            DISAGREE("dosm_fire", s, p, e, pay, "dosm_fire takes transition "
                     "%d to %s (previous %s, seq %u), the model transition %d "
                     "to %s (previous %s, seq %u)", fired.transition,
                     sid(lib_state(copy.state)), sid(lib_state(copy.previous)),
                     (unsigned)copy.seq, want.transition, sid(want.state),
                     sid(want.previous), (unsigned)seq + 1);
    } else if (memcmp(&copy, &inst, sizeof inst) != 0) {
        DISAGREE("dosm_fire", s, p, e, pay, "a rejection changed the instance");
    }
}

/* dosm_choices, as dosm.h defines each choice's code and sentence. */
static void compare_options(int s, int p)
{
    const model *m = C.m;
    dosm_instance inst = make_inst(s, p, 7);
    dosm_choice opt[MT * 2];
    int cand[ME][MT], ncand[ME], seen[ME], taken[ME], e, total = 0;
    size_t n, k;
    n = dosm_choices(C.def, C.host, &inst, &C.req, opt, FUZZ_COUNT(opt));
    stat_calls++;
    for (e = 0; e < m->ne; e++) {
        ncand[e] = candidates(m, s, e, cand[e]);
        total += ncand[e];
        seen[e] = taken[e] = 0;
    }
    if (n != (size_t)total)
        DISAGREE("dosm_choices", s, p, -1, NULL, "dosm_choices lists "
                 "%zu transitions, the model %d", n, total);
    for (k = 0; k < n; k++) {
        int me_ = opt[k].event >= 0 && opt[k].event < ME ? C.me[opt[k].event] : -1;
        const trans_def *t;
        int want_code, want_target, h;
        if (me_ < 0 || seen[me_] >= ncand[me_])
            DISAGREE("dosm_choices", s, p, -1, NULL, "option %zu is event "
                     "%d (transition %d), which the model does not list "
                     "there", k, opt[k].event, opt[k].transition);
        t = &m->t[cand[me_][seen[me_]]];
        h = guard_holds(&C.w, t);
        /* dosm.h: its own guard's answer; of those that hold, the first is
         * taken (no previous: DOSM_R_NO_HISTORY), the later shadowed */
        want_code = h == EV_TRUE ? DOSM_OK : h == EV_MISSING ? DOSM_R_MISSING_ATTR
                                                            : DOSM_R_GUARD;
        if (want_code == DOSM_OK && taken[me_])
            want_code = DOSM_R_SHADOWED;
        else if (want_code == DOSM_OK) {
            taken[me_] = 1;
            if (t->to == TO_PREVIOUS && p == NOPREV)
                want_code = DOSM_R_NO_HISTORY;
        }
        want_target = t->to == TO_PREVIOUS ? p : t->to;
        if (opt[k].transition != cand[me_][seen[me_]] ||
            opt[k].code != want_code || lib_state(opt[k].target) != want_target)
            DISAGREE("dosm_choices", s, p, me_, NULL, "option %zu is "
                     "transition %d (%s, target %d), the model's %d-th of "
                     "e%d is transition %d (%s, target %s)", k,
                     opt[k].transition, dosm_code_name(opt[k].code),
                     opt[k].target, seen[me_], me_, cand[me_][seen[me_]],
                     dosm_code_name(want_code), sid(want_target));
        seen[me_]++;
    }
}

/* Breadth-first search of the model over (state, previous). */
#define NODE(s, p) ((s) * (MS + 1) + (p) + 1)
static void model_bfs(int s, int p, int *dist)
{
    int queue[MS * (MS + 1)], head = 0, tail = 0, i, e;
    for (i = 0; i < MS * (MS + 1); i++)
        dist[i] = -1;
    dist[NODE(s, p)] = 0;
    queue[tail++] = NODE(s, p);
    while (head < tail) {
        int node = queue[head++], cs = node / (MS + 1), cp = node % (MS + 1) - 1;
        for (e = 0; e < C.m->ne; e++) {
            answer a = model_fire(&C.w, cs, cp, e, NULL);
            int next;
            if (a.code != DOSM_OK)
                continue;
            next = NODE(a.state, a.previous);
            if (dist[next] < 0) {
                dist[next] = dist[node] + 1;
                queue[tail++] = next;
            }
        }
    }
}

static void compare_paths(int s, int p)
{
    const model *m = C.m;
    int dist[MS * (MS + 1)], target;
    model_bfs(s, p, dist);
    for (target = 0; target < m->ns; target++) {
        dosm_instance inst = make_inst(s, p, 3);
        dosm_step steps[64];
        dosm_outcome out;
        size_t len = 9999, k;
        int best = -1, q, rc, cs = s, cp = p;
        if (m->is_parent[target])
            continue;
        for (q = -1; q < m->ns; q++) {
            int d = dist[NODE(target, q)];
            if (d >= 0 && (best < 0 || d < best))
                best = d;
        }
        rc = dosm_path(C.def, C.host, &inst, C.ls[target], &C.req, steps,
                       FUZZ_COUNT(steps), &len, &out);
        stat_calls++;
        if (best < 0) {
            if (rc != DOSM_R_NO_PATH)
                DISAGREE("dosm_path", s, p, -1, NULL, "dosm_path to %s says %s "
                         "(length %zu), the model finds no path",
                         sid(target), dosm_code_name(rc), len);
            continue;
        }
        if (rc != DOSM_OK || len != (size_t)best)
            DISAGREE("dosm_path", s, p, -1, NULL, "dosm_path to %s says %s, "
                     "length %zu; the model's shortest path has %d steps",
                     sid(target), dosm_code_name(rc), len, best);
        for (k = 0; k < len; k++) {
            int ev = steps[k].event >= 0 && steps[k].event < ME ? C.me[steps[k].event] : -1;
            answer a = model_fire(&C.w, cs, cp, ev, NULL);
            if (lib_state(steps[k].from) != cs || a.code != DOSM_OK ||
                a.transition != steps[k].transition ||
                lib_state(steps[k].to) != a.state)
                DISAGREE("dosm_path", s, p, -1, NULL, "dosm_path to %s: step "
                         "%zu (from %d, event %d, transition %d, to %d) is "
                         "not what firing does in %s (previous %s): %s, "
                         "transition %d to %s", sid(target), k,
                         steps[k].from, steps[k].event, steps[k].transition,
                         steps[k].to, sid(cs), sid(cp),
                         dosm_code_name(a.code), a.transition, sid(a.state));
            cs = a.state;
            cp = a.previous;
        }
        if (cs != target)
            DISAGREE("dosm_path", s, p, -1, NULL, "dosm_path to %s ends in %s",
                     sid(target), sid(cs));
    }
}

/* ---- replay ---- */

typedef struct mrec {
    const char *workflow;
    uint32_t revision, seq;
    const char *from, *event, *to;
} mrec;

static int model_state_of(const char *id)
{
    int s;
    if (!id || id[0] != 'S')
        return -2;
    for (s = 0; s < C.m->ns; s++)
        if (strcmp(id, sid(s)) == 0)
            return s;
    return -2;
}

/* Is (s, p) --event--> to a legal step, guards not evaluated? Sets
 * *shadowed when the only way there is a transition that an unguarded
 * one before it always hides. */
static int legal_step(int s, int p, int e, int to, int *shadowed)
{
    int cand[MT], n, k, blocked = 0, legal = 0;
    *shadowed = 0;
    if (e < 0 || to < 0)
        return 0;
    n = candidates(C.m, s, e, cand);
    for (k = 0; k < n; k++) {
        const trans_def *t = &C.m->t[cand[k]];
        int dest = t->to == TO_PREVIOUS ? p : t->to;
        if (dest == to && dest >= 0) {
            if (!blocked)
                return 1;
            legal = 1;
        }
        if (!t->guarded)
            blocked = 1;
    }
    *shadowed = legal;
    return 0;
}

/* The model's replay. relax: R_WORKFLOW skips that check; R_SHADOW lets
 * a step through a transition an unguarded one before it always hides.
 * A record may be of this revision (3) or an older one (the header: a
 * host's log spans upgrades), never of revision 0 or a newer one.
 * Returns the index of the first bad record, or n (then *s, *p, *seq
 * are the rebuilt instance). */
enum { R_WORKFLOW = 1, R_SHADOW = 2 };
static size_t model_replay(const dosm_record *recs, size_t n, unsigned relax,
                           int *s, int *p, uint32_t *seq)
{
    size_t i;
    for (i = 0; i < n; i++) {
        const dosm_record *r = &recs[i];
        int e = r->event ? dosm_event_find(C.def, r->event) : -1, to, shadowed;
        e = e >= 0 && e < ME ? C.me[e] : -1;
        to = model_state_of(r->to);
        if ((!(relax & R_WORKFLOW) &&
             (!r->workflow || strcmp(r->workflow, "fuzz-model") != 0)) ||
            r->revision == 0 || r->revision > 3 ||
            r->seq != *seq + 1 || model_state_of(r->from) != *s || to < 0 ||
            (!legal_step(*s, *p, e, to, &shadowed) &&
             !(shadowed && relax & R_SHADOW)))
            return i;
        *p = to == *s ? *p : *s;
        *s = to;
        (*seq)++;
    }
    return n;
}

static int note_relax[2];
static const char *const relax_key[] = {"replay-workflow", "replay-shadowed"};
static const char *const relax_text[] = {
    "dosm_replay accepts a record of another workflow (the header: \"a "
    "legal step of this workflow and revision\"): reported, tolerated "
    "until fixed",
    "dosm_replay accepts a step through a transition that an unguarded one "
    "before it always hides (the README: the first whose guard holds is "
    "taken; the header: guards are not re-evaluated)"};

static void compare_replay(const dosm_instance *start, int s0, int p0,
                           uint32_t seq0, const dosm_record *recs, size_t n,
                           const char *what)
{
    dosm_instance out;
    dosm_error err;
    size_t bad = 777, want_bad = n;
    int rc, s = s0, p = p0;
    unsigned relax;
    uint32_t seq = seq0;
    memset(&err, 0, sizeof err);
    rc = dosm_replay(C.def, start, recs, n, &out, &bad, &err);
    stat_calls++;
    for (relax = 0; relax < 4; relax++) {
        size_t b;
        int ms = s0, mp = p0;
        uint32_t mseq = seq0;
        unsigned k;
        b = model_replay(recs, n, relax, &ms, &mp, &mseq);
        if (relax == 0) {
            want_bad = b;
            s = ms;
            p = mp;
            seq = mseq;
        }
        if (b == n ? rc == DOSM_OK && lib_state(out.state) == ms &&
                         lib_state(out.previous) == mp && out.seq == mseq
                   : rc == DOSM_E_HISTORY && bad == b) {
            for (k = 0; k < 2; k++)
                if (relax >> k & 1)
                    note(&note_relax[k], relax_key[k], relax_text[k]);
            return;
        }
    }
    if (want_bad == n)
        DISAGREE(what, s0, p0, -1, NULL, "dosm_replay of %zu records: %s "
                 "at %zu (%s), {%s, %s, %u}; the model: legal, {%s, %s, %u}",
                 n, dosm_code_name(rc), bad, err.text,
                 rc ? "-" : sid(lib_state(out.state)),
                 rc ? "-" : sid(lib_state(out.previous)),
                 (unsigned)out.seq, sid(s), sid(p), (unsigned)seq);
    DISAGREE(what, s0, p0, -1, NULL, "dosm_replay of %zu records: %s at "
             "%zu (%s); the model: record %zu (%s@%u: %s %s -> %s, seq "
             "%u) is not a legal step from %s (previous %s, seq %u)", n,
             dosm_code_name(rc), bad, err.text, want_bad,
             recs[want_bad].workflow ? recs[want_bad].workflow : "(null)",
             (unsigned)recs[want_bad].revision,
             recs[want_bad].from ? recs[want_bad].from : "(null)",
             recs[want_bad].event ? recs[want_bad].event : "(null)",
             recs[want_bad].to ? recs[want_bad].to : "(null)",
             (unsigned)recs[want_bad].seq, sid(s), sid(p), (unsigned)seq);
}

static void walk_and_replay(fuzz_in *in, const int *leaves, int nleaves)
{
    const model *m = C.m;
    dosm_record recs[40];
    size_t n = 0, steps = 8 + fuzz_byte(in) % 32, k;
    int s = m->initial, p = NOPREV, s0, p0, from_start = fuzz_byte(in) % 4 == 0;
    uint32_t seq0 = 0;
    dosm_instance inst, start;
    if (from_start) {
        s = leaves[pick(in, nleaves)];
        p = fuzz_byte(in) % 2 ? NOPREV : leaves[pick(in, nleaves)];
        seq0 = fuzz_byte(in) * 1000u;
    }
    s0 = s;
    p0 = p;
    start = inst = make_inst(s, p, seq0);
    for (k = 0; k < steps && n < FUZZ_COUNT(recs); k++) {
        int e = pick(in, m->ne), rc;
        dosm_outcome out;
        answer a;
        C.req.event = dosm_event_name(C.def, C.le[e]);
        C.req.payload = &C.pay[e].values;
        C.req.now = (int64_t)k * 60;
        a = model_fire(&C.w, s, p, e, &C.pay[e]);
        rc = dosm_fire(C.def, C.host, &inst, &C.req, &out);
        stat_calls++;
        if (rc != a.code ||
            (rc == DOSM_OK && (lib_state(inst.state) != a.state ||
                                               lib_state(inst.previous) != a.previous)))
            DISAGREE("dosm_fire (walk)", s, p, e, &C.pay[e], "dosm_fire says "
                     "%s to %s, the model %s to %s", dosm_code_name(rc),
                     sid(lib_state(inst.state)), dosm_code_name(a.code),
                     sid(a.state));
        if (rc == DOSM_OK && a.code == DOSM_OK) {
            recs[n++] = out.record;
            s = a.state;
            p = a.previous;
        }
    }
    C.req.now = 0;
    compare_replay(from_start ? &start : NULL, s0, p0, seq0, recs, n,
                   "dosm_replay");
    /* Break one record. */
    if (n) {
        size_t i = (size_t)pick(in, (int)n);
        dosm_record saved = recs[i];
        static char other[MS + 2][16];
        int c = pick(in, 6), j = pick(in, m->ns + 1);
        switch (c) {
        case 0: /* another state, a parent maybe, or an unknown id */
            snprintf(other[j], sizeof other[j], "S%d", j);
            recs[i].to = j < m->ns ? other[j] : "NOWHERE";
            break;
        case 1:
            recs[i].event = dosm_event_name(C.def, C.le[pick(in, m->ne)]);
            break;
        case 2:
            snprintf(other[j], sizeof other[j], "S%d", j % m->ns);
            recs[i].from = other[j];
            break;
        case 3:
            recs[i].seq += 1 + (uint32_t)pick(in, 2);
            break;
        case 4:
            recs[i].workflow = "other-workflow";
            break;
        default: /* 2, older, is legal; 0 and 4 are not */
            recs[i].revision = (uint32_t)pick(in, 3) * 2;
            break;
        }
        compare_replay(from_start ? &start : NULL, s0, p0, seq0, recs, n,
                       "dosm_replay (one record broken)");
        recs[i] = saved;
    }
}

/* ---- loading ---- */


static void compare_load(int rc, const dosm_error *err, const verdict *v)
{
    unsigned bits = v->sure | v->maybe, b;
    int allowed = 0;
    for (b = 0; b < NBITS; b++)
        if (bits >> b & 1 && code_of_bit[b] == rc)
            allowed = 1;
    if (rc == DOSM_OK) {
        if (v->sure) {
            fprintf(stderr, "\n---- workflow ----\n%.*s", (int)C.yaml.n, C.yaml.s);
            FUZZ_FAIL("dosm_load accepts it; the model refuses it: %s", v->why);
        }
        return;
    }
    if (!allowed) {
        fprintf(stderr, "\n---- workflow ----\n%.*s", (int)C.yaml.n, C.yaml.s);
        FUZZ_FAIL("dosm_load refuses it: %s at %u:%u: %s; the model %s%s",
                  dosm_code_name(rc), err->line, err->column, err->text,
                  bits ? "expects another finding: " : "accepts it",
                  v->why);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    int i;
    (void)argc;
    (void)argv;
    for (i = 0; i < MA; i++)
        snprintf(attr_names[i], sizeof attr_names[i], "a%d", i);
    atexit(report_stats);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static model m;
    static attrs at[2];
    fuzz_in in = {data, size};
    verdict v;
    dosm_error err;
    int rc, i, s, p, e, leaves[MS], nleaves = 0, pass;
    dosm_attributes *prepared;

    cur_data = data;
    cur_size = size;
    memset(&C.req, 0, sizeof C.req);
    gen_model(&m, &in);
    C.m = &m;
    write_yaml(&m, &C.yaml);
    cur_yaml = C.yaml.s;
    cur_yaml_len = C.yaml.n;
    check_model(&m, &v);
    stat_defs++;
    C.def = NULL;
    rc = dosm_load(C.yaml.s, C.yaml.n, "fuzz_model", NULL, &C.def, &err);
    compare_load(rc, &err, &v);
    if (rc != DOSM_OK) {
        if (v.sure)
            stat_refused++;
        else
            stat_undecided++;
        return 0;
    }
    stat_loaded++;

    /* The definition as loaded: ids, parents, finals, events,
     * transitions in document order. */
    for (i = 0; i < 64; i++)
        C.ms[i] = -2;
    FUZZ_CHECK((int)dosm_state_count(C.def) == m.ns, "%d states loaded, %d written",
               (int)dosm_state_count(C.def), m.ns);
    for (s = 0; s < m.ns; s++) {
        dosm_state_info info;
        C.ls[s] = dosm_state_find(C.def, sid(s));
        FUZZ_CHECK(C.ls[s] >= 0 && C.ls[s] < 64 &&
                       dosm_state_get(C.def, C.ls[s], &info) == DOSM_OK,
                   "state %s not found", sid(s));
        C.ms[C.ls[s]] = s;
        if (!m.is_parent[s])
            leaves[nleaves++] = s;
    }
    for (s = 0; s < m.ns; s++) {
        dosm_state_info info;
        dosm_state_get(C.def, C.ls[s], &info);
        if (info.is_parent != m.is_parent[s] || !info.final != !m.final[s] ||
            info.parent != (m.parent[s] < 0 ? -1 : C.ls[m.parent[s]])) {
            fprintf(stderr, "\n---- workflow ----\n%.*s", (int)C.yaml.n, C.yaml.s);
            FUZZ_FAIL("%s loads as parent %d, final %d, parent index %d",
                      sid(s), info.is_parent, info.final, info.parent);
        }
    }
    FUZZ_CHECK((int)dosm_event_count(C.def) == m.ne, "%d events loaded, %d written",
               (int)dosm_event_count(C.def), m.ne);
    for (e = 0; e < m.ne; e++) {
        char name[8];
        snprintf(name, sizeof name, "e%d", e);
        C.le[e] = dosm_event_find(C.def, name);
        FUZZ_CHECK(C.le[e] >= 0 && C.le[e] < ME, "event %s not found", name);
        C.me[C.le[e]] = e;
    }
    FUZZ_CHECK((int)dosm_transition_count(C.def) == m.nt, "%d transitions loaded, "
               "%d written", (int)dosm_transition_count(C.def), m.nt);
    for (i = 0; i < m.nt; i++) {
        dosm_transition_info ti;
        const trans_def *t = &m.t[i];
        FUZZ_CHECK(dosm_transition_get(C.def, i, &ti) == DOSM_OK, "transition %d", i);
        FUZZ_CHECK(ti.event == C.le[t->event] &&
                       ti.target == (t->to == TO_PREVIOUS ? -1 : C.ls[t->to]) &&
                       ti.from_count == (size_t)(t->any ? 0 : t->nfrom) &&
                       !ti.guard == !t->guarded,
                   "transition %d loads as another (event %d, target %d, "
                   "%zu from)", i, ti.event, ti.target, ti.from_count);
    }

    C.host_obj = dosm_host_new(C.def, NULL);
    FUZZ_CHECK(C.host_obj != NULL, "dosm_host_new");
    for (i = 0; i < m.ng; i++) {
        char name[8];
        snprintf(name, sizeof name, "g%d", i);
        rc = dosm_host_bind_guard(C.host_obj, name, named_guard, (void *)(uintptr_t)i);
        FUZZ_CHECK(rc == DOSM_OK, "dosm_host_bind_guard(%s): %s", name, dosm_code_name(rc));
    }
    C.w.m = &m;

    for (pass = 0; pass < 2; pass++) {
        unsigned h = fuzz_byte(&in);
        gen_attrs(&m, &in, &at[pass]);
        C.w.at = &at[pass];
        C.w.named = fuzz_byte(&in);
        C.w.host = h % 4 != 0;
        C.host = C.w.host ? C.host_obj : NULL;
        C.req.attributes = fuzz_byte(&in) % 8 || at[pass].npairs ||
                                   at[pass].values.lookup
                               ? &at[pass].values
                               : NULL;
        /* the same attributes prepared: every answer must stay */
        prepared = NULL;
        if (C.req.attributes && h & 8) {
            rc = dosm_attributes_prepare(C.def, C.req.attributes, NULL,
                                         &prepared);
            FUZZ_CHECK(rc == DOSM_OK, "dosm_attributes_prepare: %s",
                       dosm_code_name(rc));
            C.req.attributes = dosm_attributes_values(prepared);
        }
        for (e = 0; e < m.ne; e++)
            gen_payload(&m.e[e], &in, &C.pay[e]);
        C.null_payload = h & 4 ? 1 : 0;
        for (i = 0; i < nleaves; i++) {
            s = leaves[i];
            for (p = NOPREV; p < m.ns; p++) {
                if (p >= 0 && m.is_parent[p])
                    continue;
                for (e = 0; e < m.ne; e++)
                    compare_step(s, p, e, &C.pay[e], (uint32_t)(i * 100 + p + 1));
                compare_options(s, p);
            }
            compare_step(s, NOPREV, m.ne, &C.pay[0], 5); /* unknown event */
            compare_paths(s, NOPREV);
            p = leaves[pick(&in, nleaves)];
            if (p != s)
                compare_paths(s, p);
        }
        walk_and_replay(&in, leaves, nleaves);
        dosm_attributes_free(prepared);
    }
    dosm_host_free(C.host_obj);
    dosm_def_free(C.def);
    C.def = NULL;
    return 0;
}
