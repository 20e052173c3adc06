/* External vocabularies: the names a workflow's states have in other
 * systems (FHIR Task status, DWOS Connect's statuses, iTero's strings).
 * Built at load time: a reverse index of every (vocabulary, value, state),
 * sorted, so that "which states carry this value?" is a binary search and
 * allocates nothing. And the projection check: a vocabulary bound to a
 * workflow must name its states, and every transition must map onto a
 * path that workflow allows. */
#include "load.h"

#include <stddef.h>
#include <string.h>

#define WARN(sink, code, at, ...) \
    dosm__diag_report(sink, DOSM_WARNING, code, at, __VA_ARGS__)

name_table dosm__table_of_vocabs(const dosm_def *d)
{
    name_table t;
    t.table = d->vocabs;
    t.stride = sizeof(vocab_def);
    t.offset = offsetof(vocab_def, name);
    t.offset2 = (size_t)-1;
    return t;
}

/* The index order: vocabulary, then value (bytes), then state. */
static int ext_cmp(const external_def *a, const external_def *b)
{
    int c;
    if (a->vocab != b->vocab)
        return a->vocab < b->vocab ? -1 : 1;
    if ((c = strcmp(a->value, b->value)) != 0)
        return c;
    return a->state < b->state ? -1 : a->state > b->state;
}

/* A merge sort (no qsort: its order of equal keys is unspecified, and
 * ours has none anyway, but a recursion-free merge is bounded and simple). */
static void ext_sort(external_def *a, external_def *tmp, uint32_t n)
{
    uint32_t width, i;
    for (width = 1; width < n; width *= 2) {
        for (i = 0; i < n; i += 2 * width) {
            uint32_t lo = i, mid = i + width < n ? i + width : n;
            uint32_t hi = i + 2 * width < n ? i + 2 * width : n;
            uint32_t x = lo, y = mid, k = lo;
            while (x < mid && y < hi)
                tmp[k++] = ext_cmp(&a[y], &a[x]) < 0 ? a[y++] : a[x++];
            while (x < mid)
                tmp[k++] = a[x++];
            while (y < hi)
                tmp[k++] = a[y++];
        }
        memcpy(a, tmp, n * sizeof *a);
        if (width > UINT32_MAX / 2)
            break;
    }
}

int dosm__vocab_build(dosm_def *d, diag_sink *sink)
{
    uint32_t i, j, n = 0;
    external_def *tmp;
    unsigned char *used;
    for (i = 0; i < d->state_count; i++)
        n += d->states[i].ext_count;
    d->ext_index = dosm__arena_array(&d->mem, n + 1, sizeof *d->ext_index);
    tmp = dosm__mem_alloc(&d->mem.alloc, (n + 1) * sizeof *tmp + d->vocab_count + 1);
    if (!d->ext_index || !tmp) {
        dosm__mem_free(&d->mem.alloc, tmp);
        dosm__diag_report(sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                          "out of memory");
        return DOSM_E_NOMEM;
    }
    used = (unsigned char *)(tmp + n + 1);
    memset(used, 0, d->vocab_count + 1);
    for (i = 0; i < d->state_count; i++)
        for (j = 0; j < d->states[i].ext_count; j++) {
            d->ext_index[d->ext_count++] = d->states[i].ext[j];
            used[d->states[i].ext[j].vocab] = 1;
        }
    ext_sort(d->ext_index, tmp, d->ext_count);
    for (i = 0; i < d->vocab_count; i++)
        if (!used[i] && !d->vocabs[i].implicit)
            WARN(sink, DOSM_W_UNUSED, d->vocabs[i].at,
                 "vocabulary '%s' is used by no state", d->vocabs[i].name);
    dosm__mem_free(&d->mem.alloc, tmp);
    return DOSM_OK;
}

/* ---- queries ---- */

size_t dosm_vocab_count(const dosm_def *d)
{
    return d ? d->vocab_count : 0;
}

int dosm_vocab_find(const dosm_def *d, const char *name)
{
    name_table t;
    if (!d || !name)
        return -1;
    t = dosm__table_of_vocabs(d);
    return dosm__names_find(&d->vocab_ix, &t, name);
}

int dosm_vocab_get(const dosm_def *d, int vocab, dosm_vocab_info *info)
{
    const vocab_def *v;
    if (!d || vocab < 0 || (uint32_t)vocab >= d->vocab_count || !info)
        return DOSM_E_ARG;
    v = &d->vocabs[vocab];
    info->name = v->name;
    info->description = v->description;
    info->workflow = v->workflow;
    info->implicit = v->implicit;
    info->line = v->at.line;
    info->column = v->at.col;
    return DOSM_OK;
}

