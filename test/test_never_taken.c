/* A model-based test of DOSM_W_NEVER_TAKEN. The model below is written
 * from states/README.md ("Which transition wins" and the warnings after
 * the table of diagnostics), not from lib/checker.c: for an event, the
 * transitions tried in a state are those from the state itself, then from
 * its parent, grandparent, ..., then those from `any` (every state that
 * is not final); within each group in file order; the first whose guard
 * holds is taken. A final state refuses every event ("Why an event is
 * refused"), so a transition is taken somewhere when a state an order can
 * be in (no parent, not final) has it with no unguarded transition of its
 * event before it; never taken otherwise, also when every state it
 * applies to is final. The warning is given only when the file has no
 * error.
 *
 * Thousands of small random definitions (fixed seed) are written as YAML;
 * those that load are checked: the set of positions of the library's
 * DOSM_W_NEVER_TAKEN warnings must be exactly the model's. Those that do
 * not load are counted (and must carry no such warning). A few written by
 * hand pin the model and the library to known answers. */
#include "support.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define MAX_STATES 8
#define MAX_TRANS 16
#define MAX_FROM 3
#define FROM_ANY (-1)
#define TO_PREVIOUS (-1)
#define YAML_MAX 4096

enum { G_NONE, G_RUSH, G_NOT_RUSH, G_OK, G_NOT_OK, G_COUNT };
static const char *const guard_text[G_COUNT] = {
    NULL, "rush", "not rush", "ok", "not ok"};

typedef struct mstate {
    int parent; /* index, or -1 */
    int final;
    int is_parent; /* derived: some state names it as parent */
} mstate;

typedef struct mtrans {
    int event;
    int nfrom;          /* 1 with from[0] == FROM_ANY for `any` */
    int from[MAX_FROM]; /* state indices */
    int list;           /* written as a YAML list */
    int to;             /* state index or TO_PREVIOUS */
    int guard;          /* G_* */
    unsigned line;      /* where the emitter wrote it (column 5) */
} mtrans;

typedef struct model {
    int ns, ne, nt, initial;
    mstate s[MAX_STATES];
    mtrans t[MAX_TRANS];
} model;

/* ---- the model ---- */

static void derive_parents(model *m)
{
    int i;
    for (i = 0; i < m->ns; i++)
        m->s[i].is_parent = 0;
    for (i = 0; i < m->ns; i++)
        if (m->s[i].parent >= 0)
            m->s[m->s[i].parent].is_parent = 1;
}

/* Steps from s up to a (0: a is s itself), or -1 when a is no ancestor. */
static int distance(const model *m, int s, int a)
{
    int d = 0;
    while (s >= 0) {
        if (s == a)
            return d;
        s = m->s[s].parent;
        d++;
    }
    return -1;
}

/* The group of t as tried in leaf s: 0 its own, 1 its parent's, ...,
 * MAX_STATES + 1 for `any`; -1 when t does not apply to s. */
static int group_in(const model *m, const mtrans *t, int s)
{
    int i, best = -1;
    if (t->from[0] == FROM_ANY)
        return m->s[s].final ? -1 : MAX_STATES + 1;
    /* README, "Why an event is refused": in a final state the event is
     * refused before any transition is looked at, so nothing is taken
     * there, a parent's transition included (a final child of a parent
     * loads: the parent's transitions do not leave it). */
    if (m->s[s].final)
        return -1;
    for (i = 0; i < t->nfrom; i++) {
        int d = distance(m, s, t->from[i]);
        if (d >= 0 && (best < 0 || d < best))
            best = d;
    }
    return best;
}

/* never[k] = 1 when the model says transition k is never taken. */
static void model_never_taken(const model *m, unsigned char *never)
{
    unsigned char taken[MAX_TRANS];
    int s, e, k;
    memset(taken, 0, sizeof taken);
    for (s = 0; s < m->ns; s++) {
        if (m->s[s].is_parent) /* no order is ever in a parent */
            continue;
        for (e = 0; e < m->ne; e++) {
            int order[MAX_TRANS], grp[MAX_TRANS], n = 0, i, j, blocked = 0;
            for (k = 0; k < m->nt; k++) {
                int g;
                if (m->t[k].event != e || (g = group_in(m, &m->t[k], s)) < 0)
                    continue;
                /* insertion by (group, file order); k rises, so stable */
                for (j = n; j > 0 && grp[j - 1] > g; j--) {
                    order[j] = order[j - 1];
                    grp[j] = grp[j - 1];
                }
                order[j] = k;
                grp[j] = g;
                n++;
            }
            for (i = 0; i < n; i++) {
                k = order[i];
                if (!blocked)
                    taken[k] = 1;
                if (m->t[k].guard == G_NONE)
                    blocked = 1;
            }
        }
    }
    for (k = 0; k < m->nt; k++)
        never[k] = (unsigned char)!taken[k];
}

