/* libdosm benchmark: fire, load, reconcile, replay and memory, for every
 * shipped workflow and for generated definitions of 10 to 10,000 states.
 * Every figure is a median of several runs and is reported beside a
 * baseline measured in the same run (a hand-written switch for fire,
 * libyaml's own parse for load). Exits 1 if firing or a query allocates. */
#define _POSIX_C_SOURCE 200809L
#include "counting_alloc.h"
#include "itero_switch.h"
#include "vivo_switch.h"
#include "worst.h"

#include <dosm.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <yaml.h>

#define WALK 1000000

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif
#define MAX_RUNS 32

static int runs = 5, json = 0, walk_len = WALK;
static const char *only; /* --only NAME: one workload, for profiling */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static uint32_t rng = 2463534242u;
static uint32_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dosm_bench: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* ---- inputs ---- */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n = 0;
    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
        die("cannot read %s", path);
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
        die("cannot read %s", path);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* A definition of n states: a ring (so all are reachable) plus three more
 * events per state leading pseudo-randomly elsewhere, one of them guarded. */
static char *generate(int n, size_t *len)
{
    size_t cap = (size_t)n * 400 + 1024, used = 0;
    char *y = malloc(cap);
    int i;
#define PUT(...) used += (size_t)snprintf(y + used, cap - used, __VA_ARGS__)
    PUT("dosm: 1\nname: generated-%d\ntitle: Generated\nrevision: 1\n"
        "initial: S0\nattributes:\n  units: { type: integer }\nstates:\n", n);
    for (i = 0; i < n; i++)
        PUT("  S%d: { label: State %d, rank: %d, external: { fhir: in-progress } }\n",
            i, i, i % 7);
    PUT("events:\n  next:\n  jump:\n  skip:\n  check:\ntransitions:\n");
    for (i = 0; i < n; i++) {
        PUT("  - { event: next, from: S%d, to: S%d }\n", i, (i + 1) % n);
        PUT("  - { event: jump, from: S%d, to: S%d }\n", i, (i * 7 + 3) % n);
        PUT("  - { event: skip, from: S%d, to: S%d }\n", i, (i * 13 + 5) % n);
        PUT("  - { event: check, from: S%d, to: S%d, guard: \"units > 2\" }\n",
            i, (i * 31 + 11) % n);
    }
#undef PUT
    *len = used;
    return y;
}

typedef struct workload {
    char name[64];
    char *yaml;
    size_t len;
    dosm_def *def;
    test_alloc heap;
    dosm_allocator alloc;
    const char **walk;  /* event names; NULL means "back to the initial" */
    int is_itero, is_vivo; /* the workloads with a hand-written switch */
} workload;

static const dosm_pair attributes[] = {
    {"software_version", "2.2"}, {"scan_type", "full_arch"},
    {"physical_model", "true"},   {"request_approval", "true"},
    {"units", "3"},               {"rush", "false"},
};
static const dosm_values attrs = {attributes, 6, NULL, NULL};
static const dosm_pair payload_pairs[] = {{"tracking_number", "1Z999"}};

static dosm_request request(const char *event)
{
    dosm_request r;
    memset(&r, 0, sizeof r);
    r.event = event;
    r.attributes = &attrs;
    return r;
}

/* A pseudo-random legal walk, chosen among the accepted options. */
static void make_walk(workload *w)
{
    dosm_instance inst = dosm_instance_initial(w->def);
    int i;
    w->walk = malloc((size_t)walk_len * sizeof *w->walk);
    for (i = 0; i < walk_len; i++) {
        dosm_choice opts[64];
        dosm_request req = request(NULL);
        size_t n = dosm_choices(w->def, NULL, &inst, &req, opts, 64), k, ok = 0;
        int pick[64];
        for (k = 0; k < n && k < 64; k++)
            if (opts[k].code == DOSM_OK)
                pick[ok++] = (int)k;
        if (!ok) {
            w->walk[i] = NULL;
            inst = dosm_instance_initial(w->def);
            continue;
        }
        w->walk[i] = dosm_event_name(w->def, opts[pick[next_random() % ok]].event);
        req.event = w->walk[i];
        if (dosm_fire(w->def, NULL, &inst, &req, NULL) != DOSM_OK)
            w->walk[i] = NULL, inst = dosm_instance_initial(w->def);
    }
}

static void load_workload(workload *w)
{
    dosm_load_options opt;
    dosm_error err;
    memset(&w->heap, 0, sizeof w->heap);
    w->alloc = test_allocator(&w->heap);
    dosm_load_options_init(&opt);
    opt.allocator = &w->alloc;
    opt.max_input = w->len + 1;
    opt.max_nodes = w->len; /* generated definitions are big by design */
    if (dosm_load(w->yaml, w->len, w->name, &opt, &w->def, &err) != DOSM_OK)
        die("%s:%u:%u: %s", w->name, err.line, err.column, err.text);
}

/* ---- measurements ---- */