size_t dosm_state_externals(const dosm_def *d, int state,
                            const char *vocabulary, const char **out,
                            size_t capacity)
{
    const state_def *s;
    int32_t v = dosm_vocab_find(d, vocabulary), at = state_arg(d, state);
    size_t n = 0;
    uint32_t i;
    if (v < 0 || at < 0)
        return 0;
    s = &d->states[at];
    for (i = 0; i < s->ext_count; i++)
        if (s->ext[i].vocab == v) {
            if (out && n < capacity)
                out[n] = s->ext[i].value;
            n++;
        }
    return n;
}

const char *dosm_state_external(const dosm_def *d, int state,
                                const char *vocabulary)
{
    const char *first = NULL;
    dosm_state_externals(d, state, vocabulary, &first, 1);
    return first;
}

/* The first entry of the index not before (vocab, value, state). */
static uint32_t lower_bound(const dosm_def *d, int32_t vocab,
                            const char *text, int32_t state)
{
    external_def key;
    uint32_t lo = 0, hi = d->ext_count;
    key.vocab = vocab;
    key.value = text;
    key.state = state;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ext_cmp(&d->ext_index[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The slice of the index holding (vocab, value): [*first, return). */
static uint32_t carriers(const dosm_def *d, int32_t vocab, const char *text,
                         uint32_t *first)
{
    *first = lower_bound(d, vocab, text, -1);
    return lower_bound(d, vocab, text, INT32_MAX);
}

size_t dosm_external_states(const dosm_def *d, const char *vocabulary,
                            const char *text, int *out, size_t capacity)
{
    int32_t v = dosm_vocab_find(d, vocabulary);
    uint32_t first, end, i;
    size_t n = 0;
    if (v < 0 || !text)
        return 0;
    end = carriers(d, v, text, &first);
    for (i = first; i < end; i++, n++)
        if (out && n < capacity)
            out[n] = d->ext_index[i].state;
    return n;
}

/* ---- reconciling by vocabulary: the targets ---- */

int dosm__vocab_targets(const dosm_def *d, const char *vocabulary,
                        const char *text, uint32_t *first, uint32_t *end,
                        dosm_outcome *out)
{
    int32_t v = dosm_vocab_find(d, vocabulary);
    uint32_t i, leaves = 0;
    if (v < 0) {
        dosm__text_format(out->text, sizeof out->text,
                          "workflow %s has no vocabulary '%s'", d->name,
                          vocabulary ? vocabulary : "");
        return out->code = DOSM_E_NAME;
    }
    *end = text ? carriers(d, v, text, first) : (*first = 0);
    for (i = *first; i < *end; i++)
        leaves += !d->states[d->ext_index[i].state].is_parent;
    if (!leaves) {
        dosm__text_format(out->text, sizeof out->text,
                          "no state of workflow %s has %s '%s'", d->name,
                          d->vocabs[v].name, text ? text : "");
        return out->code = DOSM_E_NAME;
    }
    return DOSM_OK;
}

const external_def *dosm__vocab_entry(const dosm_def *d, uint32_t i)
{
    return &d->ext_index[i];
}

/* ---- the projection check ---- */

typedef struct projection {
    const dosm_def *w, *b; /* the workflow and the bound one */
    int32_t vocab;
    diag_sink *sink;
    arena *scratch;
    int32_t **mapped;      /* per state of w: its values as states of b */
    uint32_t *mapped_count;
    /* b's graph, guards ignored: successors, and predecessors for
     * `to: previous` */
    uint32_t *pred_first, *pred;
    int32_t *queue;
    unsigned char **reach; /* per state of b, computed when first asked */
} projection;

/* Predecessors in b: states with a transition (or a transient fallback)
 * into each state, other than itself: what `previous` can be there. */
static int b_predecessors(projection *p)
{
    const dosm_def *b = p->b;
    uint32_t n = b->state_count, s, k, total = 0, *fill;
    int pass;
    p->pred_first = dosm__arena_array(p->scratch, n + 1, sizeof *p->pred_first);
    fill = dosm__arena_array(p->scratch, n + 1, sizeof *fill);
    if (!p->pred_first || !fill)
        return 0;
    for (pass = 0; pass < 2; pass++) {
        for (s = 0; s < n; s++) {
            const hot_state *h = &b->hot[s];
            if (b->states[s].is_parent)
                continue;
            for (k = h->cand_first; k <= h->cand_first + h->cand_count; k++) {
                int32_t to = k < h->cand_first + h->cand_count
                                 ? b->trans[b->cand[k]].to
                                 : b->states[s].fallback;
                if (to < 0 || (uint32_t)to == s)
                    continue;
                if (pass == 0)
                    p->pred_first[to + 1]++, total++;
                else
                    p->pred[fill[to]++] = s;
            }
        }
        if (pass == 0) {
            for (s = 0; s < n; s++)
                p->pred_first[s + 1] += p->pred_first[s];
            memcpy(fill, p->pred_first, n * sizeof *fill);
            p->pred = dosm__arena_array(p->scratch, total + 1, sizeof *p->pred);
            if (!p->pred)
                return 0;
        }
    }
    return 1;
}

/* The states of b reachable from `from` in one step or more, guards
 * ignored, `previous` read as any predecessor; NULL when out of memory. */
static const unsigned char *reach_from(projection *p, int32_t from)
{
    const dosm_def *b = p->b;
    unsigned char *seen;
    uint32_t head = 0, tail = 0, k;
    if (p->reach[from])
        return p->reach[from];
    if (!(seen = dosm__arena_alloc(p->scratch, b->state_count)))
        return NULL;
    p->queue[tail++] = from;
    while (head < tail) {
        int32_t u = p->queue[head++];
        const hot_state *h = &b->hot[u];
        for (k = h->cand_first; k <= h->cand_first + h->cand_count; k++) {
            int32_t to;
            uint32_t j, stop;
            if (k == h->cand_first + h->cand_count)
                to = b->states[u].fallback;
            else if ((to = b->trans[b->cand[k]].to) == TO_PREVIOUS) {
                stop = p->pred_first[u + 1];
                for (j = p->pred_first[u]; j < stop; j++)
                    if (!seen[p->pred[j]]) {
                        seen[p->pred[j]] = 1;
                        p->queue[tail++] = (int32_t)p->pred[j];
                    }
                continue;
            }
            if (to >= 0 && !seen[to]) {
                seen[to] = 1;
                p->queue[tail++] = to;
            }
        }
    }
    return p->reach[from] = seen;
}

/* The values of state s of w as states of b, reporting those that name
 * none; 0 when out of memory. */
static int map_values(projection *p, uint32_t s)
{
    const state_def *st = &p->w->states[s];
    uint32_t i, n = 0;
    p->mapped[s] = dosm__arena_array(p->scratch, st->ext_count + 1,
                                     sizeof *p->mapped[s]);
    if (!p->mapped[s])
        return 0;
    for (i = 0; i < st->ext_count; i++) {
        const external_def *e = &st->ext[i];
        int32_t x;
        if (e->vocab != p->vocab)
            continue;
        x = dosm_state_find(p->b, e->value);
        if (x < 0 || p->b->states[x].is_parent) {
            dosm__diag_report(p->sink, DOSM_ERROR, DOSM_D_VOCAB_VALUE, e->at,
                              "%s '%s' of state %s is %s of workflow %s",
                              p->w->vocabs[p->vocab].name, e->value, st->id,
                              x < 0 ? "not a state" : "a parent state",
                              p->b->name);
            continue;
        }
        p->mapped[s][n++] = x;
    }
    p->mapped_count[s] = n;
    return 1;
}

/* Writes a state's values as "v" or "[v, w]" into buf. */
static void values_text(const projection *p, uint32_t s, char *buf,
                        size_t size)
{
    const state_def *st = &p->w->states[s];
    size_t len = 0;
    uint32_t i, n = 0, count = 0;
    for (i = 0; i < st->ext_count; i++)
        count += st->ext[i].vocab == p->vocab;
    buf[0] = '\0';
    for (i = 0; i < st->ext_count && len + 1 < size; i++) {
        if (st->ext[i].vocab != p->vocab)
            continue;
        const char *open = n ? ", " : count > 1 ? "[" : "";
        n++;
        len += dosm__text_format(buf + len, size - len, "%s%s%s", open,
                                 st->ext[i].value,
                                 n == count && count > 1 ? "]" : "");
    }
}

/* Whether S -> T of w keeps a value or maps onto a path of b: some value
 * of T is reachable from every value of S. -1 when out of memory. */
static int pair_ok(projection *p, uint32_t s, uint32_t t)
{
    uint32_t i, j;
    for (i = 0; i < p->mapped_count[s]; i++)
        for (j = 0; j < p->mapped_count[t]; j++)
            if (p->mapped[s][i] == p->mapped[t][j])
                return 1;
    for (j = 0; j < p->mapped_count[t]; j++) {
        int all = 1;
        for (i = 0; i < p->mapped_count[s] && all; i++) {
            const unsigned char *r = reach_from(p, p->mapped[s][i]);
            if (!r)
                return -1;
            all = r[p->mapped[t][j]];
        }
        if (all)
            return 1;
    }
    return 0;
}

static int check_pair(projection *p, const transition_def *tr, uint32_t s,
                      uint32_t t)
{
    char from[96], to[96];
    int ok;
    if (!p->mapped_count[s] || !p->mapped_count[t])
        return 1; /* no value here, or none that names a state of b */
    if ((ok = pair_ok(p, s, t)) < 0)
        return 0;
    if (ok)
        return 1;
    values_text(p, s, from, sizeof from);
    values_text(p, t, to, sizeof to);
    dosm__diag_report(p->sink, DOSM_ERROR, DOSM_D_PROJECTION, tr->at,
                      "%s -> %s maps %s -> %s, which %s does not allow",
                      p->w->states[s].id, p->w->states[t].id, from, to,
                      p->b->name);
    return 1;
}

/* Every concrete pair of every transition of w: each leaf state a
 * transition applies to (own, a parent's, `any`), and for `to: previous`
 * each state that can be previous there (a predecessor). */
static int check_transitions(projection *p, const uint32_t *wpred_first,
                             const uint32_t *wpred)
{
    const dosm_def *w = p->w;
    uint32_t s, k, j;
    for (s = 0; s < w->state_count && !dosm__diag_full(p->sink); s++) {
        const hot_state *h = &w->hot[s];
        if (w->states[s].is_parent || !p->mapped_count[s])
            continue;
        for (k = h->cand_first; k < h->cand_first + h->cand_count; k++) {
            const transition_def *tr = &w->trans[w->cand[k]];
            if (tr->to != TO_PREVIOUS) {
                if (!check_pair(p, tr, s, (uint32_t)tr->to))
                    return 0;
                continue;
            }
            for (j = wpred_first[s]; j < wpred_first[s + 1]; j++)
                if (!check_pair(p, tr, s, wpred[j]))
                    return 0;
        }
    }
    return 1;
}

/* The projection's work: a copy of w's predecessors is made by running
 * b_predecessors on w first. */
static int project(projection *p)
{
    uint32_t s, *wpred_first, *wpred;
    const dosm_def *b = p->b;
    p->b = p->w; /* predecessors of w, for its `to: previous` */
    if (!b_predecessors(p))
        return 0;
    wpred_first = p->pred_first;
    wpred = p->pred;
    p->b = b;
    if (!b_predecessors(p))
        return 0;
    p->mapped = dosm__arena_array(p->scratch, p->w->state_count + 1,
                                  sizeof *p->mapped);
    p->mapped_count = dosm__arena_array(p->scratch, p->w->state_count + 1,
                                        sizeof *p->mapped_count);
    p->reach = dosm__arena_array(p->scratch, b->state_count + 1,
                                 sizeof *p->reach);
    p->queue = dosm__arena_array(p->scratch, b->state_count + 1,
                                 sizeof *p->queue);
    if (!p->mapped || !p->mapped_count || !p->reach || !p->queue)
        return 0;
    for (s = 0; s < p->w->state_count; s++)
        if (!map_values(p, s))
            return 0;
    return check_transitions(p, wpred_first, wpred);
}

int dosm_vocab_check(const dosm_def *def, const char *vocabulary,
                     const dosm_def *bound, const char *source,
                     const dosm_load_options *options, dosm_error *error)
{
    dosm_error local;
    dosm_load_options o;
    diag_sink sink;
    projection p;
    arena scratch;
    int32_t v;
    if (!error)
        error = &local;
    dosm_load_options_init(&o);
    if (options) {
        o.on_diagnostic = options->on_diagnostic;
        o.diagnostic_user = options->diagnostic_user;
        if (options->max_errors)
            o.max_errors = options->max_errors;
    }
    dosm__diag_init(&sink, source, error, &o);
    if (!def || !bound) {
        dosm__error_set(error, DOSM_E_ARG,
                        "dosm_vocab_check needs both definitions");
        return DOSM_E_ARG;
    }
    if ((v = dosm_vocab_find(def, vocabulary)) < 0) {
        dosm__error_set(error, DOSM_E_NAME,
                        "workflow %s has no vocabulary '%s'", def->name,
                        vocabulary ? vocabulary : "");
        return DOSM_E_NAME;
    }
    if (def->vocabs[v].workflow &&
        strcmp(def->vocabs[v].workflow, bound->name) != 0) {
        dosm__error_set(error, DOSM_E_WORKFLOW,
                        "vocabulary '%s' of %s is bound to workflow %s, not %s",
                        def->vocabs[v].name, def->name,
                        def->vocabs[v].workflow, bound->name);
        return DOSM_E_WORKFLOW;
    }
    memset(&p, 0, sizeof p);
    p.w = def;
    p.b = bound;
    p.vocab = v;
    p.sink = &sink;
    p.scratch = &scratch;
    dosm__arena_init(&scratch, &def->mem.alloc, SIZE_MAX);
    if (!project(&p))
        dosm__diag_report(&sink, DOSM_ERROR, DOSM_E_NOMEM, (mark){0, 0},
                          "out of memory");
    dosm__arena_free(&scratch);
    return sink.errors || sink.nomem ? error->code : DOSM_OK;
}