/* ---- YAML ---- */

typedef struct out {
    char buf[YAML_MAX];
    size_t len;
    unsigned line; /* the line the next text starts on */
} out;

static void put(out *o, const char *fmt, ...)
{
    va_list ap;
    const char *p;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(o->buf + o->len, sizeof o->buf - o->len, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof o->buf - o->len);
    for (p = o->buf + o->len; *p; p++)
        if (*p == '\n')
            o->line++;
    o->len += (size_t)n;
}

static void emit(model *m, out *o)
{
    int i, k, j;
    o->len = 0;
    o->buf[0] = '\0';
    o->line = 1;
    put(o, "dosm: 1\nname: t\ntitle: T\nrevision: 1\ninitial: S%d\n",
        m->initial);
    put(o, "attributes:\n  rush: { type: boolean }\n");
    put(o, "guards:\n  ok: checked by the host\n");
    put(o, "states:\n");
    for (i = 0; i < m->ns; i++) {
        put(o, "  S%d: { label: S%d", i, i);
        if (m->s[i].parent >= 0)
            put(o, ", parent: S%d", m->s[i].parent);
        if (m->s[i].final)
            put(o, ", final: true");
        put(o, " }\n");
    }
    put(o, "events:\n");
    for (i = 0; i < m->ne; i++)
        put(o, "  e%d:\n", i);
    put(o, "transitions:\n");
    for (k = 0; k < m->nt; k++) {
        mtrans *t = &m->t[k];
        t->line = o->line;
        put(o, "  - { event: e%d, from: ", t->event);
        if (t->from[0] == FROM_ANY)
            put(o, "any");
        else if (!t->list)
            put(o, "S%d", t->from[0]);
        else {
            put(o, "[");
            for (j = 0; j < t->nfrom; j++)
                put(o, "%sS%d", j ? ", " : "", t->from[j]);
            put(o, "]");
        }
        if (t->to == TO_PREVIOUS)
            put(o, ", to: previous");
        else
            put(o, ", to: S%d", t->to);
        if (t->guard != G_NONE)
            put(o, ", guard: \"%s\"", guard_text[t->guard]);
        put(o, " }\n");
    }
}

/* ---- loading ---- */

#define MAX_POS 32

typedef struct seen {
    int errors, never, other_warnings;
    unsigned line[MAX_POS], col[MAX_POS];
} seen;

static void collect(void *user, const dosm_diagnostic *d)
{
    seen *got = user;
    if (d->severity == DOSM_ERROR)
        got->errors++;
    else if (d->code != DOSM_W_NEVER_TAKEN)
        got->other_warnings++;
    else {
        if (got->never < MAX_POS) {
            got->line[got->never] = d->line;
            got->col[got->never] = d->column;
        }
        got->never++;
    }
}

/* Loads the model's YAML; returns 1 when it loaded (got filled), else 0. */
static int load_model(model *m, out *o, unsigned flags, seen *got)
{
    dosm_load_options opt;
    dosm_def *def = NULL;
    dosm_error err;
    int rc;
    emit(m, o);
    memset(got, 0, sizeof *got);
    dosm_load_options_init(&opt);
    opt.on_diagnostic = collect;
    opt.diagnostic_user = got;
    opt.flags = flags;
    rc = dosm_load(o->buf, o->len, "gen.yaml", &opt, &def, &err);
    if (rc != DOSM_OK) {
        assert_null(def);
        /* the warning is given only when the file has no error */
        if (got->never != 0) {
            print_message("%s", o->buf);
            fail_msg("a file that does not load (%s) has %d "
                     "DOSM_W_NEVER_TAKEN warnings",
                     dosm_code_name(rc), got->never);
        }
        return 0;
    }
    assert_non_null(def);
    assert_int_equal(got->errors, 0);
    dosm_def_free(def);
    return 1;
}