/* The walks, each one pass over walk_len steps that returns how many
 * fires it made; timed by the runs below, counted in instructions by
 * --op (instructions.sh). Which steps carry a payload is chosen outside
 * them, as the switch's events are. */
typedef struct walk_input {
    workload *w;
    const int *events;          /* by index; -1: back to the initial */
    const unsigned char *ships; /* steps that carry a payload */
    int with_outcome;
    const dosm_attributes *prepared; /* or NULL: the attributes as text */
} walk_input;

static NOINLINE long pass_by_name(const walk_input *in)
{
    workload *w = in->w;
    dosm_instance inst = dosm_instance_initial(w->def);
    dosm_outcome out;
    dosm_request req = request(NULL); /* as pass_by_index: only the event
                                         and payload change */
    dosm_values payload = {payload_pairs, 1, NULL, NULL};
    long fires = 0;
    int i;
    for (i = 0; i < walk_len; i++) {
        if (!w->walk[i]) {
            inst = dosm_instance_initial(w->def);
            continue;
        }
        req.event = w->walk[i];
        req.payload = in->ships[i] ? &payload : NULL;
        if (dosm_fire(w->def, NULL, &inst, &req,
                      in->with_outcome ? &out : NULL) != DOSM_OK)
            die("%s: step %d (%s) rejected", w->name, i, w->walk[i]);
        fires++;
    }
    return fires;
}

/* The same walk, events resolved to indexes once, as a busy host would. */
static NOINLINE long pass_by_index(const walk_input *in)
{
    workload *w = in->w;
    dosm_instance inst = dosm_instance_initial(w->def);
    dosm_outcome out;
    dosm_outcome *to = in->with_outcome ? &out : NULL;
    dosm_request req = request(NULL);
    dosm_values payload = {payload_pairs, 1, NULL, NULL};
    const dosm_values *carried[2] = {NULL, &payload};
    long fires = 0;
    int i;
    if (in->prepared)
        req.attributes = dosm_attributes_values(in->prepared);
    for (i = 0; i < walk_len; i++) {
        if (in->events[i] < 0) {
            inst = dosm_instance_initial(w->def);
            continue;
        }
        req.payload = carried[in->ships[i]];
        if (dosm_fire_index(w->def, NULL, &inst, in->events[i], &req, to))
            die("%s: step %d rejected", w->name, i);
        fires++;
    }
    return fires;
}

static volatile int sink;

/* The same walk through the hand-written switch (iTero and Vivo). Vivo's
 * reads the attributes' text, as its guards do; iTero's takes
 * physical_model as a number. */
static NOINLINE long pass_switch(const walk_input *in)
{
    const vivo_attrs text = {"2.2", "full_arch", NULL}; /* as `attributes` */
    int vivo = in->w->is_vivo, first = vivo ? VS_NEW : IT_SCANNING;
    int state = first, i;
    uint32_t seq = 0;
    long fires = 0;
    for (i = 0; i < walk_len; i++) {
        int to;
        if (in->events[i] < 0) {
            state = first;
            continue;
        }
        to = vivo ? vivo_switch_fire(state, in->events[i], &text)
                  : itero_switch_fire(state, in->events[i], 1);
        if (to < 0)
            die("switch rejected step %d", i);
        state = to;
        seq++;
        fires++;
    }
    sink = state + (int)seq;
    return fires;
}

/* ns per fire of one pass. */
static double timed(long (*pass)(const walk_input *), const walk_input *in)
{
    double t0 = now();
    long fires = pass(in);
    return (now() - t0) * 1e9 / (double)(fires ? fires : 1);
}

/* A median with its range. */
typedef struct spread {
    double median, lo, hi;
} spread;

static spread spread_of(double *v, int n)
{
    spread sp;
    sp.median = median(v, n); /* sorts v */
    sp.lo = v[0];
    sp.hi = v[n - 1];
    return sp;
}

/* ns per fire, and the per-run ratios (medians of ratios, not ratios of
 * medians); the switch's only for iTero and Vivo. */
typedef struct fire_times {
    spread by_name, by_index, prepared, by_switch;
    spread index_ratio, prepared_ratio, name_ratio; /* by name / by index */
    int has_switch;
} fire_times;

/* One run: the walks back to back, so a machine that slows down slows
 * them all. */
typedef struct walks {
    walk_input fire, prepared, sw;
    double name, index, with_prepared, by_switch;
} walks;

static void run_walks(walks *k)
{
    k->name = timed(pass_by_name, &k->fire);
    k->index = timed(pass_by_index, &k->fire);
    k->with_prepared = timed(pass_by_index, &k->prepared);
    k->by_switch = k->sw.events ? timed(pass_switch, &k->sw) : 1;
}

/* Runs the walks with the stack `steps` times 512 bytes deeper. Where the
 * walk's outcome and instance sit relative to the definition's tables
 * moves fire's time by up to a third (a store and a later load 4 KiB apart
 * look dependent to the CPU), so the runs rotate through eight offsets
 * rather than report whichever one the process started with. */
