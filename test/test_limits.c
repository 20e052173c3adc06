/* Load cost is bounded by the limits (issue 15): each generated worst case
 * of test/bench/worst.c, at a size small enough for valgrind, must load or
 * be refused exactly as it is at full size (the benchmark's --worst mode
 * times the full sizes; no test here measures time). Where the outcome is
 * the same either way, the test also checks what keeps the cost down: the
 * table given up, the memory held. */
#include "support.h"
#include "bench/worst.h"
#include "model.h" /* white box: which index a definition got */

#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* ---- helpers ---- */

typedef struct outcome {
    int rc;
    dosm_error err;
    dosm_def *def;
    size_t peak; /* heap, through the allocator hooks */
    unsigned errors, hints, ties;
} outcome;

static void count_diagnostics(void *user, const dosm_diagnostic *d)
{
    outcome *o = user;
    if (d->severity == DOSM_ERROR) {
        o->errors++;
        o->hints += strstr(d->text, "did you mean") != NULL;
    }
    o->ties += d->code == DOSM_W_PATH_TIE;
}

/* Outlives the loads: a definition is freed through it later. */
static test_alloc heap;
static dosm_allocator a;

static outcome load_yaml(const char *yaml, size_t len)
{
    outcome o;
    dosm_load_options opt;
    memset(&o, 0, sizeof o);
    memset(&heap, 0, sizeof heap);
    a = test_allocator(&heap);
    dosm_load_options_init(&opt); /* the default limits */
    opt.allocator = &a;
    opt.on_diagnostic = count_diagnostics;
    opt.diagnostic_user = &o;
    opt.flags = DOSM_LOAD_LINT; /* the authoring checks' bounds too */
    o.rc = dosm_load(yaml, len, "worst", &opt, &o.def, &o.err);
    o.peak = heap.peak;
    if (o.rc != DOSM_OK)
        assert_int_equal(heap.live, 0);
    return o;
}

/* Generates case `name` at its test size (or n, when n > 0) and loads it. */
static outcome load_case(const char *name, int n, char **yaml_out)
{
    const worst_case *c = worst_find(name);
    size_t len;
    char *yaml;
    outcome o;
    assert_non_null(c);
    yaml = c->make(n > 0 ? n : c->test_n, &len);
    o = load_yaml(yaml, len);
    if (yaml_out)
        *yaml_out = yaml;
    else
        free(yaml);
    return o;
}

static void expect_ok(const outcome *o)
{
    if (o->rc != DOSM_OK)
        fail_msg("refused: %s %u:%u %s", dosm_code_name(o->rc), o->err.line,
                 o->err.column, o->err.text);
}

static void expect_error(const outcome *o, int code, unsigned line,
                         unsigned col, const char *text)
{
    if (o->rc != code || o->err.line != line || o->err.column != col ||
        strcmp(o->err.text, text) != 0)
        fail_msg("got %s %u:%u '%s'\nwant %s %u:%u '%s'", dosm_code_name(o->rc),
                 o->err.line, o->err.column, o->err.text, dosm_code_name(code),
                 line, col, text);
}

/* `len` bytes of line `line` (1-based) from column `col` of a text. */
static void text_at(const char *yaml, unsigned line, unsigned col, size_t len,
                    char *out)
{
    const char *p = yaml;
    unsigned l;
    for (l = 1; l < line; l++) {
        p = strchr(p, '\n');
        assert_non_null(p);
        p++;
    }
    memcpy(out, p + col - 1, len);
    out[len] = '\0';
}

/* Every state is found by its id, and by its label. */
static void expect_all_found(const dosm_def *d)
{
    int s;
    for (s = 0; s < (int)dosm_state_count(d); s++) {
        dosm_state_info si;
        assert_int_equal(dosm_state_get(d, s, &si), DOSM_OK);
        assert_int_equal(dosm_state_find(d, si.id), s);
        assert_int_equal(dosm_state_find(d, si.label), s);
    }
    assert_int_equal(dosm_state_find(d, "NO_SUCH_STATE"), -1);
}