/* 1 when the library's warnings are exactly the model's, by position. */
static int agrees(const model *m, const seen *got, const unsigned char *never)
{
    int k, i, want = 0;
    if (got->never > MAX_POS)
        return 0;
    for (k = 0; k < m->nt; k++) {
        int hits = 0;
        for (i = 0; i < got->never; i++)
            if (got->line[i] == m->t[k].line && got->col[i] == 5)
                hits++;
        if (hits != (never[k] ? 1 : 0))
            return 0;
        want += never[k];
    }
    return want == got->never;
}

static void report(const model *m, const out *o, const seen *got,
                   const unsigned char *never)
{
    int k, i;
    print_message("disagreement on:\n%s", o->buf);
    print_message("  model: never taken at");
    for (k = 0; k < m->nt; k++)
        if (never[k])
            print_message(" %u:5", m->t[k].line);
    print_message("\n  library: DOSM_W_NEVER_TAKEN at");
    for (i = 0; i < got->never && i < MAX_POS; i++)
        print_message(" %u:%u", got->line[i], got->col[i]);
    print_message("\n");
}

/* ---- hand-written cases ---- */

/* States: "P" (top level), "B<P" (child of P), "D!" (final), "F<P!" (a
 * final child of P), in order,
 * ids one capital letter each. Transitions: "EVENT FROM TO [GUARD...]",
 * FROM a state, "any" or "[B,C]", TO a state or "previous". The ids are
 * mapped to S0, S1, ... in order; never lists the transitions (by index)
 * the model and the library must both call never taken, -1 ending it. */
typedef struct hand {
    const char *name;
    const char *states[MAX_STATES + 1];
    const char *trans[MAX_TRANS + 1];
    int never[MAX_TRANS + 1];
} hand;

static int id_of(const hand *h, char c)
{
    int i;
    for (i = 0; h->states[i]; i++)
        if (h->states[i][0] == c)
            return i;
    fail_msg("%s: no state %c", h->name, c);
    return -1;
}

static void build_hand(const hand *h, model *m)
{
    int i, k;
    char ev[16][8];
    memset(m, 0, sizeof *m);
    m->initial = -1;
    for (i = 0; h->states[i]; i++) {
        const char *p = h->states[i];
        m->s[i].parent = p[1] == '<' ? id_of(h, p[2]) : -1;
        m->s[i].final = strchr(p, '!') != NULL;
    }
    m->ns = i;
    derive_parents(m);
    for (i = 0; i < m->ns; i++)
        if (m->initial < 0 && !m->s[i].is_parent && !m->s[i].final)
            m->initial = i;
    for (k = 0; h->trans[k]; k++) {
        char e[8], from[16], to[16], guard[16];
        mtrans *t = &m->t[k];
        int n = sscanf(h->trans[k], "%7s %15s %15s %15[^\n]", e, from, to,
                       guard);
        assert_true(n >= 3);
        for (i = 0; i < m->ne && strcmp(ev[i], e) != 0; i++)
            ;
        if (i == m->ne)
            memcpy(ev[m->ne++], e, sizeof e);
        t->event = i;
        if (strcmp(from, "any") == 0) {
            t->nfrom = 1;
            t->from[0] = FROM_ANY;
        } else if (from[0] == '[') {
            const char *p;
            t->list = 1;
            for (p = from + 1; *p && *p != ']'; p++)
                if (*p != ',')
                    t->from[t->nfrom++] = id_of(h, *p);
        } else {
            t->nfrom = 1;
            t->from[0] = id_of(h, from[0]);
        }
        t->to = strcmp(to, "previous") == 0 ? TO_PREVIOUS : id_of(h, to[0]);
        t->guard = G_NONE;
        if (n == 4)
            for (i = 1; i < G_COUNT; i++)
                if (strcmp(guard, guard_text[i]) == 0)
                    t->guard = i;
        assert_true(n == 3 || t->guard != G_NONE);
    }
    m->nt = k;
}

static void check_hand(const hand *h)
{
    model m;
    out o;
    seen got;
    unsigned char never[MAX_TRANS];
    int k, i;
    build_hand(h, &m);
    model_never_taken(&m, never);
    for (k = 0; k < m.nt; k++) {
        int want = 0;
        for (i = 0; h->never[i] >= 0; i++)
            want |= h->never[i] == k;
        if (never[k] != want)
            fail_msg("%s: the model says transition %d is %s", h->name, k,
                     never[k] ? "never taken" : "taken");
    }
    if (!load_model(&m, &o, 0, &got)) {
        print_message("%s", o.buf);
        fail_msg("%s does not load", h->name);
    }
    if (!agrees(&m, &got, never)) {
        report(&m, &o, &got, never);
        fail_msg("%s: the library disagrees", h->name);
    }
}