static void run_walks_at(int steps, walks *k)
{
    volatile char pad[512];
    pad[0] = (char)steps;
    if (steps > 0)
        run_walks_at(steps - 1, k);
    else
        run_walks(k);
    k->by_switch += pad[0] * 0.0; /* keeps pad, and this frame, alive */
}

/* The walk's inputs: its events by index, which steps ship, and for iTero
 * the switch's own event numbers. */
static void walk_inputs(workload *w, walk_input *fire, walk_input *sw)
{
    int *events = malloc((size_t)walk_len * sizeof *events), *sw_events = NULL;
    unsigned char *ships = malloc((size_t)walk_len);
    int i, e;
    for (i = 0; i < walk_len; i++) {
        events[i] = w->walk[i] ? dosm_event_find(w->def, w->walk[i]) : -1;
        ships[i] = w->walk[i] && strcmp(w->walk[i], "ship") == 0;
    }
    if (w->is_itero || w->is_vivo) {
        const char *const *names = w->is_vivo ? vivo_event_names : itero_event_names;
        int count = w->is_vivo ? VE_COUNT : EV_COUNT;
        sw_events = malloc((size_t)walk_len * sizeof *sw_events);
        for (i = 0; i < walk_len; i++) {
            sw_events[i] = -1;
            for (e = 0; w->walk[i] && e < count; e++)
                if (strcmp(w->walk[i], names[e]) == 0)
                    sw_events[i] = e;
        }
    }
    fire->w = sw->w = w;
    fire->events = events;
    fire->ships = sw->ships = ships;
    fire->with_outcome = sw->with_outcome = 1;
    fire->prepared = sw->prepared = NULL;
    sw->events = sw_events;
}

static void walk_inputs_free(walk_input *fire, walk_input *sw)
{
    free((void *)fire->events);
    free((void *)fire->ships);
    free((void *)sw->events);
}

static fire_times measure_fire(workload *w)
{
    double name[MAX_RUNS], index[MAX_RUNS], prep[MAX_RUNS], sw[MAX_RUNS],
        ri[MAX_RUNS], rp[MAX_RUNS], rn[MAX_RUNS];
    long before;
    fire_times ft;
    dosm_attributes *prepared;
    walks k;
    int r;
    memset(&ft, 0, sizeof ft);
    walk_inputs(w, &k.fire, &k.sw);
    if (dosm_attributes_prepare(w->def, &attrs, NULL, &prepared) != DOSM_OK)
        die("cannot prepare the attributes");
    k.prepared = k.fire;
    k.prepared.prepared = prepared;
    before = w->heap.count;
    for (r = 0; r < runs; r++) {
        run_walks_at(r % 8, &k);
        name[r] = k.name;
        index[r] = k.index;
        prep[r] = k.with_prepared;
        sw[r] = k.by_switch;
        ri[r] = index[r] / sw[r];
        rp[r] = prep[r] / sw[r];
        rn[r] = name[r] / index[r];
    }
    if (w->heap.count != before)
        die("FAIL: firing allocated %ld times in %s", w->heap.count - before, w->name);
    ft.by_name = spread_of(name, runs);
    ft.by_index = spread_of(index, runs);
    ft.prepared = spread_of(prep, runs);
    ft.name_ratio = spread_of(rn, runs);
    if (k.sw.events) {
        ft.has_switch = 1;
        ft.by_switch = spread_of(sw, runs);
        ft.index_ratio = spread_of(ri, runs);
        ft.prepared_ratio = spread_of(rp, runs);
    }
    dosm_attributes_free(prepared);
    walk_inputs_free(&k.fire, &k.sw);
    return ft;
}

/* The fire lines of the report: one workload against its switch. */
static void print_fire(const char *name, const fire_times *ft)
{
    printf("fire, %s, ns (median of %d runs, range): switch %.2f (%.2f-%.2f), "
           "by index %.1f (%.1f-%.1f), prepared %.1f (%.1f-%.1f), by name "
           "%.1f (%.1f-%.1f)\n"
           "  by index / switch %.2f (%.2f-%.2f), prepared / switch %.2f "
           "(%.2f-%.2f), by name / by index %.2f (%.2f-%.2f)\n",
           name, runs, ft->by_switch.median, ft->by_switch.lo, ft->by_switch.hi,
           ft->by_index.median, ft->by_index.lo, ft->by_index.hi,
           ft->prepared.median, ft->prepared.lo, ft->prepared.hi,
           ft->by_name.median, ft->by_name.lo, ft->by_name.hi,
           ft->index_ratio.median, ft->index_ratio.lo, ft->index_ratio.hi,
           ft->prepared_ratio.median, ft->prepared_ratio.lo,
           ft->prepared_ratio.hi, ft->name_ratio.median, ft->name_ratio.lo,
           ft->name_ratio.hi);
}

