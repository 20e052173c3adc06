/* The generators of worst.h. Each writes one YAML text; none reads a
 * file, so the benchmark and the tests build exactly the same inputs. */
#include "worst.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The index hash of lib/names.c, for the case that collides in it on
 * purpose. Internal to libdosm.a, which the benchmark and tests link. */
uint32_t dosm__names_hash(const char *name, size_t len, int fold_case);

typedef struct ybuf {
    char *p;
    size_t len, cap;
} ybuf;

static void put(ybuf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        int n;
        va_start(ap, fmt);
        n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0)
            abort();
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = (b->cap + (size_t)n) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
}

static ybuf start(const char *name, const char *initial)
{
    ybuf b;
    b.cap = 1 << 16;
    b.len = 0;
    b.p = malloc(b.cap);
    if (!b.p)
        abort();
    b.p[0] = '\0';
    put(&b, "dosm: 1\nname: worst-%s\ntitle: Worst case\nrevision: 1\n"
            "initial: %s\n", name, initial);
    return b;
}

static char *finish(ybuf *b, size_t *len)
{
    *len = b->len;
    return b->p;
}

/* Deterministic: every run and every build sees the same input. */
typedef struct rng {
    uint32_t s;
} rng;

static uint32_t rnd(rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 17;
    r->s ^= r->s << 5;
    return r->s;
}

static const char upper_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
static const char lower_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_";

/* A ring S0 -> S1 -> ... -> S0 on event `next`: every state reachable,
 * none a dead end. */
static void ring(ybuf *b, int n)
{
    int i;
    for (i = 0; i < n; i++)
        put(b, "  - {event: next, from: S%d, to: S%d}\n", i, (i + 1) % n);
}

static void plain_states(ybuf *b, int n)
{
    int i;
    put(b, "states:\n");
    for (i = 0; i < n; i++)
        put(b, "  S%d: {label: s%d}\n", i, i); /* label = id, ignoring case */
}

/* ---- the overlap check ---- */

/* 64 transitions of one event with exclusive guards (n == k), each from
 * the same n states. With_ring: every state reachable, so the load is
 * valid and the checker runs in full; 2,600 states is as many as fit in
 * the default 200,000 YAML nodes with the ring. */
static char *overlap_gen(int n, int with_ring, size_t *len)
{
    ybuf b = start("overlap", "S0");
    int i, k;
    put(&b, "attributes:\n  n: { type: integer }\n");
    plain_states(&b, n);
    put(&b, "events:\n  next:\n  go:\ntransitions:\n");
    if (with_ring)
        ring(&b, n);
    for (k = 0; k < 64; k++) {
        put(&b, "  - event: go\n    guard: n == %d\n    to: S%d\n    from: [",
            k, k * 37 % n);
        for (i = 0; i < n; i++)
            put(&b, i ? ", S%d" : "S%d", i);
        put(&b, "]\n");
    }
    return finish(&b, len);
}

static char *overlap(int n, size_t *len)
{
    return overlap_gen(n, 1, len);
}

/* The issue's own numbers: 2,900 states do not fit beside a ring, so
 * most are unreachable and the load is refused; before, the checker
 * compared every pair anyway. */
static char *overlap_issue(int n, size_t *len)
{
    return overlap_gen(n, 0, len);
}

/* 70 exclusive transitions of one event; each state is named by 64 of
 * them, a different 64 for each state, so no two states share their run
 * of candidates and nothing learnt at one state answers another. */
static char *overlap_subsets(int n, size_t *len)
{
    enum { T = 70, LEFT_OUT = 6 };
    ybuf b = start("overlap-subsets", "S0");
    unsigned char *out = calloc((size_t)n * T, 1);
    rng r = {12345};
    int i, k;
    if (!out)
        abort();
    for (i = 0; i < n; i++)
        for (k = 0; k < LEFT_OUT;) {
            uint32_t t = rnd(&r) % T;
            if (!out[(size_t)i * T + t]) {
                out[(size_t)i * T + t] = 1;
                k++;
            }
        }
    put(&b, "attributes:\n  n: { type: integer }\n");
    plain_states(&b, n);
    put(&b, "events:\n  next:\n  go:\ntransitions:\n");
    ring(&b, n);
    for (k = 0; k < T; k++) {
        int first = 1;
        put(&b, "  - event: go\n    guard: n == %d\n    to: S%d\n    from: [",
            k, k * 37 % n);
        for (i = 0; i < n; i++)
            if (!out[(size_t)i * T + (size_t)k]) {
                put(&b, first ? "S%d" : ", S%d", i);
                first = 0;
            }
        put(&b, "]\n");
    }
    free(out);
    return finish(&b, len);
}