static const hand hands[] = {
    {"any overridden everywhere",
     {"A", "B", "D!", NULL},
     {"go A B", "go B D", "stop A D", "stop B D", "stop any D", NULL},
     {4, -1}},
    {"any overridden in all states but one",
     {"A", "B", "C", "D!", NULL},
     {"go A B", "go B C", "go C D", "stop A D", "stop C D", "stop any D",
      NULL},
     {-1}},
    {"parent overridden by every child",
     {"P", "B<P", "C<P", "D!", NULL},
     {"go B C", "go C D", "hold P D", "hold B C", "hold C D", NULL},
     {2, -1}},
    {"parent overridden except in one child",
     {"P", "B<P", "C<P", "D!", NULL},
     {"go B C", "go C D", "hold P D", "hold B C", NULL},
     {-1}},
    {"overridden only by guarded ones",
     {"P", "B<P", "C<P", "D!", NULL},
     {"go B C", "go C D", "hold P D", "hold B C rush", "hold C D not rush",
      "stop any D", "stop B C ok", "stop C D not ok", NULL},
     {-1}},
    {"one child overrides, the other only when rush",
     {"P", "B<P", "C<P", "D!", NULL},
     {"go B C", "go C D", "hold P D", "hold B C", "hold C B rush", NULL},
     {-1}},
    {"nested parents",
     {"Q", "P<Q", "B<P", "C<P", "E<Q", "D!", NULL},
     {"go B C", "go C E", "go E D", "hold Q D", "hold P B", "hold E D",
      "drop Q D", "drop P B", "drop any D", NULL},
     {3, 8, -1}},
    {"nested parents, the inner one overridden, any too",
     {"A", "Q", "P<Q", "B<P", "C<P", "E<Q", "D!", NULL},
     {"go A B", "go B C", "go C E", "go E D", "hold P D", "hold B C",
      "hold C E", "hold Q D", "hold A D", "hold any previous", NULL},
     {4, 9, -1}},
    {"any overridden by parents, previous as the override",
     {"A", "P", "B<P", "C<P", "D!", NULL},
     {"go A B", "go B C", "go C D", "back P previous", "back A D",
      "back any D", NULL},
     {5, -1}},
    {"a list naming a parent and a state",
     {"A", "P", "B<P", "C<P", "D!", NULL},
     {"go A B", "go B C", "go C D", "hold [P,A] D", "hold B C", "hold C D",
      "stop [B,C] D", "stop any D", NULL},
     {-1}},
    {"a parent with a final child, overridden in the other one",
     {"A", "P", "B<P", "F<P!", NULL},
     {"go A B", "go B F", "stop B A", "stop P F", NULL},
     {3, -1}},
    {"a parent with a final child, not overridden in the other one",
     {"A", "P", "B<P", "F<P!", NULL},
     {"go A B", "go B F", "stop B A rush", "stop P F", NULL},
     {-1}},
    {"a parent whose children are all final: applies to no state",
     {"A", "P", "F<P!", "G<P!", NULL},
     {"go A F", "stop A G", "stop P A", NULL},
     {2, -1}},
    {"the example of test_checks",
     {"P", "B<P", "C<P", "D!", NULL},
     {"go B C", "go C D", "hold P D", "hold B C rush", "go any B", NULL},
     {4, -1}},
};

static void test_hand_written(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof hands / sizeof hands[0]; i++)
        check_hand(&hands[i]);
}

/* ---- random definitions ---- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    z ^= z >> 31;
    return (uint32_t)(z % n);
}

static int rnd_int(int lo, int hi) /* lo..hi inclusive */
{
    return lo + (int)rnd((uint32_t)(hi - lo + 1));
}

/* A random parent (want_parent), else a random leaf: final when
 * want_final is 1, not final when 0, either when -1. -1 if none. */
static int pick(const model *m, int want_final, int want_parent)
{
    int c[MAX_STATES], n = 0, i;
    for (i = 0; i < m->ns; i++)
        if (m->s[i].is_parent == want_parent &&
            (want_parent || want_final < 0 || m->s[i].final == want_final))
            c[n++] = i;
    return n ? c[rnd((uint32_t)n)] : -1;
}

