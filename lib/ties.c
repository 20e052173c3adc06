/* Shortest paths that fire different effects. A reconcile (and dosm_path)
 * takes one shortest path: among equally short ones, the transition
 * written first wins at each step. When another as short fires other
 * effects, writing order decides what the host is asked to do, so the
 * load warns (DOSM_W_PATH_TIE) at the transition not taken.
 *
 * From each leaf state S, a breadth-first search over the steps reconcile
 * may take (every transition that applies, guards ignored, in document
 * order; then the transient fallback) gives each state T the path taken
 * and its effects. Another shortest path into T ends in an edge u -> T
 * with dist(T) = dist(u) + 1 that is not the one taken; it fires u's
 * effects and the edge's. If every such edge agrees with T's, all
 * shortest paths to T agree (by induction on the distance), so comparing
 * these edges finds every tie. Two transitions of one event from one state
 * are chosen between by guards, not by order: not a tie. `to: previous`
 * is left out: the previous state is one step back on any path, so such a
 * step is shortest only as a first step, where it depends on the order's
 * history. Effects are compared by a hash of their sequence: a difference
 * in hashes is a difference in effects, so no warning is false (two
 * sequences of one hash, about one in 2^64, would hide a tie).
 *
 * The searches cost states x (2 states + candidates): over DOSM_TIE_BUDGET
 * the check is skipped (states/README.md says so). Finding where two paths
 * part walks back along them, which a guarded split followed by long
 * paths makes cost states x candidates x distance: those walks have a
 * budget of their own, and the check stops once it is spent. */
#include "load.h"

#include <stdlib.h>
#include <string.h>

#define NO_STEP (-2)   /* via[]: the start */
#define FALLBACK (-1)  /* via[]: a transient fallback */

typedef struct ties {
    const dosm_def *d;
    diag_sink *sink;
    uint32_t *order;      /* per state, its candidates in document order */
    int32_t *from, *via, *queue, *path;
    uint32_t *dist, *stamp;
    uint64_t *hash;
    unsigned char *reported; /* per transition, then per state's fallback */
    uint64_t walks;          /* steps left for finding where paths part */
} ties;