/* ---- the "did you mean" hint ---- */

/* Two characters of an id changed, so it names no state and the id it
 * came from is two edits away. */
static void typo(char *id, size_t len, const char *alphabet)
{
    size_t at[2], j;
    at[0] = len / 6;
    at[1] = len * 2 / 3;
    for (j = 0; j < 2; j++) {
        const char *c = strchr(alphabet, id[at[j]]);
        id[at[j]] = c && c[1] ? c[1] : alphabet[0];
    }
}

/* n states with 61-character ids and 50 transitions to a typo of one.
 * Alike: the ids share 55 characters, so no cheap filter tells them
 * apart and every one is as near the typo as the one it came from. */
static char *hint_gen(int n, int alike, size_t *len)
{
    enum { ID = 61, REFS = 50 };
    ybuf b = start(alike ? "hint-alike" : "hint", "S0");
    char *ids = malloc((size_t)n * (ID + 1));
    rng r = {777};
    int i, k;
    if (!ids)
        abort();
    for (i = 0; i < n; i++) {
        char *id = ids + (size_t)i * (ID + 1);
        if (alike) {
            int v = i;
            memset(id, 'A', ID);
            for (k = ID - 1; k >= ID - 6; k--, v /= 36)
                id[k] = upper_chars[v % 36];
        } else {
            for (k = 0; k < ID; k++)
                id[k] = upper_chars[rnd(&r) % 37];
        }
        id[0] = 'S';
        id[ID] = '\0';
    }
    memcpy(ids, "S0", 3); /* the initial state */
    put(&b, "states:\n");
    for (i = 0; i < n; i++)
        put(&b, "  %s: {label: state %d}\n", ids + (size_t)i * (ID + 1), i);
    put(&b, "events:\n  go:\ntransitions:\n");
    for (k = 0; k < REFS; k++) {
        char t[ID + 1];
        memcpy(t, ids + (size_t)(1 + k * 7919 % (n - 1)) * (ID + 1), ID + 1);
        typo(t, ID, upper_chars);
        put(&b, "  - {event: go, from: S0, to: %s}\n", t);
    }
    free(ids);
    return finish(&b, len);
}

static char *hint(int n, size_t *len)
{
    return hint_gen(n, 0, len);
}

static char *hint_alike(int n, size_t *len)
{
    return hint_gen(n, 1, len);
}

/* n events with 64-character names and 50 transitions firing a typo of
 * one: the hint searches events as it does states. */
static char *hint_events(int n, size_t *len)
{
    enum { NAME = 64, REFS = 50 };
    ybuf b = start("hint-events", "S0");
    char *names = malloc((size_t)n * (NAME + 1));
    rng r = {4242};
    int i, k;
    if (!names)
        abort();
    put(&b, "states:\n  S0: {label: s0}\n  S1: {label: s1, final: true}\n"
            "events:\n");
    for (i = 0; i < n; i++) {
        char *e = names + (size_t)i * (NAME + 1);
        for (k = 0; k < NAME; k++)
            e[k] = lower_chars[rnd(&r) % 37];
        e[0] = 'e';
        e[NAME] = '\0';
        put(&b, "  %s:\n", e);
    }
    put(&b, "transitions:\n");
    for (k = 0; k < REFS; k++) {
        char t[NAME + 1];
        memcpy(t, names + (size_t)(k * 7919 % n) * (NAME + 1), NAME + 1);
        typo(t, NAME, lower_chars);
        put(&b, "  - {event: %s, from: S0, to: S1}\n", t);
    }
    free(names);
    return finish(&b, len);
}

/* ---- the dense state x event table ---- */

/* n states x 1,023 events with 256 `from: any` transitions, and a ring. */
static char *dense(int n, size_t *len)
{
    ybuf b = start("dense", "S0");
    int k;
    plain_states(&b, n);
    put(&b, "events:\n  next:\n");
    for (k = 1; k < 1023; k++)
        put(&b, "  e%d:\n", k);
    put(&b, "transitions:\n");
    ring(&b, n);
    for (k = 1; k <= 256; k++)
        put(&b, "  - {event: e%d, from: any, to: S%d}\n", k, k * 61 % n);
    return finish(&b, len);
}

/* ---- the name index ---- */

/* The index hash of libdosm 0.1.0 (lib/names.c before issue 15): eight
 * bytes per step, each folded in with one multiply, so the slot of a name
 * depends on the first six bytes of its last word only. */