/* 1 when the generator should not add t: in some state, it would share
 * a group with another transition of its event when both can hold (one
 * unguarded, or both `rush`), which the checker refuses (DOSM_D_OVERLAP).
 * Only the generator's yield depends on this; the test never relies on
 * it. */
static int clashes(const model *m, const mtrans *t)
{
    int s, k;
    for (s = 0; s < m->ns; s++) {
        int g;
        if (m->s[s].is_parent || (g = group_in(m, t, s)) < 0)
            continue;
        for (k = 0; k < m->nt; k++) {
            const mtrans *u = &m->t[k];
            if (u->event != t->event || group_in(m, u, s) != g)
                continue;
            if (u->guard == G_NONE || t->guard == G_NONE ||
                (u->guard == G_RUSH && t->guard == G_RUSH))
                return 1;
        }
    }
    return 0;
}

/* A from that applies to leaf s (a new state of the walk from initial):
 * s itself, one of its parents, a list holding either, or any. */
static void from_covering(const model *m, mtrans *t, int s)
{
    uint32_t r = rnd(100);
    int p = m->s[s].parent;
    t->list = 0;
    t->nfrom = 1;
    if (r < 40 || (p < 0 && r < 70))
        t->from[0] = s;
    else if (r < 70) {
        while (p >= 0 && m->s[p].parent >= 0 && rnd(2))
            p = m->s[p].parent;
        t->from[0] = p;
    } else if (r < 85) {
        int o = pick(m, 0, (int)rnd(2)), bad = 0;
        if (o >= 0 && o != s)
            bad = distance(m, s, o) >= 0 || distance(m, o, s) >= 0;
        t->from[0] = s;
        if (o >= 0 && o != s && !bad) {
            t->list = 1;
            t->nfrom = 2;
            t->from[rnd(2)] = o;
            t->from[t->from[0] == o ? 1 : 0] = s;
        }
    } else
        t->from[0] = FROM_ANY;
}

/* A random from: a leaf (rarely a final one), a parent, a list of states
 * of which none is another's ancestor, or any. */
static void from_random(const model *m, mtrans *t, int np)
{
    uint32_t r = rnd(100);
    t->list = 0;
    t->nfrom = 1;
    if (r < 35)
        t->from[0] = pick(m, rnd(25) == 0 ? -1 : 0, 0);
    else if (r < 60 && np)
        t->from[0] = pick(m, 0, 1);
    else if (r < 75) {
        int n = rnd_int(2, 3), j;
        t->list = 1;
        t->nfrom = 0;
        for (j = 0; j < n; j++) {
            int s = rnd(3) == 0 && np ? pick(m, 0, 1) : pick(m, 0, 0), x;
            for (x = 0; x < t->nfrom; x++)
                if (distance(m, s, t->from[x]) >= 0 ||
                    distance(m, t->from[x], s) >= 0)
                    break;
            if (x == t->nfrom)
                t->from[t->nfrom++] = s;
        }
        if (t->nfrom == 1)
            t->list = (int)rnd(2);
    } else
        t->from[0] = FROM_ANY;
}

static int random_guard(void)
{
    return rnd(2) ? G_NONE : rnd_int(1, G_COUNT - 1);
}

/* Adds t unless it clashes, trying other guards first. */
static void add(model *m, mtrans *t)
{
    int tries;
    for (tries = 0; tries < 4 && clashes(m, t); tries++)
        t->guard = rnd_int(1, G_COUNT - 1);
    if (!clashes(m, t))
        m->t[m->nt++] = *t;
}