/* Queries, checked not to allocate. */
static void check_queries(workload *w)
{
    long before = w->heap.count;
    dosm_instance inst = dosm_instance_initial(w->def);
    dosm_choice opts[64];
    dosm_request req = request("no_such_event");
    dosm_outcome out;
    char text[DOSM_SNAPSHOT_MAX];
    int s;
    for (s = 0; s < (int)dosm_state_count(w->def); s++) {
        dosm_state_info si;
        dosm_state_get(w->def, s, &si);
        if (si.is_parent)
            continue;
        inst.state = (uint16_t)s;
        dosm_choices(w->def, NULL, &inst, &req, opts, 64);
        dosm_try(w->def, NULL, &inst, &req, &out);
        dosm_encode(w->def, &inst, text, sizeof text);
        dosm_decode(w->def, text, &inst, NULL);
        dosm_state_find(w->def, si.label);
        dosm_sort_key(w->def, &inst);
    }
    if (w->heap.count != before)
        die("FAIL: a query allocated in %s", w->name);
}

static void libyaml_parse(const workload *w)
{
    yaml_parser_t p;
    yaml_event_t ev;
    int done = 0;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)w->yaml, w->len);
    while (!done && yaml_parser_parse(&p, &ev)) {
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
}

static void load_once(const workload *w)
{
    dosm_load_options opt;
    dosm_def *d;
    dosm_load_options_init(&opt);
    opt.max_input = w->len + 1;
    opt.max_nodes = w->len;
    if (dosm_load(w->yaml, w->len, w->name, &opt, &d, NULL) != DOSM_OK)
        die("load failed");
    dosm_def_free(d);
}

static double load_us(const workload *w, double *libyaml_us)
{
    double t[MAX_RUNS], y[MAX_RUNS];
    int r, k, reps = w->len > 100000 ? 3 : 200;
    for (r = 0; r < runs; r++) {
        double t0 = now();
        for (k = 0; k < reps; k++)
            libyaml_parse(w);
        y[r] = (now() - t0) * 1e6 / reps;
        t0 = now();
        for (k = 0; k < reps; k++)
            load_once(w);
        t[r] = (now() - t0) * 1e6 / reps;
    }
    *libyaml_us = median(y, runs);
    return median(t, runs);
}

static double reconcile_us(const workload *w)
{
    double t[MAX_RUNS];
    int n = (int)dosm_state_count(w->def), r, k, reps = n > 1000 ? 200 : 20000;
    for (r = 0; r < runs; r++) {
        double t0 = now();
        for (k = 0; k < reps; k++) {
            dosm_instance inst = dosm_instance_initial(w->def);
            dosm_state_info si;
            dosm_request req = request(NULL);
            int from = (int)(next_random() % (uint32_t)n), to = (int)(next_random() % (uint32_t)n);
            dosm_state_get(w->def, from, &si);
            if (si.is_parent)
                continue;
            inst.state = (uint16_t)from;
            dosm_reconcile(w->def, NULL, &inst, dosm_state_id(w->def, to), &req, NULL);
        }
        t[r] = (now() - t0) * 1e6 / reps;
    }
    return median(t, runs);
}

/* A continuous history of walk_len records (iTero never ends), and the
 * instances it passes through, for replay and snapshots. */
typedef struct history {
    const workload *w;
    dosm_record *log;
    dosm_instance *seen;
    int n;
} history;

static void history_make(const workload *w, history *h)
{
    dosm_instance inst = dosm_instance_initial(w->def);
    int i;
    h->w = w;
    h->log = malloc((size_t)walk_len * sizeof *h->log);
    h->seen = malloc((size_t)walk_len * sizeof *h->seen);
    h->n = 0;
    for (i = 0; i < walk_len && w->walk[i]; i++) {
        dosm_request req = request(w->walk[i]);
        dosm_outcome out;
        if (dosm_fire(w->def, NULL, &inst, &req, &out) != DOSM_OK)
            break;
        h->seen[h->n] = inst;
        h->log[h->n++] = out.record;
    }
    if (h->n < walk_len)
        die("the replay history has only %d records", h->n);
}

static void history_free(history *h)
{
    free(h->log);
    free(h->seen);
}

/* Replays the history: records replayed. */
static NOINLINE long pass_replay(const history *h)
{
    dosm_instance start = dosm_instance_initial(h->w->def), end;
    size_t bad;
    if (dosm_replay(h->w->def, &start, h->log, (size_t)h->n, &end, &bad,
                    NULL) != DOSM_OK)
        die("replay failed at %zu", bad);
    return h->n;
}

/* Encodes and decodes each instance of the history: pairs made. */
static NOINLINE long pass_codec(const history *h)
{
    char text[DOSM_SNAPSHOT_MAX];
    dosm_instance back;
    int i;
    for (i = 0; i < h->n; i++) {
        if (dosm_encode(h->w->def, &h->seen[i], text, sizeof text) != DOSM_OK ||
            dosm_decode(h->w->def, text, &back, NULL) != DOSM_OK ||
            back.seq != h->seen[i].seq)
            die("snapshot %d does not round-trip", i);
    }
    return h->n;
}