static int by_index(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The effects of a path so far, extended by step t. */
static uint64_t extend(const dosm_def *d, uint64_t h, int32_t t)
{
    uint32_t k;
    for (k = 0; t >= 0 && k < d->trans[t].effect_count; k++)
        h = (h ^ (uint64_t)(d->trans[t].effects[k] + 1)) *
            UINT64_C(0x100000001b3);
    return h;
}

static uint32_t effect_count(const dosm_def *d, int32_t t)
{
    return t >= 0 ? d->trans[t].effect_count : 0;
}

/* Text appended at buf[len]: the new length, cut to fit size. */
static size_t put(char *buf, size_t size, size_t len, const char *fmt,
                  const char *a, unsigned n)
{
    len += dosm__text_format(buf + len, size - len, fmt, a, n);
    return len < size ? len : size - 1;
}

/* The effects of the path taken to v, then of step t (NO_STEP: none). */
static void path_effects(const ties *x, int32_t v, int32_t t, char *buf,
                         size_t size)
{
    const dosm_def *d = x->d;
    uint32_t n = 0, k, shown = 0;
    size_t len = 0;
    buf[0] = '\0';
    x->path[n++] = t;
    for (; x->via[v] != NO_STEP; v = x->from[v])
        x->path[n++] = x->via[v];
    while (n-- > 0)
        for (k = 0; k < effect_count(d, x->path[n]); k++)
            len = put(buf, size, len, shown++ ? ", %s" : "%s",
                      d->effects[d->trans[x->path[n]].effects[k]].name, 0);
    if (!shown)
        put(buf, size, len, "no effect", NULL, 0);
}

static void step_name(const dosm_def *d, int32_t u, int32_t t, char *buf,
                      size_t size)
{
    if (t >= 0)
        dosm__text_format(buf, size, "line %u", d->trans[t].at.line);
    else
        dosm__text_format(buf, size, "the fallback of %s", d->states[u].id);
}

static uint32_t slot(const dosm_def *d, int32_t fork, int32_t t)
{
    return t >= 0 ? (uint32_t)t : d->trans_count + (uint32_t)fork;
}

/* The path taken to v and the one through u and t part where the two
 * leave one state (fork) by different steps: a, taken, and b, written
 * later. The warning is at b, once. */
static void warn(ties *x, uint32_t start, int32_t u, int32_t t, int32_t v)
{
    const dosm_def *d = x->d;
    char taken[64], other[64], was[DOSM_TEXT_MAX / 2], now[DOSM_TEXT_MAX / 2];
    int32_t p = x->from[v], q = u, a = x->via[v], b = t;
    while (p != q) { /* at one distance from the start: one step each */
        if (x->walks == 0)
            return; /* spent: the search stops (see search) */
        x->walks--;
        a = x->via[p];
        b = x->via[q];
        p = x->from[p];
        q = x->from[q];
    }
    /* a, found first, is a transition (a fallback is tried last) */
    if (b >= 0 && d->trans[a].event == d->trans[b].event)
        return; /* one event's transitions: its guards choose */
    if (x->reported[slot(d, p, b)])
        return;
    x->reported[slot(d, p, b)] = 1;
    step_name(d, p, a, taken, sizeof taken);
    step_name(d, p, b, other, sizeof other);
    path_effects(x, v, NO_STEP, was, sizeof was);
    path_effects(x, u, t, now, sizeof now);
    dosm__diag_report(x->sink, DOSM_WARNING, DOSM_W_PATH_TIE,
                      b >= 0 ? d->trans[b].at : d->states[p].at,
                      "two shortest paths from %s to %s fire different "
                      "effects: the one through %s (%s) is taken, not the "
                      "one through %s (%s)",
                      d->states[start].id, d->states[v].id, taken, was, other,
                      now);
}

/* One step u -> v by t (FALLBACK: u's fallback) of the search. */
static void step(ties *x, uint32_t start, int32_t u, int32_t t, int32_t v,
                 uint32_t *tail)
{
    const dosm_def *d = x->d;
    uint64_t h;
    if (v < 0 || v == u)
        return; /* `previous`, or a step that stays */
    h = extend(d, x->hash[u], t);
    if (x->stamp[v] != start + 1) {
        x->stamp[v] = start + 1;
        x->dist[v] = x->dist[u] + 1;
        x->from[v] = u;
        x->via[v] = t;
        x->hash[v] = h;
        x->queue[(*tail)++] = v;
        return;
    }
    if (x->dist[v] == x->dist[u] + 1 && h != x->hash[v])
        warn(x, start, u, t, v);
}

static void search(ties *x, uint32_t start)
{
    const dosm_def *d = x->d;
    uint32_t head = 0, tail = 0, k;
    x->stamp[start] = start + 1;
    x->dist[start] = 0;
    x->via[start] = NO_STEP;
    x->hash[start] = TEXT_HASH_SEED;
    x->queue[tail++] = (int32_t)start;
    while (head < tail && x->walks) {
        int32_t u = x->queue[head++];
        const hot_state *h = &d->hot[u];
        for (k = h->cand_first; k < h->cand_first + h->cand_count; k++)
            step(x, start, u, (int32_t)x->order[k], d->trans[x->order[k]].to,
                 &tail);
        step(x, start, u, FALLBACK, d->states[u].fallback, &tail);
    }
}

void dosm__ties_check(const dosm_def *d, arena *scratch, diag_sink *sink)
{
    const uint32_t n = d->state_count;
    /* a definition has a state */
    uint32_t cands = d->hot[n - 1].cand_first + d->hot[n - 1].cand_count;
    uint32_t s;
    ties x;
    if ((uint64_t)n * ((uint64_t)n + cands + n) > DOSM_TIE_BUDGET)
        return;
    x.d = d;
    x.sink = sink;
    x.walks = DOSM_TIE_BUDGET;
    x.order = dosm__arena_array(scratch, cands + 1, sizeof *x.order);
    x.from = dosm__arena_array(scratch, 4 * ((size_t)n + 1), sizeof *x.from);
    x.dist = dosm__arena_array(scratch, 2 * ((size_t)n + 1), sizeof *x.dist);
    x.hash = dosm__arena_array(scratch, n + 1, sizeof *x.hash);
    x.reported = dosm__arena_alloc(scratch, d->trans_count + n + 1);
    if (!x.order || !x.from || !x.dist || !x.hash || !x.reported) {
        dosm__diag_report(sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                          "out of memory");
        return;
    }
    x.via = x.from + n + 1;
    x.queue = x.via + n + 1;
    x.path = x.queue + n + 1;
    x.stamp = x.dist + n + 1;
    memcpy(x.order, d->cand, cands * sizeof *x.order);
    for (s = 0; s < n; s++)
        qsort(x.order + d->hot[s].cand_first, d->hot[s].cand_count,
              sizeof *x.order, by_index);
    for (s = 0; s < n; s++)
        if (!d->states[s].is_parent)
            search(&x, s);
}