/* ---- the overlap check ---- */

/* 64 exclusive transitions from the same 300 states: compared once, not
 * once per state, and still all accepted. */
static void overlap_shared_from(void **state)
{
    outcome o = load_case("overlap", 0, NULL);
    (void)state;
    expect_ok(&o);
    assert_int_equal(dosm_transition_count(o.def), 300 + 64);
    dosm_def_free(o.def);
}

/* The issue's shape without a ring: refused for the unreachable states
 * (the checker stops comparing once the errors are full). */
static void overlap_issue_refused(void **state)
{
    outcome o = load_case("overlap-issue", 0, NULL);
    (void)state;
    expect_error(&o, DOSM_D_UNREACHABLE, 10, 3,
                 "state S1 cannot be reached from the initial state S0");
    assert_int_equal(o.errors, 50);
}

/* Every state with its own 64 of 70 transitions: nothing shared. */
static void overlap_subsets(void **state)
{
    outcome o = load_case("overlap-subsets", 0, NULL);
    (void)state;
    expect_ok(&o);
    dosm_def_free(o.def);
}

/* One guard of the shared group made to overlap the next: found at the
 * first state, reported once per transition, not once per state. */
static void overlap_found_in_shared_group(void **state)
{
    const int n = 300;
    char *yaml, *at;
    size_t len;
    outcome o;
    char want[DOSM_TEXT_MAX];
    (void)state;
    yaml = worst_find("overlap")->make(n, &len);
    at = strstr(yaml, "guard: n == 40\n");
    assert_non_null(at);
    memcpy(at, "guard: n >= 40\n", 15); /* overlaps n == 41 ... n == 63 */
    o = load_yaml(yaml, len);
    /* transition k starts on line 13 + 2n + 4k, at column 5 */
    snprintf(want, sizeof want,
             "in state S0, 'go' could take this transition and the one of "
             "line %d at once; make the guards exclusive (write an otherwise "
             "as not (...))",
             13 + 2 * n + 4 * 40);
    expect_error(&o, DOSM_D_OVERLAP, (unsigned)(13 + 2 * n + 4 * 41), 5, want);
    assert_int_equal(o.errors, 63 - 40); /* k = 41 ... 63, each once */
    free(yaml);
}

/* More than 64 transitions of one event in one state are refused. */
static void overlap_run_limit(void **state)
{
    char yaml[8192];
    size_t len;
    int k;
    outcome o;
    (void)state;
    len = (size_t)snprintf(yaml, sizeof yaml,
                           "dosm: 1\nname: run\ntitle: Run\nrevision: 1\n"
                           "initial: S0\nattributes:\n  n: { type: integer }\n"
                           "states:\n  S0: {label: s0}\n  S1: {label: s1, final: true}\n"
                           "events:\n  go:\ntransitions:\n");
    for (k = 0; k < 65; k++)
        len += (size_t)snprintf(yaml + len, sizeof yaml - len,
                                "  - {event: go, from: S0, to: S1, guard: n == %d}\n", k);
    o = load_yaml(yaml, len);
    expect_error(&o, DOSM_D_LIMIT, 14 + 64, 5,
                 "more than 64 transitions of 'go' apply to state S0 (the "
                 "limit)");
}

/* ---- the "did you mean" hint ---- */

/* The typo of the first transition (line n + 10 of the hint cases, or
 * n + 11 with its two states first) and the hint it gets: the id or name
 * on line `source` it was made from. */
static void expect_hint(const char *name, const char *kind, unsigned line,
                        unsigned col, unsigned source, size_t len)
{
    char *yaml, typo[80], id[80], want[DOSM_TEXT_MAX];
    outcome o = load_case(name, 0, &yaml);
    text_at(yaml, line, col, len, typo);
    text_at(yaml, source, 3, len, id);
    snprintf(want, sizeof want, "unknown %s '%s'; did you mean '%s'?", kind,
             typo, id);
    expect_error(&o, DOSM_D_REF, line, col, want);
    assert_int_equal(o.errors, 50);
    assert_int_equal(o.hints, 50);
    free(yaml);
}