/* ns per record replayed, and per encode plus decode. */
static void history_ns(const workload *w, spread *replay, spread *codec)
{
    double t[MAX_RUNS], c[MAX_RUNS];
    history h;
    int r;
    history_make(w, &h);
    for (r = 0; r < runs; r++) {
        double t0 = now();
        long n = pass_replay(&h);
        t[r] = (now() - t0) * 1e9 / (double)n;
        t0 = now();
        n = pass_codec(&h);
        c[r] = (now() - t0) * 1e9 / (double)n;
    }
    history_free(&h);
    *replay = spread_of(t, runs);
    *codec = spread_of(c, runs);
}

/* ---- worst cases (issue 15) and name lookups (issue 18) ---- */

/* Loads each generated worst case `runs` times with the default limits,
 * counting the heap through the allocator hooks (libyaml's own buffers
 * are not counted: it calls malloc), and prints the load time's median
 * and range, the peak heap and the outcome. */
static void worst(const char *name)
{
    int i, r;
    printf("libdosm %s worst cases, %d runs each, default limits\n"
           "%-16s %7s %9s %9s %19s %9s  %s\n", dosm_version(), runs, "case",
           "N", "input kB", "load ms", "(range)", "peak MB", "outcome");
    for (i = 0; i < worst_case_count; i++) {
        const worst_case *c = &worst_cases[i];
        double t[MAX_RUNS], lo = 1e30, hi = 0;
        size_t len, peak = 0;
        char *yaml;
        dosm_error err;
        int rc = DOSM_OK;
        if (name && strcmp(name, c->name) != 0)
            continue;
        yaml = c->make(c->bench_n, &len);
        for (r = 0; r < runs; r++) {
            test_alloc heap;
            dosm_allocator a;
            dosm_load_options opt;
            dosm_def *d = NULL;
            double t0;
            memset(&heap, 0, sizeof heap);
            a = test_allocator(&heap);
            dosm_load_options_init(&opt);
            opt.allocator = &a;
            opt.flags = DOSM_LOAD_LINT; /* the worst case of every check */
            t0 = now();
            rc = dosm_load(yaml, len, c->name, &opt, &d, &err);
            t[r] = (now() - t0) * 1e3;
            dosm_def_free(d);
            if (heap.live)
                die("%s: %ld blocks leaked", c->name, heap.live);
            lo = t[r] < lo ? t[r] : lo;
            hi = t[r] > hi ? t[r] : hi;
            peak = heap.peak > peak ? heap.peak : peak;
        }
        printf("%-16s %7d %9.0f %9.1f %9.1f-%-9.1f %9.1f  %s", c->name, c->bench_n,
               (double)len / 1e3, median(t, runs), lo, hi, (double)peak / 1048576.0,
               dosm_code_name(rc));
        if (rc != DOSM_OK)
            printf(" %u:%u %s", err.line, err.column, err.text);
        printf("\n");
        fflush(stdout);
        free(yaml);
    }
}

/* Lookups by id in the generated definitions: each id's time is the
 * median of `runs` rounds of 200 lookups of it (its slot in cache: what
 * is left is hashing and probing; a round the machine interrupts moves no
 * median); the mean is over all ids, and so is the worst. */
static void lookups(void)
{
    static const int sizes[] = {10, 1000, 10000};
    int i;
    printf("libdosm %s name lookups (dosm_state_find by id), median of %d "
           "rounds\n%8s %9s %9s %9s %12s %s\n", dosm_version(), runs, "states",
           "mean ns", "worst ns", "worst/mean", "pass ns", "(range)");
    for (i = 0; i < 3; i++) {
        workload w;
        double sum = 0, worst_ns = 0, pass[MAX_RUNS], mid;
        int n = sizes[i], s, r, k;
        char (*ids)[16] = malloc((size_t)n * sizeof *ids);
        memset(&w, 0, sizeof w);
        snprintf(w.name, sizeof w.name, "generated-%d", n);
        w.yaml = generate(n, &w.len);
        load_workload(&w);
        for (s = 0; s < n; s++)
            snprintf(ids[s], sizeof ids[s], "%s", dosm_state_id(w.def, s));
        for (s = 0; s < n; s++) {
            double round_ns[MAX_RUNS];
            for (r = 0; r < runs; r++) {
                double t0 = now();
                for (k = 0; k < 200; k++)
                    sink += dosm_state_find(w.def, ids[s]);
                round_ns[r] = (now() - t0) * 1e9 / 200;
            }
            if (dosm_state_find(w.def, ids[s]) != s)
                die("lookup of %s failed", ids[s]);
            mid = median(round_ns, runs);
            sum += mid;
            worst_ns = mid > worst_ns ? mid : worst_ns;
        }
        /* and once through all ids in a pseudo-random order, cold slots */
        for (r = 0; r < runs; r++) {
            double t0 = now();
            for (k = 0; k < 1000000; k++)
                sink += dosm_state_find(w.def, ids[(uint32_t)k * 2654435761u % (uint32_t)n]);
            pass[r] = (now() - t0) * 1e9 / 1000000;
        }
        mid = median(pass, runs); /* sorts pass: the range is its ends */
        printf("%8d %9.1f %9.1f %9.2f %12.1f (%.1f-%.1f)\n", n, sum / n,
               worst_ns, worst_ns / (sum / n), mid, pass[0], pass[runs - 1]);
        dosm_def_free(w.def);
        free(w.yaml);
        free(ids);
    }
}