static uint64_t old_lower8(uint64_t x)
{
    const uint64_t ones = UINT64_C(0x0101010101010101);
    uint64_t low7 = x & ones * 0x7f;
    uint64_t at_least_a = low7 + ones * (0x80 - 'A');
    uint64_t beyond_z = low7 + ones * (0x80 - 'Z' - 1);
    uint64_t upper = at_least_a & ~beyond_z & ~x & ones * 0x80;
    return x | upper >> 2;
}

static uint32_t old_hash(const char *name)
{
    size_t len = strlen(name), i = 0, k;
    uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ len, w;
    for (; len - i >= 8; i += 8) {
        memcpy(&w, name + i, 8);
        h = (h ^ old_lower8(w)) * UINT64_C(0xff51afd7ed558ccd);
        h ^= h >> 32;
    }
    if (i < len) {
        for (w = 0, k = 0; i + k < len; k++)
            w |= (uint64_t)(unsigned char)name[i + k] << (8 * k);
        h = (h ^ old_lower8(w)) * UINT64_C(0xff51afd7ed558ccd);
        h ^= h >> 32;
    }
    return (uint32_t)h;
}

static void base36(char *out, int width, uint32_t v)
{
    int k;
    for (k = width - 1; k >= 0; k--, v /= 36)
        out[k] = upper_chars[v % 36];
}

/* States whose ids are written out, labels the same ignoring case, with
 * a ring through them in order. */
static char *named_ring(const char *name, const char *ids, size_t stride,
                        int n, size_t *len)
{
    ybuf b = start(name, ids);
    int i;
    put(&b, "states:\n");
    for (i = 0; i < n; i++) {
        const char *id = ids + (size_t)i * stride;
        char label[64];
        size_t k;
        for (k = 0; id[k] && k < sizeof label - 1; k++)
            label[k] = (char)(id[k] >= 'A' && id[k] <= 'Z' ? id[k] + 32 : id[k]);
        label[k] = '\0';
        put(&b, "  %s: {label: %s}\n", id, label);
    }
    put(&b, "events:\n  next:\ntransitions:\n");
    for (i = 0; i < n; i++)
        put(&b, "  - {event: next, from: %s, to: %s}\n", ids + (size_t)i * stride,
            ids + (size_t)((i + 1) % n) * stride);
    return finish(&b, len);
}

/* n states whose ids all land in one slot of 0.1.0's index: 8-character
 * ids that differ in their last two bytes only, under six-byte prefixes
 * chosen to share a slot. Every insert and lookup walked one cluster. */
static char *collide_old(int n, size_t *len)
{
    char *ids = malloc((size_t)n * 9);
    uint32_t size = 8, mask, target = 0, p;
    int count = 0, have_target = 0;
    char *out;
    if (!ids)
        abort();
    while (size < (uint32_t)n * 2 + 2) /* 0.1.0's table size */
        size *= 2;
    mask = size - 1;
    for (p = 0; count < n; p++) {
        char id[9];
        uint32_t x;
        id[0] = 'S';
        base36(id + 1, 5, p);
        memcpy(id + 6, "AA", 3);
        if (!have_target) {
            target = old_hash(id) & mask;
            have_target = 1;
        } else if ((old_hash(id) & mask) != target) {
            continue;
        }
        for (x = 0; x < 36 * 36 && count < n; x++, count++) {
            base36(id + 6, 2, x);
            memcpy(ids + (size_t)count * 9, id, 9);
        }
    }
    out = named_ring("collide-old", ids, 9, n, len);
    free(ids);
    return out;
}

/* n states whose ids (and labels, which fold to them) land within 256
 * slots of each other in the current index, which has the least power of
 * two of slots at least twice its 2n names: the file a hostile writer who
 * knows the hash would send. */
static char *collide_new(int n, size_t *len)
{
    char *ids = malloc((size_t)n * 9);
    uint32_t v, size = 8;
    int count = 0;
    char *out;
    if (!ids)
        abort();
    while (size < (uint32_t)n * 4)
        size *= 2;
    for (v = 0; count < n; v++) {
        char id[9];
        id[0] = 'S';
        base36(id + 1, 7, v);
        id[8] = '\0';
        if ((dosm__names_hash(id, 8, 1) & (size - 1)) < 256)
            memcpy(ids + (size_t)count++ * 9, id, 9);
    }
    out = named_ring("collide-new", ids, 9, n, len);
    free(ids);
    return out;
}

/* n states, each with a label other than its id: twice as many names as
 * states in the state index. */
