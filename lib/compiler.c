/* Compiles a loaded definition into the tables the runtime reads: for each
 * state the transitions that apply to it (its own, its parents', `any`),
 * sorted by event so that firing is a binary search within one state's
 * slice, whatever the size of the definition; and, where it stays small, a
 * state x event table that holds most steps outright (see build_cells). */
#include "load.h"

#include <stdlib.h>
#include <string.h>

/* Upper bound on state/transition pairs, so `from: any` on a huge file
 * cannot make the tables explode. */
#define MAX_CANDIDATES (UINT32_C(1) << 22)

typedef struct cand_sort {
    int32_t event;
    uint32_t order, trans;
} cand_sort;

static int by_event_then_order(const void *a, const void *b)
{
    const cand_sort *x = a, *y = b;
    if (x->event != y->event)
        return x->event < y->event ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Each state's list of transitions naming it in `from`, file order. */
typedef struct from_lists {
    uint32_t *first, *items;
    uint32_t *any, any_count;
} from_lists;

static int build_from_lists(const dosm_def *d, arena *scratch, from_lists *fl)
{
    uint32_t i, j, total = 0;
    uint32_t *fill;
    fl->first = dosm__arena_array(scratch, d->state_count + 1, sizeof *fl->first);
    fill = dosm__arena_array(scratch, d->state_count + 1, sizeof *fill);
    fl->any = dosm__arena_array(scratch, d->trans_count + 1, sizeof *fl->any);
    if (!fl->first || !fill || !fl->any)
        return 0;
    fl->any_count = 0;
    for (i = 0; i < d->trans_count; i++) {
        const transition_def *t = &d->trans[i];
        if (t->from_any)
            fl->any[fl->any_count++] = i;
        for (j = 0; j < t->from_count; j++)
            fl->first[t->from[j] + 1]++;
        total += t->from_count;
    }
    for (i = 0; i < d->state_count; i++)
        fl->first[i + 1] += fl->first[i];
    fl->items = dosm__arena_array(scratch, total + 1, sizeof *fl->items);
    if (!fl->items)
        return 0;
    memcpy(fill, fl->first, (d->state_count + 1) * sizeof *fill);
    for (i = 0; i < d->trans_count; i++)
        for (j = 0; j < d->trans[i].from_count; j++)
            fl->items[fill[d->trans[i].from[j]]++] = i;
    return 1;
}

/* The transitions that apply in state s: its own, its parents', then
 * `any`, in file order within each; none in a final state (no step leaves
 * it) or a parent (no order is in one). Counts them, and writes them to
 * tmp unless it is NULL: the counting pass sizes the tables the writing
 * pass fills, so both must take this one path. */
static uint32_t gather_candidates(const dosm_def *d, const from_lists *fl,
                                  uint32_t s, cand_sort *tmp)
{
    uint32_t n = 0, k;
    int32_t x;
    if (d->states[s].is_parent || d->states[s].final)
        return 0;
    for (x = (int32_t)s; x >= 0; x = d->states[x].parent)
        for (k = fl->first[x]; k < fl->first[x + 1]; k++, n++)
            if (tmp)
                tmp[n].trans = fl->items[k];
    for (k = 0; k < fl->any_count; k++, n++)
        if (tmp)
            tmp[n].trans = fl->any[k];
    return n;
}

static void fill_candidates(dosm_def *d, const from_lists *fl, uint32_t s,
                            cand_sort *tmp)
{
    const hot_state *st = &d->hot[s];
    uint32_t n = gather_candidates(d, fl, s, tmp), k;
    for (k = 0; k < n; k++) {
        tmp[k].order = k;
        tmp[k].event = d->trans[tmp[k].trans].event;
    }
    qsort(tmp, n, sizeof *tmp, by_event_then_order);
    for (k = 0; k < n; k++) {
        d->cand[st->cand_first + k] = tmp[k].trans;
        d->cand_event[st->cand_first + k] = tmp[k].event;
    }
}

/* The most cells a dense table may have: 8 MiB. The test of cells per
 * candidate below does not bound the table alone: 16,000 states x 1,023
 * events with 256 `from: any` transitions pass it, and would take 131 MB. */
#define DENSE_MAX_CELLS (UINT32_C(1) << 20)

/* A dense state x event table of where each pair's candidates start and,
 * when the first has no guard and a fixed target, of the step itself: fire
 * then finds its next state with one load. Built when it costs at most a
 * few cells per candidate and at most DENSE_MAX_CELLS; other definitions
 * keep the per-state search (a binary search of one state's candidates,
 * which does not grow with the definition). */
static int build_cells(dosm_def *d, uint32_t candidates)
{
    uint64_t cells = (uint64_t)d->state_count * d->event_count;
    uint32_t s, k;
    if (cells > 4 * (uint64_t)candidates + 4096 || cells > DENSE_MAX_CELLS)
        return DOSM_OK;
    d->cell = dosm__arena_array(&d->mem, (size_t)cells + 1, sizeof *d->cell);
    if (!d->cell)
        return DOSM_E_NOMEM;
    for (s = 0; s < d->state_count; s++) {
        const hot_state *st = &d->hot[s];
        cell *row = d->cell + (size_t)s * d->event_count;
        for (k = st->cand_count; k-- > 0;) /* backwards: the first wins */
            row[d->cand_event[st->cand_first + k]].first =
                st->cand_first + k + 1;
        for (k = 0; k < d->event_count; k++) {
            const transition_def *t =
                row[k].first ? &d->trans[d->cand[row[k].first - 1]] : NULL;
            if (d->events[k].payload_count || (st->flags & HOT_PARENT))
                row[k].to = CELL_SCREEN;
            else if (t && !t->guard && t->to != TO_PREVIOUS)
                row[k].to = t->to;
            else
                row[k].to = CELL_CHOOSE;
        }
    }
    return DOSM_OK;
}

static int build_candidates(dosm_def *d, arena *scratch, diag_sink *sink)
{
    from_lists fl;
    uint32_t s, total = 0, widest = 0;
    cand_sort *tmp;
    d->hot = dosm__arena_array(&d->mem, d->state_count + 1, sizeof *d->hot);
    d->may_hold = dosm__arena_alloc(&d->mem, d->state_count + 1);
    if (!d->hot || !d->may_hold || !build_from_lists(d, scratch, &fl))
        return DOSM_E_NOMEM;
    d->may_hold[0] = 1; /* no state */
    for (s = 0; s < d->state_count; s++) {
        d->may_hold[s + 1] = !d->states[s].is_parent;
        uint32_t n = gather_candidates(d, &fl, s, NULL);
        hot_state *h = &d->hot[s];
        h->id = d->states[s].id;
        h->id_len = (uint32_t)strlen(h->id);
        h->flags = (d->states[s].final ? HOT_FINAL : 0) |
                   (d->states[s].is_parent ? HOT_PARENT : 0) |
                   (d->states[s].timeout > 0 ? HOT_TIMEOUT : 0);
        h->cand_first = total;
        h->cand_count = n;
        if (n > MAX_CANDIDATES - total) {
            dosm__diag_report(sink, DOSM_ERROR, DOSM_D_LIMIT, d->states[s].at,
                        "the transitions apply to more than %u state/event "
                        "pairs (the limit)",
                        (unsigned)MAX_CANDIDATES);
            return DOSM_D_LIMIT;
        }
        total += n;
        if (n > widest)
            widest = n;
    }
    d->cand = dosm__arena_array(&d->mem, total + 1, sizeof *d->cand);
    d->cand_event = dosm__arena_array(&d->mem, total + 1, sizeof *d->cand_event);
    tmp = dosm__arena_array(scratch, widest + 1, sizeof *tmp);
    if (!d->cand || !d->cand_event || !tmp)
        return DOSM_E_NOMEM;
    for (s = 0; s < d->state_count; s++)
        fill_candidates(d, &fl, s, tmp);
    return build_cells(d, total);
}

static int build_event_lists(dosm_def *d, arena *scratch)
{
    uint32_t i, *fill;
    d->by_event = dosm__arena_array(&d->mem, d->trans_count + 1, sizeof *d->by_event);
    fill = dosm__arena_array(scratch, d->event_count + 1, sizeof *fill);
    if (!d->by_event || !fill)
        return DOSM_E_NOMEM;
    for (i = 0; i < d->trans_count; i++) {
        d->events[d->trans[i].event].trans_count++;
        d->trans[i].event_name = d->events[d->trans[i].event].name;
    }
    for (i = 1; i < d->event_count; i++)
        d->events[i].trans_first =
            d->events[i - 1].trans_first + d->events[i - 1].trans_count;
    for (i = 0; i < d->event_count; i++)
        fill[i] = d->events[i].trans_first;
    for (i = 0; i < d->trans_count; i++)
        d->by_event[fill[d->trans[i].event]++] = i;
    return DOSM_OK;
}

/* Breadth-first distances from the initial state: reachability for the
 * checker, "least advanced" for rollups. */
static int build_distances(dosm_def *d, arena *scratch)
{
    int32_t *queue = dosm__arena_array(scratch, d->state_count + 1, sizeof *queue);
    uint32_t head = 0, tail = 0, s, k;
    if (!queue)
        return DOSM_E_NOMEM;
    for (s = 0; s < d->state_count; s++)
        d->states[s].distance = -1;
    if (d->initial < 0) /* reported: the checker does not ask */
        return DOSM_OK;
    d->states[d->initial].distance = 0;
    queue[tail++] = d->initial;
    while (head < tail) {
        int32_t u = queue[head++];
        const hot_state *st = &d->hot[u];
        /* the transitions, then a transient state's fallback: a legal
         * step too (restart, paths, reconcile) */
        for (k = 0; k <= st->cand_count; k++) {
            int32_t to = k < st->cand_count
                             ? d->trans[d->cand[st->cand_first + k]].to
                             : d->states[u].fallback;
            if (to >= 0 && d->states[to].distance < 0) {
                d->states[to].distance = d->states[u].distance + 1;
                queue[tail++] = to;
            }
        }
    }
    return DOSM_OK;
}

typedef struct ranked {
    int32_t rank, state;
} ranked;

static int by_rank(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->state < y->state ? -1 : x->state > y->state;
}

static int build_ranking(dosm_def *d, arena *scratch)
{
    ranked *tmp = dosm__arena_array(scratch, d->state_count + 1, sizeof *tmp);
    uint32_t s, n = 0;
    d->ranked = dosm__arena_array(&d->mem, d->state_count + 1, sizeof *d->ranked);
    if (!tmp || !d->ranked)
        return DOSM_E_NOMEM;
    for (s = 0; s < d->state_count; s++) {
        if (d->states[s].is_parent)
            continue;
        tmp[n].rank = d->states[s].rank;
        tmp[n++].state = (int32_t)s;
    }
    qsort(tmp, n, sizeof *tmp, by_rank);
    for (s = 0; s < n; s++) {
        d->ranked[s] = tmp[s].state;
        d->states[tmp[s].state].order = s;
    }
    d->ranked_count = n;
    return DOSM_OK;
}

/* The definition hash: what decides behaviour, so that a snapshot can
 * tell an edited definition that kept its revision (dosm_def_hash says
 * what it covers). Each name and list is written with its length, so
 * that no two definitions give the same stream ({ab, c} and {a, bc} did
 * in 0.1.0, whose hash, without lengths, decode still accepts). */
typedef struct hasher {
    uint32_t h;
    int delimit; /* 0: the 0.1.0 hash */
} hasher;

static void hash_int(hasher *x, int64_t v)
{
    int i;
    for (i = 0; i < 8; i++) {
        x->h ^= (uint32_t)((uint64_t)v >> (8 * i)) & 0xFFu;
        x->h *= 16777619u;
    }
}

static void hash_count(hasher *x, uint32_t n)
{
    if (x->delimit)
        hash_int(x, n);
}

static void hash_text(hasher *x, const char *s)
{
    if (x->delimit)
        hash_int(x, (int64_t)strlen(s));
    x->h = dosm__text_hash(x->h, s);
}

static void hash_field(hasher *x, const field *f)
{
    uint32_t k;
    hash_text(x, f->name);
    hash_int(x, (int64_t)f->type * 2 + f->required);
    hash_count(x, f->value_count);
    for (k = 0; k < f->value_count; k++)
        hash_text(x, f->values[k]);
}

static uint32_t definition_hash(const dosm_def *d, int delimit)
{
    hasher x;
    uint32_t i, j;
    x.h = TEXT_HASH_SEED;
    x.delimit = delimit;
    hash_text(&x, d->name);
    hash_int(&x, d->initial);
    hash_int(&x, d->mixed);
    hash_count(&x, d->attr_count);
    for (i = 0; i < d->attr_count; i++)
        hash_field(&x, &d->attrs[i]);
    hash_count(&x, d->state_count);
    for (i = 0; i < d->state_count; i++) {
        const state_def *s = &d->states[i];
        hash_text(&x, s->id);
        hash_int(&x, s->final * 4 + s->is_parent * 2);
        hash_int(&x, s->parent);
        hash_int(&x, s->fallback);
        hash_int(&x, s->timeout);
        hash_int(&x, s->timeout_event);
    }
    hash_count(&x, d->event_count);
    for (i = 0; i < d->event_count; i++) {
        hash_text(&x, d->events[i].name);
        hash_count(&x, d->events[i].payload_count);
        for (j = 0; j < d->events[i].payload_count; j++)
            hash_field(&x, &d->events[i].payload[j]);
    }
    if (delimit) { /* 0.1.0 hashed effects by index only, not by name */
        hash_count(&x, d->effect_count);
        for (i = 0; i < d->effect_count; i++)
            hash_text(&x, d->effects[i].name);
    }
    hash_count(&x, d->trans_count);
    for (i = 0; i < d->trans_count; i++) {
        const transition_def *t = &d->trans[i];
        hash_int(&x, t->event);
        hash_int(&x, t->to);
        hash_int(&x, t->from_any ? -2 : (int64_t)t->from_count);
        for (j = 0; j < t->from_count; j++)
            hash_int(&x, t->from[j]);
        hash_text(&x, t->guard ? t->guard->text : "");
        hash_count(&x, t->effect_count);
        for (j = 0; j < t->effect_count; j++)
            hash_int(&x, t->effects[j]);
    }
    return x.h;
}

/* The exact index of state ids that decode and replay read. */
static int build_id_index(dosm_def *d)
{
    name_table t = dosm__table_of_ids(d);
    return dosm__names_build(&d->id_ix, &d->mem, &t, d->state_count, 0, NULL);
}

int dosm__compiler_build(dosm_def *d, arena *scratch, diag_sink *sink)
{
    int rc;
    if ((rc = build_candidates(d, scratch, sink)) == DOSM_OK &&
        (rc = build_event_lists(d, scratch)) == DOSM_OK &&
        (rc = build_distances(d, scratch)) == DOSM_OK &&
        (rc = build_ranking(d, scratch)) == DOSM_OK &&
        (rc = build_id_index(d)) == DOSM_OK) {
        d->name_len = (uint32_t)strlen(d->name);
        d->hash = definition_hash(d, 1);
        d->hash_0_1 = definition_hash(d, 0);
        rc = dosm__snapshot_head(d);
    }
    if (rc == DOSM_E_NOMEM) /* the builders only say so; tell the load */
        dosm__diag_report(sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                          "out of memory");
    return rc;
}