/* ---- one operation, for instruction counts (instructions.sh) ---- */

typedef enum op_kind {
    OP_SWITCH, OP_INDEX, OP_INDEX_NULL, OP_PREPARED, OP_NAME, OP_REPLAY,
    OP_CODEC,
    OP_LOAD, OP_LIBYAML, OP_LOOKUP
} op_kind;

typedef struct op {
    const char *name, *workload;
    op_kind kind;
} op;

#define ITERO "itero-lab-connector"
static const op ops[] = {
    {"switch", ITERO, OP_SWITCH},
    {"index", ITERO, OP_INDEX},
    {"index-null", ITERO, OP_INDEX_NULL},
    {"prepared", ITERO, OP_PREPARED},
    {"name", ITERO, OP_NAME},
    {"index-10", "generated-10", OP_INDEX},
    {"index-10000", "generated-10000", OP_INDEX},
    {"name-10", "generated-10", OP_NAME},
    {"name-10000", "generated-10000", OP_NAME},
    {"vivo-switch", "vivo", OP_SWITCH},
    {"vivo-index", "vivo", OP_INDEX},
    {"vivo-prepared", "vivo", OP_PREPARED},
    {"replay", ITERO, OP_REPLAY},
    {"codec", ITERO, OP_CODEC},
    {"load-10", "generated-10", OP_LOAD},
    {"libyaml-10", "generated-10", OP_LIBYAML},
    {"load-100", "generated-100", OP_LOAD},
    {"libyaml-100", "generated-100", OP_LIBYAML},
    {"load-1000", "generated-1000", OP_LOAD},
    {"libyaml-1000", "generated-1000", OP_LIBYAML},
    {"load-10000", "generated-10000", OP_LOAD},
    {"libyaml-10000", "generated-10000", OP_LIBYAML},
    {"load-itero", ITERO, OP_LOAD},
    {"libyaml-itero", ITERO, OP_LIBYAML},
    {"lookup-10", "generated-10", OP_LOOKUP},
    {"lookup-1000", "generated-1000", OP_LOOKUP},
    {"lookup-10000", "generated-10000", OP_LOOKUP},
};

/* What an operation works on, made before it runs. */
typedef struct op_input {
    workload *w;
    walk_input fire, sw;
    history h;
    char (*ids)[16];
} op_input;

/* The operation callgrind counts (--toggle-collect=op_run): how many
 * fires, records, pairs, loads or lookups it made. */
static NOINLINE long op_run(const op *o, op_input *in)
{
    long n = 0;
    int s;
    switch (o->kind) {
    case OP_SWITCH: return pass_switch(&in->sw);
    case OP_INDEX: return pass_by_index(&in->fire);
    case OP_INDEX_NULL:
        in->fire.with_outcome = 0;
        return pass_by_index(&in->fire);
    case OP_PREPARED: return pass_by_index(&in->fire);
    case OP_NAME: return pass_by_name(&in->fire);
    case OP_REPLAY: return pass_replay(&in->h);
    case OP_CODEC: return pass_codec(&in->h);
    case OP_LOAD: load_once(in->w); return 1;
    case OP_LIBYAML: libyaml_parse(in->w); return 1;
    case OP_LOOKUP:
        for (s = 0; s < (int)dosm_state_count(in->w->def); s++, n++)
            sink += dosm_state_find(in->w->def, in->ids[s]);
        return n;
    }
    return 0;
}

/* Opens a workload by name: a shipped workflow or generated-N. */
static void workload_open(workload *w, const char *name)
{
    memset(w, 0, sizeof *w);
    snprintf(w->name, sizeof w->name, "%s", name);
    if (strncmp(name, "generated-", 10) == 0) {
        w->yaml = generate(atoi(name + 10), &w->len);
    } else {
        char path[512];
        snprintf(path, sizeof path, "%s/states/%s.yaml", DOSM_SOURCE_DIR, name);
        w->yaml = read_all(path, &w->len);
        w->is_itero = strcmp(name, ITERO) == 0;
        w->is_vivo = strcmp(name, "vivo") == 0;
    }
    load_workload(w);
}