static void hint_long_ids(void **state)
{
    (void)state;
    expect_hint("hint", "state", 2000 + 10, 31, 8, 61);
}

/* Ids alike but for their last six characters: every one passes the
 * cheap filters, yet the one the typo came from is found. */
static void hint_alike_ids(void **state)
{
    (void)state;
    expect_hint("hint-alike", "state", 2000 + 10, 31, 8, 61);
}

static void hint_events(void **state)
{
    (void)state;
    expect_hint("hint-events", "event", 2000 + 11, 13, 10, 64);
}

/* The nearest name wins, the first of equals; names a third wrong or
 * more get no hint. */
static void hint_nearest_first(void **state)
{
    static const char *const yaml =
        "dosm: 1\nname: near\ntitle: Near\nrevision: 1\ninitial: AB_CD\n"
        "states:\n  AB_CD: {label: one}\n  AB_CE: {label: two}\n"
        "  DESIGN_APPROVED: {label: three}\n  DESIGN_REJECTED: {label: four}\n"
        "events:\n  go:\ntransitions:\n"
        "  - {event: go, from: AB_CD, to: AB_CF}\n"
        "  - {event: go, from: AB_CE, to: DESIGN_APROVED}\n"
        "  - {event: go, from: AB_CE, to: XY_ZW}\n";
    outcome o = load_yaml(yaml, strlen(yaml));
    (void)state;
    expect_error(&o, DOSM_D_REF, 14, 34,
                 "unknown state 'AB_CF'; did you mean 'AB_CD'?");
    assert_int_equal(o.errors, 3);
    assert_int_equal(o.hints, 2);
}

/* ---- the dense state x event table ---- */

/* n states x 1,023 events with 256 `from: any`: at 1,000 states (1,023,000
 * cells) the table is built, at 1,100 it is not, and fire answers the
 * same through the per-state search. */
static void dense_table_bounded(void **state)
{
    static const int sizes[] = {1000, 1100};
    int i;
    (void)state;
    for (i = 0; i < 2; i++) {
        const int n = sizes[i];
        outcome o = load_case("dense", n, NULL);
        dosm_instance inst;
        dosm_request req;
        dosm_outcome out;
        char ev[16];
        int k;
        expect_ok(&o);
        if (i == 0)
            assert_true(dosm_def_memory(o.def) > 1023u * 1000u * 8u);
        else
            assert_true(dosm_def_memory(o.def) < (size_t)8 << 20);
        assert_int_equal(o.def->cell != NULL, i == 0);
        for (k = 1; k <= 256; k += 51) {
            inst = dosm_instance_initial(o.def);
            memset(&req, 0, sizeof req);
            snprintf(ev, sizeof ev, "e%d", k);
            req.event = ev;
            assert_int_equal(dosm_fire(o.def, NULL, &inst, &req, &out), DOSM_OK);
            assert_int_equal(inst.state, k * 61 % n);
            req.event = "next";
            assert_int_equal(dosm_fire(o.def, NULL, &inst, &req, &out), DOSM_OK);
            assert_int_equal(inst.state, (k * 61 % n + 1) % n);
            req.event = "e300"; /* declared, no transition */
            assert_int_equal(dosm_fire(o.def, NULL, &inst, &req, &out),
                             DOSM_R_NOT_ALLOWED);
        }
        dosm_def_free(o.def);
    }
}

/* ---- the name index ---- */

/* Ids that shared one slot of 0.1.0's index spread out in this one. */
static void names_old_collisions_spread(void **state)
{
    outcome o = load_case("collide-old", 0, NULL);
    (void)state;
    expect_ok(&o);
    assert_int_equal(o.def->state_ix.sorted, 0);
    expect_all_found(o.def);
    dosm_def_free(o.def);
}