static char *index_full(int n, size_t *len)
{
    ybuf b = start("index-full", "S0");
    int i;
    put(&b, "states:\n");
    for (i = 0; i < n; i++)
        put(&b, "  S%d: {label: State number %d}\n", i, i);
    put(&b, "events:\n  next:\ntransitions:\n");
    ring(&b, n);
    return finish(&b, len);
}

/* ---- found while looking (issue 15's "anything else") ---- */

/* n transitions, each with a guard of 511 tokens, the most one may have:
 * about 1.5 kB of text each, so 2,600 of them fill the 4 MiB input. */
static char *guards_big(int n, size_t *len)
{
    ybuf b = start("guards-big", "S0");
    int i, k;
    put(&b, "attributes:\n  u: { type: boolean }\n  m: { type: integer }\n"
            "states:\n  S0: {label: s0}\n  S1: {label: s1}\nevents:\n"
            "  next:\n  back:\n");
    for (i = 0; i < n; i++)
        put(&b, "  g%d:\n", i);
    put(&b, "transitions:\n  - {event: next, from: S0, to: S1}\n"
            "  - {event: back, from: S1, to: S0}\n");
    for (i = 0; i < n; i++) {
        put(&b, "  - {event: g%d, from: S0, to: S1, guard: \"m != %d", i, i);
        for (k = 0; k < 254; k++)
            put(&b, " and u");
        put(&b, "\"}\n");
    }
    return finish(&b, len);
}

/* A list of n text values holding a NUL character: each is an error found
 * while reading, held until the YAML has parsed. */
static char *nul_scalars(int n, size_t *len)
{
    ybuf b = {NULL, 0, 0};
    int i;
    b.cap = 1 << 16;
    b.p = malloc(b.cap);
    if (!b.p)
        abort();
    put(&b, "[");
    for (i = 0; i < n; i++)
        put(&b, i ? ", \"\\0\"" : "\"\\0\"");
    put(&b, "]\n");
    return finish(&b, len);
}

/* A mapping of n keys, all the same: n - 1 duplicate keys. */
static char *dup_keys(int n, size_t *len)
{
    ybuf b = {NULL, 0, 0};
    int i;
    b.cap = 1 << 16;
    b.p = malloc(b.cap);
    if (!b.p)
        abort();
    b.p[0] = '\0';
    for (i = 0; i < n; i++)
        put(&b, "a: 1\n");
    return finish(&b, len);
}

/* n states with 256 tags each, the most a list may have: every list is
 * checked for repeats. */
static char *tags(int n, size_t *len)
{
    ybuf b = start("tags", "S0");
    int i, k;
    put(&b, "states:\n");
    for (i = 0; i < n; i++) {
        put(&b, "  S%d:\n    label: s%d\n    tags: [", i, i);
        for (k = 0; k < 256; k++)
            put(&b, k ? ", tag_%d" : "tag_%d", (k * 97 + i) % 256);
        put(&b, "]\n");
    }
    put(&b, "events:\n  next:\ntransitions:\n");
    ring(&b, n);
    return finish(&b, len);
}

/* One state named in n vocabularies, with 256 values in each (the most a
 * list may have): each value is checked against the state's others. */
static char *vocab_values(int n, size_t *len)
{
    ybuf b = start("vocab-values", "S0");
    int i, k;
    put(&b, "vocabularies:\n");
    for (i = 0; i < n; i++)
        put(&b, "  v%d:\n", i);
    put(&b, "states:\n  S0:\n    label: s0\n    external:\n"
            "      fhir: requested\n");
    for (i = 0; i < n; i++) {
        put(&b, "      v%d: [", i);
        for (k = 0; k < 256; k++)
            put(&b, k ? ", x%d" : "x%d", k);
        put(&b, "]\n");
    }
    put(&b, "  S1: {label: s1, final: true, external: {fhir: completed}}\n"
            "events:\n  go:\ntransitions:\n  - {event: go, from: S0, to: S1}\n");
    return finish(&b, len);
}

/* ---- shortest paths that fire different effects ---- */

/* A chain of n states, each step taken by two events that fire different
 * effects: every step a tie, the most searches the budget allows at 2,048
 * states (2,049 are over it, and not checked). */
static char *ties(int n, size_t *len)
{
    ybuf b = start("ties", "S0");
    int i;
    put(&b, "effects:\n  one:\n  two:\n");
    plain_states(&b, n - 1);
    put(&b, "  S%d: {label: s%d, final: true}\n", n - 1, n - 1);
    put(&b, "events:\n  a:\n  b:\ntransitions:\n");
    for (i = 0; i + 1 < n; i++)
        put(&b, "  - {event: a, from: S%d, to: S%d, effects: [one]}\n"
                "  - {event: b, from: S%d, to: S%d, effects: [two]}\n",
            i, i + 1, i, i + 1);
    return finish(&b, len);
}