/* Runs one operation and prints its name and count. */
static int run_op(const char *name)
{
    const op *o = NULL;
    dosm_attributes *prepared = NULL;
    op_input in;
    workload w;
    size_t i;
    int s;
    long n;
    for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(ops[i].name, name) == 0)
            o = &ops[i];
    if (!o)
        die("no operation %s", name);
    memset(&in, 0, sizeof in);
    workload_open(&w, o->workload);
    in.w = &w;
    if (o->kind <= OP_NAME) {
        make_walk(&w);
        walk_inputs(&w, &in.fire, &in.sw);
        if (o->kind == OP_SWITCH && !in.sw.events)
            die("only iTero and Vivo have a switch");
        if (o->kind == OP_PREPARED &&
            dosm_attributes_prepare(w.def, &attrs, NULL, &prepared) != DOSM_OK)
            die("cannot prepare the attributes");
        in.fire.prepared = prepared;
    } else if (o->kind <= OP_CODEC) {
        make_walk(&w);
        history_make(&w, &in.h);
    } else if (o->kind == OP_LOOKUP) {
        in.ids = malloc(dosm_state_count(w.def) * sizeof *in.ids);
        for (s = 0; s < (int)dosm_state_count(w.def); s++)
            snprintf(in.ids[s], sizeof in.ids[s], "%s", dosm_state_id(w.def, s));
    }
    n = op_run(o, &in);
    printf("%s %ld\n", o->name, n);
    dosm_attributes_free(prepared);
    if (o->kind <= OP_NAME)
        walk_inputs_free(&in.fire, &in.sw);
    else if (o->kind <= OP_CODEC)
        history_free(&in.h);
    free(in.ids);
    dosm_def_free(w.def);
    free(w.yaml);
    free(w.walk);
    return 0;
}

static void list_ops(void)
{
    size_t i;
    for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
        printf("%s\n", ops[i].name);
}

/* ---- report ---- */

static void machine(char *out, size_t size)
{
    struct utsname u;
    char line[256], model[256] = "unknown CPU";
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0) {
            char *colon = strchr(line, ':');
            snprintf(model, sizeof model, "%s", colon ? colon + 2 : line);
            model[strcspn(model, "\n")] = '\0';
            break;
        }
    if (f)
        fclose(f);
    uname(&u);
    snprintf(out, size, "%s %s %s, %s", u.sysname, u.release, u.machine, model);
}