/* k letters a, the last one `last`. */
static void prefix_name(char *name, int k, char last)
{
    memset(name, 'a', (size_t)k);
    name[k - 1] = last;
    name[k] = '\0';
}

/* One line of fmt for each name a...a and a...b of 1 to 40 letters. */
static size_t put_prefixes(char *out, const char *fmt)
{
    char name[48];
    size_t n = 0;
    int k;
    for (k = 1; k <= 40; k++) {
        prefix_name(name, k, 'a');
        n += (size_t)sprintf(out + n, fmt, name);
        prefix_name(name, k, 'b');
        n += (size_t)sprintf(out + n, fmt, name);
    }
    return n;
}

/* Event names that are prefixes of one another or differ only in their
 * last byte, at every length the hash and the compare read differently
 * (1 to 40 bytes), and state ids and labels found ignoring case: each
 * finds itself, and a name one byte longer or shorter finds nothing. */
static void names_prefixes(void **state)
{
    char *yaml = malloc(16384), name[48];
    size_t n = 0;
    int k;
    dosm_def *d;
    (void)state;
    assert_non_null(yaml);
    n += (size_t)sprintf(yaml + n, "dosm: 1\nname: prefixes\ntitle: Prefixes\n"
                         "revision: 1\ninitial: AAAAAAAAA\nstates:\n"
                         "  AAAAAAAAA: { label: Nine a }\n"
                         "  AAAAAAAAB: { label: Nine a b, final: true }\n"
                         "events:\n");
    n += put_prefixes(yaml + n, "  %s:\n");
    n += (size_t)sprintf(yaml + n, "transitions:\n");
    n += put_prefixes(yaml + n, "  - { event: %s, from: AAAAAAAAA, to: AAAAAAAAB }\n");
    assert_true(n < 16384);
    d = load_text(yaml);
    free(yaml);
    assert_non_null(d);
    for (k = 1; k <= 41; k++) {
        const char *last;
        for (last = "abc"; *last; last++) {
            int e;
            prefix_name(name, k, *last);
            e = dosm_event_find(d, name);
            if (k <= 40 && *last != 'c') {
                assert_true(e >= 0);
                assert_string_equal(dosm_event_name(d, e), name);
            } else {
                assert_int_equal(e, -1);
            }
        }
    }
    assert_int_equal(dosm_event_find(d, ""), -1);
    assert_int_equal(dosm_state_find(d, "AAAAAAAAA"), 0);
    assert_int_equal(dosm_state_find(d, "aaaaaaaaa"), 0);
    assert_int_equal(dosm_state_find(d, "AaAaAaAaB"), 1);
    assert_int_equal(dosm_state_find(d, "NINE A B"), 1);
    assert_int_equal(dosm_state_find(d, "nine a"), 0);
    assert_int_equal(dosm_state_find(d, "nine a "), -1);
    assert_int_equal(dosm_state_find(d, "AAAAAAAA"), -1);
    assert_int_equal(dosm_state_find(d, "AAAAAAAAAA"), -1);
    dosm_def_free(d);
}

/* The hash mixes every byte into the slot: ids S00001 to S10000, which
 * differ in their last bytes only, spread over 32,768 slots (the size of
 * a table of their ids and labels) as random keys would: about 8,600
 * slots taken (m (1 - e^(-n/m))), none by more than a few. */
static void names_hash_spreads(void **state)
{
    enum { N = 10000, SLOTS = 32768 };
    unsigned char *count = calloc(SLOTS, 1);
    char id[8];
    int i, taken = 0, most = 0;
    (void)state;
    assert_non_null(count);
    for (i = 1; i <= N; i++) {
        uint32_t slot;
        sprintf(id, "S%05d", i);
        slot = dosm__names_hash(id, 6, 1) & (SLOTS - 1);
        taken += count[slot] == 0;
        count[slot]++;
        most = count[slot] > most ? count[slot] : most;
    }
    free(count);
    assert_true(taken > 8400);
    assert_true(most <= 6);
}