static void generate(model *m)
{
    int i, k, np, nf, want;
    int leaves[MAX_STATES], nl = 0, reached[MAX_STATES], nr = 0;
    memset(m, 0, sizeof *m);
    m->ns = rnd_int(3, 8);
    np = m->ns >= 5 ? rnd_int(0, 2) : rnd_int(0, 1);
    nf = rnd_int(1, 2);
    /* room for the finals, a leaf of each parent and an initial state */
    while (np && m->ns - np < nf + np)
        np--;
    if (m->ns - np < nf + 1)
        nf = 1;
    for (i = 0; i < m->ns; i++)
        m->s[i].parent = -1;
    /* parents: the first np states of a random arrangement */
    {
        int perm[MAX_STATES], par[2];
        for (i = 0; i < m->ns; i++)
            perm[i] = i;
        for (i = m->ns - 1; i > 0; i--) {
            int j = rnd_int(0, i), tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        for (i = 0; i < np; i++)
            par[i] = perm[i];
        for (i = np; i < m->ns; i++)
            leaves[nl++] = perm[i];
        if (np == 2 && rnd(2)) /* nest: the second inside the first */
            m->s[par[1]].parent = par[0];
        /* finals: the first nf leaves, usually outside any parent */
        for (i = 0; i < nf; i++)
            m->s[leaves[i]].final = 1;
        /* every parent gets a leaf of its own (not final); the others
         * may join one */
        for (i = 0; i < np; i++)
            m->s[leaves[nf + i]].parent = par[i];
        for (i = nf + np; i < nl; i++)
            if (np && rnd(3) != 0)
                m->s[leaves[i]].parent = par[rnd((uint32_t)np)];
        for (i = 0; i < nf; i++)
            if (np && rnd(25) == 0)
                m->s[leaves[i]].parent = par[rnd((uint32_t)np)];
    }
    derive_parents(m);
    m->initial = pick(m, 0, 0);
    m->ne = rnd_int(1, 3);
    want = rnd_int(4, 14);
    /* a walk from initial to every leaf, non-final ones first, each step
     * from a state reached already */
    reached[nr++] = m->initial;
    for (i = nl - 1; i >= 0; i--) { /* non-finals are at the end */
        int s = leaves[i], tries;
        mtrans t;
        if (s == m->initial)
            continue;
        for (tries = 0; tries < 6; tries++) {
            memset(&t, 0, sizeof t);
            t.event = rnd_int(0, m->ne - 1);
            from_covering(m, &t, reached[rnd((uint32_t)nr)]);
            t.to = s;
            t.guard = random_guard();
            if (!clashes(m, &t))
                break;
        }
        add(m, &t);
        if (!m->s[s].final)
            reached[nr++] = s;
    }
    while (m->nt < want) {
        mtrans t;
        int before = m->nt;
        memset(&t, 0, sizeof t);
        t.event = rnd_int(0, m->ne - 1);
        from_random(m, &t, np);
        t.to = rnd(20) == 0 ? TO_PREVIOUS : pick(m, (int)(rnd(4) == 0), 0);
        if (t.to < 0 && t.to != TO_PREVIOUS)
            t.to = m->initial;
        t.guard = random_guard();
        add(m, &t);
        if (m->nt == before && rnd(4) == 0)
            break; /* crowded: fewer transitions */
    }
    /* shuffle: file order is what the model must get right */
    for (k = m->nt - 1; k > 0; k--) {
        int j = rnd_int(0, k);
        mtrans tmp = m->t[k];
        m->t[k] = m->t[j];
        m->t[j] = tmp;
    }
}

#define GENERATED 6000

static void test_random(void **state)
{
    int g, loaded = 0, warned_defs = 0, warnings = 0, bad = 0, single = 0;
    int lists_warned = 0;
    (void)state;
    rng_state = 20260417u;
    for (g = 0; g < GENERATED; g++) {
        model m;
        out o;
        seen got;
        unsigned char never[MAX_TRANS];
        int k;
        generate(&m);
        if (!load_model(&m, &o, g % 2 ? DOSM_LOAD_LINT : 0u, &got))
            continue;
        loaded++;
        model_never_taken(&m, never);
        if (!agrees(&m, &got, never)) {
            if (bad++ < 3)
                report(&m, &o, &got, never);
            continue;
        }
        if (got.never)
            warned_defs++;
        warnings += got.never;
        for (k = 0; k < m.nt; k++)
            if (never[k] && m.t[k].list)
                lists_warned++;
            else if (never[k] && m.t[k].from[0] != FROM_ANY &&
                     !m.s[m.t[k].from[0]].is_parent)
                single++;
    }
    print_message("never_taken: %d generated, %d loaded (%d skipped), %d "
                  "with warnings, %d DOSM_W_NEVER_TAKEN warnings (%d of "
                  "lists, %d of single states), %d disagreements\n",
                  GENERATED, loaded, GENERATED - loaded, warned_defs,
                  warnings, lists_warned, single, bad);
    assert_int_equal(bad, 0);
    assert_true(loaded >= GENERATED / 5);
    assert_true(warnings >= 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_written),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