int main(int argc, char **argv)
{
    static const char *const shipped[] = {
        "vivo", "dwos-connect", "lab-portal", "itero-lab-connector",
        "3shape-communicate", "fhir-task", "medit-link"};
    static const int sizes[] = {10, 100, 1000, 10000};
    workload w[11];
    int n = 0, i, mode = 0;
    fire_times itero, vivo;
    double fire10 = 0,
           fire10k = 0, index10 = 0, index10k = 0;
    char host[1024];

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--worst") == 0)
            mode = 1;
        else if (strcmp(argv[i], "--lookups") == 0)
            mode = 2;
        else if (strcmp(argv[i], "--op") == 0 && i + 1 < argc)
            mode = 3, only = argv[++i];
        else if (strcmp(argv[i], "--ops") == 0)
            mode = 4;
        else if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc)
            walk_len = atoi(argv[++i]);
        else
            die("usage: dosm_bench [--json] [--runs N] [--only NAME]\n"
                "       dosm_bench --worst [--runs N] [--only CASE]\n"
                "       dosm_bench --lookups [--runs N]\n"
                "       dosm_bench --op NAME [--steps N]   (one operation, for\n"
                "                                           instructions.sh)\n"
                "       dosm_bench --ops                   (their names)");
    }
    if (runs < 1 || runs > MAX_RUNS)
        die("--runs must be 1 to %d", MAX_RUNS);
    if (mode == 1) {
        if (only && !worst_find(only))
            die("no worst case %s", only);
        worst(only);
        return 0;
    }
    if (mode == 2) {
        lookups();
        return 0;
    }
    if (walk_len < 1 || walk_len > WALK)
        die("--steps must be 1 to %d", WALK);
    if (mode == 3)
        return run_op(only);
    if (mode == 4) {
        list_ops();
        return 0;
    }
    machine(host, sizeof host);
    memset(w, 0, sizeof w);
    memset(&itero, 0, sizeof itero);
    memset(&vivo, 0, sizeof vivo);
    for (i = 0; i < 7; i++, n++) {
        char path[512];
        snprintf(path, sizeof path, "%s/states/%s.yaml", DOSM_SOURCE_DIR, shipped[i]);
        snprintf(w[n].name, sizeof w[n].name, "%s", shipped[i]);
        w[n].yaml = read_all(path, &w[n].len);
        w[n].is_itero = strcmp(shipped[i], ITERO) == 0;
        w[n].is_vivo = strcmp(shipped[i], "vivo") == 0;
    }
    for (i = 0; i < 4; i++, n++) {
        snprintf(w[n].name, sizeof w[n].name, "generated-%d", sizes[i]);
        w[n].yaml = generate(sizes[i], &w[n].len);
    }

    if (json)
        printf("{\n  \"machine\": \"%s\",\n  \"runs\": %d,\n  \"workloads\": [\n", host, runs);
    else
        printf("libdosm %s benchmark, median of %d runs\nmachine: %s\n\n"
               "%-22s %6s %6s %9s %9s %12s %9s %10s %8s %11s %9s %9s %8s %8s\n",
               dosm_version(), runs, host, "workload", "states", "trans",
               "ns/fire", "ns/index", "fires/s", "load us", "libyaml us", "ratio",
               "reconc. us", "B/state", "B/trans", "peak/in", "B/inst");
    for (i = 0; i < n; i++) {
        double fire, by_index, load, yaml_us, rec;
        fire_times ft;
        size_t mem;
        int states, trans;
        if (only && strcmp(only, w[i].name) != 0)
            continue;
        load_workload(&w[i]);
        make_walk(&w[i]);
        ft = measure_fire(&w[i]);
        fire = ft.by_name.median;
        by_index = ft.by_index.median;
        check_queries(&w[i]);
        load = load_us(&w[i], &yaml_us);
        rec = reconcile_us(&w[i]);
        states = (int)dosm_state_count(w[i].def);
        trans = (int)dosm_transition_count(w[i].def);
        mem = dosm_def_memory(w[i].def);
        if (w[i].is_itero)
            itero = ft;
        if (w[i].is_vivo)
            vivo = ft;
        if (strcmp(w[i].name, "generated-10") == 0)
            fire10 = fire, index10 = by_index;
        if (strcmp(w[i].name, "generated-10000") == 0)
            fire10k = fire, index10k = by_index;
        if (json)
            printf("    {\"name\": \"%s\", \"states\": %d, \"transitions\": %d, "
                   "\"bytes\": %zu, \"fire_ns\": %.1f, \"fire_index_ns\": %.1f, \"load_us\": %.1f, "
                   "\"libyaml_us\": %.1f, \"load_ratio\": %.2f, "
                   "\"reconcile_us\": %.2f, \"def_bytes\": %zu, "
                   "\"load_peak_bytes\": %zu}%s\n",
                   w[i].name, states, trans, w[i].len, fire, by_index, load, yaml_us,
                   load / yaml_us, rec, mem, w[i].heap.peak, i + 1 < n ? "," : "");
        else
            printf("%-22s %6d %6d %9.1f %9.1f %12.0f %9.1f %10.1f %8.2f %11.2f %9.0f %9.0f %8.1f %8zu\n",
                   w[i].name, states, trans, fire, by_index, 1e9 / fire, load, yaml_us,
                   load / yaml_us, rec, (double)mem / states,
                   (double)mem / trans, (double)w[i].heap.peak / (double)w[i].len,
                   sizeof(dosm_instance));
    }
    if (!json) {
        printf("\n");
        if (itero.has_switch)
            print_fire("iTero", &itero);
        if (vivo.has_switch)
            print_fire("Vivo", &vivo);
    }
    if (!only) {
        workload *it = &w[3];
        spread replay, codec;
        history_ns(it, &replay, &codec);
        if (json)
            printf("  ],\n  \"itero_fire_ns\": %.1f,\n  \"itero_fire_index_ns\": %.1f,\n"
                   "  \"itero_switch_ns\": %.2f,\n"
                   "  \"fire_index_ratio_vs_switch\": %.2f,\n"
                   "  \"fire_prepared_ratio_vs_switch\": %.2f,\n"
                   "  \"vivo_prepared_ratio_vs_switch\": %.2f,\n"
                   "  \"fire_10000_vs_10\": %.2f,\n  \"fire_index_10000_vs_10\": %.2f,\n"
                   "  \"replay_ns_per_record\": %.1f,\n  \"replay_records_per_s\": %.0f,\n"
                   "  \"encode_decode_ns\": %.1f\n}\n",
                   itero.by_name.median, itero.by_index.median,
                   itero.by_switch.median, itero.index_ratio.median,
                   itero.prepared_ratio.median, vivo.prepared_ratio.median,
                   fire10k / fire10, index10k / index10, replay.median,
                   1e9 / replay.median, codec.median);
        else
            printf("fire, 10,000 states vs 10 states: by name %.2f, by index %.2f\n"
                   "replay, iTero, %d records: %.1f ns per record (%.1f-%.1f), "
                   "%.0f records/s\n"
                   "snapshots, iTero: encode plus decode %.1f ns (%.1f-%.1f)\n",
                   fire10k / fire10, index10k / index10, walk_len,
                   replay.median, replay.lo, replay.hi, 1e9 / replay.median,
                   codec.median, codec.lo, codec.hi);
    }
    for (i = 0; i < n; i++) {
        dosm_def_free(w[i].def);
        free(w[i].yaml);
        free(w[i].walk);
    }
    return 0;
}