/* Two ids of n bytes whose hashes in the state index are equal, found by
 * a birthday search over ids "C" + base-36 digits (the hash is fixed, so
 * the pair is the same on every run). */
typedef struct keyed { uint32_t hash, i; } keyed;

static int by_hash(const void *p, const void *q)
{
    const keyed *x = p, *y = q;
    return x->hash != y->hash ? (x->hash < y->hash ? -1 : 1)
                              : (x->i < y->i ? -1 : x->i > y->i);
}

static void colliding_id(uint32_t i, size_t n, char *id)
{
    static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    size_t k;
    id[0] = 'C';
    for (k = n - 1; k >= 1; k--, i /= 36)
        id[k] = digits[i % 36];
    id[n] = '\0';
}

static void colliding_pair(size_t n, char *first, char *second)
{
    enum { N = 300000 };
    keyed *v = malloc(N * sizeof *v);
    uint32_t i;
    char id[32];
    assert_non_null(v);
    for (i = 0; i < N; i++) {
        colliding_id(i, n, id);
        v[i].hash = dosm__names_hash(id, n, 1);
        v[i].i = i;
    }
    qsort(v, N, sizeof *v, by_hash);
    for (i = 1; i < N && v[i].hash != v[i - 1].hash; i++)
        ;
    assert_true(i < N);
    colliding_id(v[i - 1].i, n, first);
    colliding_id(v[i].i, n, second);
    free(v);
}

/* Names whose hash and length are equal share a slot's probe: the bytes
 * tell them apart, at each length the compare reads differently (two
 * 4-byte words, two 8-byte words, three words and an overlapping one). */
static void names_same_hash_told_apart(void **state)
{
    static const size_t lengths[] = {5, 12, 21};
    size_t k;
    (void)state;
    for (k = 0; k < sizeof lengths / sizeof *lengths; k++) {
        char one[32], two[32], other[32], yaml[512];
        dosm_def *d;
        colliding_pair(lengths[k], one, two);
        assert_string_not_equal(one, two);
        assert_int_equal(dosm__names_hash(one, lengths[k], 1),
                         dosm__names_hash(two, lengths[k], 1));
        sprintf(yaml, "dosm: 1\nname: collide\ntitle: Collide\nrevision: 1\n"
                      "initial: %s\nstates:\n  %s: { label: One }\n"
                      "  %s: { label: Two, final: true }\n"
                      "events:\n  go:\ntransitions:\n"
                      "  - { event: go, from: %s, to: %s }\n",
                one, one, two, one, two);
        d = load_text(yaml);
        assert_non_null(d);
        assert_int_equal(d->state_ix.sorted, 0); /* the hash table */
        assert_int_equal(dosm_state_find(d, one), 0);
        assert_int_equal(dosm_state_find(d, two), 1);
        strcpy(other, one);
        other[lengths[k] / 2] = other[lengths[k] / 2] == 'Z' ? 'Y' : 'Z';
        if (strcmp(other, two) != 0)
            assert_int_equal(dosm_state_find(d, other), -1);
        dosm_def_free(d);
    }
}

/* Ids chosen to collide in this index: it gives the table up for the
 * sorted array, and finds every id and label all the same. */
static void names_collisions_sorted(void **state)
{
    outcome o = load_case("collide-new", 0, NULL);
    (void)state;
    expect_ok(&o);
    assert_int_equal(o.def->state_ix.sorted, 2 * 3000);
    expect_all_found(o.def);
    dosm_def_free(o.def);
}

/* A label that is another state's id clashes in the sorted array too. */
static void names_clash_when_sorted(void **state)
{
    char *yaml, id4[9], id10[9], want[DOSM_TEXT_MAX], *label;
    size_t len;
    outcome o;
    (void)state;
    yaml = worst_find("collide-new")->make(3000, &len);
    text_at(yaml, 7 + 4, 3, 8, id4);   /* state i is on line 7 + i */
    text_at(yaml, 7 + 10, 3, 8, id10);
    label = strstr(yaml, id10);
    label = strstr(label, "label: ") + 7;
    memcpy(label, id4, 8);
    o = load_yaml(yaml, len);
    snprintf(want, sizeof want,
             "state %s: '%s' is already the id or label of state %s "
             "(ignoring case)", id10, id4, id4);
    expect_error(&o, DOSM_D_CLASH, 7 + 10, 3, want);
    assert_int_equal(o.errors, 1);
    free(yaml);
}