/* Chains P (n states) to A, which a guarded event splits into chains B
 * and C of n states, B's steps firing an effect; both ends lead to n final
 * states. Every final state is reached by two shortest paths that differ,
 * and finding where they part (at A, by one event: no tie) walks back n
 * steps, from each of the n + 1 starts before A: n^3 steps without the
 * walks' budget. */
static char *ties_walks(int n, size_t *len)
{
    ybuf b = start("ties-walks", "P0");
    int i;
    put(&b, "attributes:\n  rush: {type: boolean}\neffects:\n  one:\n"
            "states:\n  A: {label: a}\n");
    for (i = 0; i < n; i++)
        put(&b, "  P%d: {label: p%d}\n  B%d: {label: b%d}\n"
                "  C%d: {label: c%d}\n  T%d: {label: t%d, final: true}\n",
            i, i, i, i, i, i, i, i);
    put(&b, "events:\n  next:\n  go:\n");
    for (i = 0; i < n; i++)
        put(&b, "  e%d:\n", i);
    put(&b, "transitions:\n"
            "  - {event: go, from: A, to: B0, guard: rush}\n"
            "  - {event: go, from: A, to: C0, guard: not rush}\n");
    for (i = 0; i < n; i++) {
        put(&b, "  - {event: next, from: P%d, to: ", i);
        if (i + 1 < n)
            put(&b, "P%d}\n", i + 1);
        else
            put(&b, "A}\n");
        if (i + 1 < n)
            put(&b, "  - {event: next, from: B%d, to: B%d, effects: [one]}\n"
                    "  - {event: next, from: C%d, to: C%d}\n",
                i, i + 1, i, i + 1);
        put(&b, "  - {event: e%d, from: [B%d, C%d], to: T%d}\n", i, n - 1,
            n - 1, i);
    }
    return finish(&b, len);
}

const worst_case worst_cases[] = {
    {"overlap", "64 exclusive transitions of one event, each from the same N "
                "states; a ring (valid)", overlap, 2600, 300},
    {"overlap-issue", "the same from N states without a ring (refused: "
                      "unreachable)", overlap_issue, 2900, 300},
    {"overlap-subsets", "70 exclusive transitions, each state named by a "
                        "different 64 of them; a ring (valid)",
     overlap_subsets, 2300, 200},
    {"hint", "N states with 61-character ids, 50 transitions to a typo of "
             "one (refused: unknown state)", hint, 16383, 2000},
    {"hint-alike", "the same with ids that share 55 characters", hint_alike,
     16383, 2000},
    {"hint-events", "N events with 64-character names, 50 transitions firing "
                    "a typo of one", hint_events, 55000, 2000},
    {"dense", "N states x 1,023 events, 256 `from: any` transitions; a ring "
              "(valid)", dense, 16000, 1100},
    {"collide-old", "N states whose ids share one slot in 0.1.0's name index; "
                    "a ring (valid)", collide_old, 16000, 3000},
    {"collide-new", "N states whose ids share 256 slots in the current index "
                    "; a ring (valid)", collide_new, 16000, 3000},
    {"index-full", "N states labelled other than their ids; a ring (valid)",
     index_full, 16383, 2047},
    {"guards-big", "N transitions with distinct 511-token guards (4 MiB; "
                   "refused: tokens in all guards)", guards_big, 2600, 520},
    {"nul-scalars", "a list of N texts holding a NUL (refused)", nul_scalars,
     199000, 20000},
    {"dup-keys", "a mapping of N equal keys (refused)", dup_keys, 99999, 20000},
    {"tags", "N states with 256 tags each; a ring (valid)", tags, 740, 20},
    {"vocab-values", "one state with 256 values in each of N vocabularies "
                     "(valid)", vocab_values, 700, 20},
    {"ties", "a chain of N states, each step by two events firing different "
             "effects (valid; N - 1 path-tie warnings)", ties, 2048, 300},
    {"ties-walks", "a guarded split into two chains of N states, both ends "
                   "leading to N final states, after a chain of N (valid)",
     ties_walks, 560, 60},
};
const int worst_case_count = (int)(sizeof worst_cases / sizeof worst_cases[0]);

const worst_case *worst_find(const char *name)
{
    int i;
    for (i = 0; i < worst_case_count; i++)
        if (strcmp(worst_cases[i].name, name) == 0)
            return &worst_cases[i];
    return NULL;
}