/* States labelled other than their ids: the index holds two names per
 * state and stays at most half full. */
static void names_ids_and_labels(void **state)
{
    outcome o = load_case("index-full", 0, NULL);
    (void)state;
    expect_ok(&o);
    assert_int_equal(o.def->state_ix.sorted, 0);
    assert_true(o.def->state_ix.mask + 1 >= 4u * 2047u);
    expect_all_found(o.def);
    dosm_def_free(o.def);
}

/* ---- found while looking ---- */

/* A node per guard token costs 104 bytes, so the guards' tokens are
 * limited in all: 520 distinct guards of 512 tokens pass 262,144 at the
 * 513th (line 2618 + 512 of guards-big, where its text starts). */
static void guards_tokens_in_all(void **state)
{
    outcome o = load_case("guards-big", 0, NULL);
    (void)state;
    expect_error(&o, DOSM_D_LIMIT, 520 + 15 + 3 + 512, 45,
                 "the guards have more than 262144 tokens in all (the limit)");
    assert_int_equal(o.errors, 520 - 512);
}

/* Guards that read the same are parsed once and counted once: 1,000
 * transitions with one 511-token guard load, in the memory of one. */
static void guards_identical_once(void **state)
{
    char *yaml = malloc(1 << 22);
    size_t len;
    int i, k;
    outcome o;
    (void)state;
    assert_non_null(yaml);
    len = (size_t)sprintf(yaml, "dosm: 1\nname: same\ntitle: Same\nrevision: 1\n"
                                "initial: S0\nattributes:\n  u: { type: boolean }\n"
                                "states:\n  S0: {label: s0}\n  S1: {label: s1}\n"
                                "events:\n  back:\n");
    for (i = 0; i < 1000; i++)
        len += (size_t)sprintf(yaml + len, "  g%d:\n", i);
    len += (size_t)sprintf(yaml + len, "transitions:\n"
                                       "  - {event: back, from: S1, to: S0}\n");
    for (i = 0; i < 1000; i++) {
        len += (size_t)sprintf(yaml + len, "  - {event: g%d, from: S0, to: S1, "
                                           "guard: \"u", i);
        for (k = 0; k < 255; k++)
            len += (size_t)sprintf(yaml + len, " and u");
        len += (size_t)sprintf(yaml + len, "\"}\n");
    }
    o = load_yaml(yaml, len);
    expect_ok(&o);
    /* one tree of 511 nodes, not 1,000 (50 MB) */
    assert_true(dosm_def_memory(o.def) < (size_t)4 << 20);
    dosm_def_free(o.def);
    free(yaml);
}

/* Findings held while the YAML parses are kept up to max_errors only. */
static void nul_texts_held(void **state)
{
    outcome o = load_case("nul-scalars", 0, NULL);
    (void)state;
    expect_error(&o, DOSM_D_VALUE, 1, 2,
                 "text may not contain a NUL character (\\0)");
    assert_int_equal(o.errors, 50);
    assert_true(o.peak < (size_t)3 << 20); /* 20,000 held: 6 MB */
}

static void duplicate_keys_held(void **state)
{
    outcome o = load_case("dup-keys", 0, NULL);
    (void)state;
    expect_error(&o, DOSM_D_DUPLICATE_KEY, 2, 1,
                 "duplicate key 'a' (first at line 1)");
    assert_int_equal(o.errors, 50);
    assert_true(o.peak < (size_t)5 << 20); /* 20,000 held: 7.7 MB */
}

static void tags_lists(void **state)
{
    outcome o = load_case("tags", 0, NULL);
    (void)state;
    expect_ok(&o);
    dosm_def_free(o.def);
}

/* 256 values in each of 20 vocabularies of one state: each value checked
 * against its own list, by hash. A value twice in one list is still a
 * clash; the same value in two vocabularies is not. */
static void vocab_values(void **state)
{
    char *yaml, *at;
    size_t len;
    outcome o = load_case("vocab-values", 0, &yaml);
    (void)state;
    expect_ok(&o);
    dosm_def_free(o.def);
    len = strlen(yaml);
    at = strstr(yaml, "      v1: [x0, x1, x2, x3, x4, x5");
    assert_non_null(at);
    memcpy(at + strlen("      v1: [x0, x1, x2, x3, x4, "), "x3", 2);
    o = load_yaml(yaml, len);
    /* line: header 5, vocabularies: 6, v0..v19 7..26, states: 27, S0 28,
     * label 29, external 30, fhir 31, v0 32, v1 33 */
    expect_error(&o, DOSM_D_CLASH, 33, 32, "state S0 gives v1 'x3' twice");
    assert_int_equal(o.errors, 1);
    free(yaml);
}

/* Shortest-path ties cost states x (2 states + candidates) steps: each
 * step of the chain is one (warned of once), up to the budget, 2,048
 * states; a state more, and the check is skipped (states/README.md). */
static void ties_budget(void **state)
{
    outcome o = load_case("ties", 0, NULL);
    (void)state;
    expect_ok(&o);
    assert_int_equal(o.ties, 299);
    dosm_def_free(o.def);
    o = load_case("ties", 2048, NULL);
    expect_ok(&o);
    assert_int_equal(o.ties, 2047);
    dosm_def_free(o.def);
    o = load_case("ties", 2049, NULL);
    expect_ok(&o);
    assert_int_equal(o.ties, 0);
    dosm_def_free(o.def);
}

/* Paths that part by one event's guarded transitions are no tie, however
 * long the walk back to where they part. */
static void ties_walks_budget(void **state)
{
    outcome o = load_case("ties-walks", 0, NULL);
    (void)state;
    expect_ok(&o);
    assert_int_equal(o.ties, 0);
    dosm_def_free(o.def);
    /* 261 starts x 260 ends x 260 steps back: over the walks' budget, so
     * the check stops there */
    o = load_case("ties-walks", 260, NULL);
    expect_ok(&o);
    assert_int_equal(o.ties, 0);
    dosm_def_free(o.def);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(overlap_shared_from),
        cmocka_unit_test(overlap_issue_refused),
        cmocka_unit_test(overlap_subsets),
        cmocka_unit_test(overlap_found_in_shared_group),
        cmocka_unit_test(overlap_run_limit),
        cmocka_unit_test(hint_long_ids),
        cmocka_unit_test(hint_alike_ids),
        cmocka_unit_test(hint_events),
        cmocka_unit_test(hint_nearest_first),
        cmocka_unit_test(dense_table_bounded),
        cmocka_unit_test(names_old_collisions_spread),
        cmocka_unit_test(names_prefixes),
        cmocka_unit_test(names_hash_spreads),
        cmocka_unit_test(names_same_hash_told_apart),
        cmocka_unit_test(names_collisions_sorted),
        cmocka_unit_test(names_clash_when_sorted),
        cmocka_unit_test(names_ids_and_labels),
        cmocka_unit_test(guards_tokens_in_all),
        cmocka_unit_test(guards_identical_once),
        cmocka_unit_test(nul_texts_held),
        cmocka_unit_test(duplicate_keys_held),
        cmocka_unit_test(tags_lists),
        cmocka_unit_test(vocab_values),
        cmocka_unit_test(ties_budget),
        cmocka_unit_test(ties_walks_budget),
    };
    if (getenv("DOSM_TEST_ONLY")) /* one test, e.g. under valgrind */
        cmocka_set_test_filter(getenv("DOSM_TEST_ONLY"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
