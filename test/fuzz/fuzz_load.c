/*
 * fuzz_load: the definition loader, YAML bytes in.
 *
 * Every input is loaded with small limits through a counting allocator.
 * Invariants checked (abort() with a message when one fails):
 *  - the result is DOSM_OK or a DOSM_D_* code (never another code), the
 *    error struct says the same code, and out is NULL on failure;
 *  - a failure has a position (line >= 1), a sentence and the source name;
 *  - the diagnostic callback reports DOSM_D_* errors and DOSM_W_* warnings
 *    with a line, at most max_errors errors, the first error equal to the
 *    returned one, and no error at all for a load that succeeds;
 *  - on success: loading the same bytes again gives the same hash, and so
 *    does loading them with the default (larger) limits; every state id and
 *    label round-trips through dosm_state_find; the tables are consistent
 *    (parents, fallbacks, timeouts, transitions, rank order); the initial
 *    instance (and every other state's) survives dosm_encode/dosm_decode;
 *    trying every event from the initial state gives a defined answer;
 *  - an allocation failure at a point chosen by the input gives
 *    DOSM_E_NOMEM and leaks nothing; a freed definition leaves no bytes
 *    allocated.
 */
#include "fuzz_common.h"

/* ---- a counting allocator that can fail the Nth allocation ---- */

typedef struct counting {
    size_t live_bytes, live_blocks, calls;
    size_t fail_at; /* 1-based; 0: never */
    int failed;
} counting;

#define HEADER 16u

static void *count_alloc(void *user, size_t size)
{
    counting *c = user;
    unsigned char *p;
    c->calls++;
    if (c->fail_at && c->calls >= c->fail_at) {
        c->failed = 1;
        return NULL;
    }
    p = malloc(size + HEADER);
    if (!p)
        return NULL;
    memcpy(p, &size, sizeof size);
    c->live_bytes += size;
    c->live_blocks++;
    return p + HEADER;
}

static void count_free(void *user, void *ptr)
{
    counting *c = user;
    unsigned char *p = ptr;
    size_t size;
    if (!p)
        return;
    p -= HEADER;
    memcpy(&size, p, sizeof size);
    FUZZ_CHECK(c->live_blocks > 0 && c->live_bytes >= size,
               "the library frees a block it does not hold");
    c->live_bytes -= size;
    c->live_blocks--;
    free(p);
}

/* ---- diagnostics ---- */

typedef struct diags {
    unsigned errors, warnings;
    int first_code;
    unsigned first_line;
} diags;

static void on_diagnostic(void *user, const dosm_diagnostic *dg)
{
    diags *d = user;
    FUZZ_CHECK(dg->text != NULL && dg->text[0] != '\0',
               "a diagnostic (%s) without text", dosm_code_name(dg->code));
    FUZZ_CHECK(dg->source && strcmp(dg->source, "fuzz") == 0,
               "a diagnostic names source '%s', not 'fuzz'",
               dg->source ? dg->source : "(null)");
    if (dg->severity == DOSM_ERROR) {
        FUZZ_CHECK(dg->code >= 100 && dg->code < 200,
                   "an error diagnostic with code %d (%s): %s", dg->code,
                   dosm_code_name(dg->code), dg->text);
        FUZZ_CHECK(dg->line >= 1, "error diagnostic %s without a line: %s",
                   dosm_code_name(dg->code), dg->text);
        if (d->errors++ == 0) {
            d->first_code = dg->code;
            d->first_line = dg->line;
        }
    } else {
        FUZZ_CHECK(dg->severity == DOSM_WARNING, "severity %d",
                   (int)dg->severity);
        FUZZ_CHECK(dg->code >= 300 && dg->code < 400,
                   "a warning with code %d (%s): %s", dg->code,
                   dosm_code_name(dg->code), dg->text);
        FUZZ_CHECK(dg->line >= 1, "warning %s without a line: %s",
                   dosm_code_name(dg->code), dg->text);
        d->warnings++;
    }
}

static void small_limits(dosm_load_options *o)
{
    dosm_load_options_init(o);
    o->max_input = 64 * 1024;
    o->max_depth = 16;
    o->max_nodes = 8192;
    o->max_states = 256;
    o->max_transitions = 1024;
    o->max_errors = 8;
    o->flags = DOSM_LOAD_LINT; /* the authoring checks are fuzzed too */
}

/* ---- what a loaded definition must satisfy ---- */

static void check_tables(const dosm_def *def)
{
    int n = (int)dosm_state_count(def), e = (int)dosm_event_count(def);
    int t = (int)dosm_transition_count(def), i, non_parents = 0;
    int ranked[300];
    size_t rn, k;
    dosm_state_info info;
    dosm_instance init = dosm_instance_initial(def);
    char low[80];

    FUZZ_CHECK(n >= 1 && n <= 256, "state count %d", n);
    FUZZ_CHECK(e >= 0 && t >= 0, "event count %d, transition count %d", e, t);
    FUZZ_CHECK(dosm_def_name(def) && dosm_def_name(def)[0] &&
                   dosm_def_title(def) && dosm_def_source(def),
               "a definition without name or title");
    FUZZ_CHECK(dosm_def_revision(def) >= 1, "revision %u",
               (unsigned)dosm_def_revision(def));
    FUZZ_CHECK(dosm_def_memory(def) > 0, "dosm_def_memory is 0");
    FUZZ_CHECK(dosm_state_get(def, n, &info) == DOSM_E_ARG &&
                   dosm_state_get(def, -1, &info) == DOSM_E_ARG &&
                   dosm_state_id(def, n) == NULL,
               "a state index out of range is accepted");
    FUZZ_CHECK(dosm_event_name(def, e) == NULL &&
                   dosm_event_name(def, -1) == NULL,
               "an event index out of range has a name");

    for (i = 0; i < n; i++) {
        size_t j;
        FUZZ_CHECK(dosm_state_get(def, i, &info) == DOSM_OK,
                   "dosm_state_get(%d) failed", i);
        FUZZ_CHECK(info.id && info.label && info.description,
                   "state %d lacks a string", i);
        FUZZ_CHECK(dosm_state_id(def, i) == info.id ||
                       strcmp(dosm_state_id(def, i), info.id) == 0,
                   "dosm_state_id and dosm_state_get disagree on %d", i);
        FUZZ_CHECK(dosm_state_find(def, info.id) == i,
                   "state id '%s' (%d) finds %d", info.id, i,
                   dosm_state_find(def, info.id));
        FUZZ_CHECK(dosm_state_find(def, info.label) == i,
                   "label '%s' of %s (%d) finds %d", info.label, info.id, i,
                   dosm_state_find(def, info.label));
        for (j = 0; info.id[j] && j + 1 < sizeof low; j++)
            low[j] = (char)(info.id[j] >= 'A' && info.id[j] <= 'Z'
                                ? info.id[j] - 'A' + 'a'
                                : info.id[j]);
        low[j] = '\0';
        FUZZ_CHECK(dosm_state_find(def, low) == i,
                   "'%s' (%s in lower case) finds %d", low, info.id,
                   dosm_state_find(def, low));
        FUZZ_CHECK(info.attention >= DOSM_RED && info.attention <= DOSM_WHITE,
                   "state %s has attention %d", info.id, info.attention);
        FUZZ_CHECK(info.parent >= -1 && info.parent < n,
                   "state %s has parent %d", info.id, info.parent);
        if (info.parent >= 0) {
            dosm_state_info p;
            FUZZ_CHECK(dosm_state_get(def, info.parent, &p) == DOSM_OK &&
                           p.is_parent,
                       "state %s's parent %d is not a parent state", info.id,
                       info.parent);
        }
        FUZZ_CHECK(info.fallback >= -1 && info.fallback < n,
                   "state %s falls back to %d", info.id, info.fallback);
        if (info.fallback >= 0) {
            dosm_state_info f;
            FUZZ_CHECK(dosm_state_get(def, info.fallback, &f) == DOSM_OK &&
                           !f.is_parent && info.fallback != i,
                       "state %s falls back to a parent or itself", info.id);
        }
        FUZZ_CHECK((info.timeout > 0) == (info.timeout_event >= 0) &&
                       info.timeout >= 0 && info.timeout_event < e,
                   "state %s: timeout %lld, timeout event %d", info.id,
                   (long long)info.timeout, info.timeout_event);
        FUZZ_CHECK(!info.is_parent ||
                       (!info.final && info.fallback < 0 && !info.timeout),
                   "parent %s is final, transient or has a timeout",
                   info.id);
        FUZZ_CHECK(info.tag_count == 0 || info.tags != NULL,
                   "state %s has tags but no array", info.id);
        for (j = 0; j < info.tag_count; j++)
            FUZZ_CHECK(dosm_state_has_tag(def, i, info.tags[j]) == 1,
                       "state %s does not have its own tag %s", info.id,
                       info.tags[j]);
        if (!info.is_parent) {
            dosm_instance at;
            non_parents++;
            if (i < 64) {
                at.state = (uint16_t)i;
                at.previous = (int16_t)init.state;
                at.seq = (uint32_t)i * 977u;
                fuzz_check_snapshot(def, &at, "a state's instance");
            }
        }
    }

    FUZZ_CHECK(init.seq == 0 && init.previous == DOSM_NO_STATE,
               "the initial instance has seq %u, previous %u",
               (unsigned)init.seq, (unsigned)init.previous);
    FUZZ_CHECK_INSTANCE(def, &init, "the initial instance");
    fuzz_check_snapshot(def, &init, "the initial instance");
    FUZZ_CHECK(dosm_rollup(def, &init, 1) == init.state,
               "the rollup of one instance is not its state");

    for (i = 0; i < e; i++) {
        const char *name = dosm_event_name(def, i);
        FUZZ_CHECK(name && dosm_event_find(def, name) == i,
                   "event %d ('%s') does not round-trip", i,
                   name ? name : "(null)");
    }
    for (i = 0; i < t; i++) {
        dosm_transition_info ti;
        size_t j;
        FUZZ_CHECK(dosm_transition_get(def, i, &ti) == DOSM_OK,
                   "dosm_transition_get(%d) failed", i);
        FUZZ_CHECK(ti.event >= 0 && ti.event < e, "transition %d: event %d",
                   i, ti.event);
        FUZZ_CHECK(ti.target >= -1 && ti.target < n,
                   "transition %d: target %d", i, ti.target);
        if (ti.target >= 0) {
            FUZZ_CHECK(dosm_state_get(def, ti.target, &info) == DOSM_OK &&
                           !info.is_parent,
                       "transition %d leads to parent %d", i, ti.target);
        }
        FUZZ_CHECK(ti.from_count == 0 || ti.from != NULL,
                   "transition %d: from array missing", i);
        for (j = 0; j < ti.from_count; j++) {
            FUZZ_CHECK(ti.from[j] >= 0 && ti.from[j] < n,
                       "transition %d: from %d", i, ti.from[j]);
            FUZZ_CHECK(dosm_state_get(def, ti.from[j], &info) == DOSM_OK &&
                           !info.final,
                       "transition %d leaves final state %s", i, info.id);
        }
        FUZZ_CHECK(ti.line >= 1, "transition %d has no line", i);
    }
    FUZZ_CHECK(dosm_transition_get(def, t, &(dosm_transition_info){0}) ==
                   DOSM_E_ARG,
               "a transition index out of range is accepted");

    rn = dosm_states_ranked(def, ranked, sizeof ranked / sizeof ranked[0]);
    FUZZ_CHECK(rn == (size_t)non_parents, "%zu ranked states, %d non-parents",
               rn, non_parents);
    for (k = 0; k < rn; k++) {
        dosm_state_info a, b;
        FUZZ_CHECK(ranked[k] >= 0 && ranked[k] < n &&
                       dosm_state_get(def, ranked[k], &a) == DOSM_OK &&
                       !a.is_parent,
                   "ranked[%zu] = %d", k, ranked[k]);
        if (k > 0) {
            dosm_instance x = init, y = init;
            FUZZ_CHECK(dosm_state_get(def, ranked[k - 1], &b) == DOSM_OK &&
                           (b.rank < a.rank ||
                            (b.rank == a.rank && ranked[k - 1] < ranked[k])),
                       "ranked order: %s (%d) before %s (%d)", b.id,
                       (int)b.rank, a.id, (int)a.rank);
            x.state = (uint16_t)ranked[k - 1];
            y.state = (uint16_t)ranked[k];
            FUZZ_CHECK(dosm_sort_key(def, &x) < dosm_sort_key(def, &y),
                       "dosm_sort_key disagrees with dosm_states_ranked");
        }
    }

    /* Every event from the initial state: a defined answer, no change. */
    for (i = 0; i < e && i < 64; i++) {
        dosm_request req;
        dosm_outcome out;
        dosm_instance before = init;
        int rc;
        memset(&req, 0, sizeof req);
        req.event = dosm_event_name(def, i);
        rc = dosm_try(def, NULL, &init, &req, &out);
        FUZZ_CHECK(rc == DOSM_OK || DOSM_IS_REJECTION(rc),
                   "dosm_try(%s) from the initial state: %s", req.event,
                   dosm_code_name(rc));
        FUZZ_CHECK(fuzz_same_instance(&before, &init), "dosm_try changed "
                   "the instance");
        if (rc == DOSM_OK) {
            dosm_instance inst = init;
            rc = dosm_fire(def, NULL, &inst, &req, &out);
            FUZZ_CHECK(rc == DOSM_OK && inst.seq == 1,
                       "dosm_try(%s) accepts, dosm_fire says %s", req.event,
                       dosm_code_name(rc));
            FUZZ_CHECK_INSTANCE(def, &inst, "after the first event");
        }
    }
    {
        dosm_choice opts[64];
        dosm_request req;
        size_t m, j;
        memset(&req, 0, sizeof req);
        m = dosm_choices(def, NULL, &init, &req, opts, 64);
        for (j = 0; j < m && j < 64; j++)
            FUZZ_CHECK(opts[j].event >= 0 && opts[j].event < e &&
                           opts[j].transition >= 0 &&
                           opts[j].transition < t,
                       "option %zu: event %d, transition %d", j,
                       opts[j].event, opts[j].transition);
    }
}

/* A cheap hash of the input, to choose the failing allocation. */
static uint32_t input_hash(const uint8_t *data, size_t size)
{
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *yaml = (const char *)data;
    counting c1, c3;
    dosm_allocator a1, a3;
    dosm_load_options opt;
    diags dg;
    static char sentinel;
    dosm_def *def = (dosm_def *)(void *)&sentinel, *again = NULL;
    dosm_def *plain = NULL;
    dosm_error err;
    int rc;

    memset(&c1, 0, sizeof c1);
    a1.alloc = count_alloc;
    a1.free = count_free;
    a1.user = &c1;
    memset(&dg, 0, sizeof dg);
    small_limits(&opt);
    opt.allocator = &a1;
    opt.on_diagnostic = on_diagnostic;
    opt.diagnostic_user = &dg;
    memset(&err, 0x5A, sizeof err);

    rc = dosm_load(size ? yaml : NULL, size, "fuzz", &opt, &def, &err);

    FUZZ_CHECK(rc == DOSM_OK || (rc >= 100 && rc < 200),
               "dosm_load returned %d (%s): %s", rc, dosm_code_name(rc),
               rc == DOSM_E_NOMEM ? "without an allocation failing"
                                  : err.text);
    FUZZ_CHECK(err.code == rc, "dosm_load returned %s but the error says %s",
               dosm_code_name(rc), dosm_code_name(err.code));
    FUZZ_CHECK(memchr(err.text, '\0', sizeof err.text) != NULL &&
                   memchr(err.source, '\0', sizeof err.source) != NULL,
               "the error's strings are not terminated");
    FUZZ_CHECK(dg.errors <= opt.max_errors, "%u errors reported, max_errors "
               "is %u", dg.errors, opt.max_errors);

    if (rc != DOSM_OK) {
        FUZZ_CHECK(def == NULL, "a failed load left out non-NULL");
        FUZZ_CHECK(err.line >= 1, "%s without a line: %s",
                   dosm_code_name(rc), err.text);
        FUZZ_CHECK(err.text[0] != '\0', "%s without text",
                   dosm_code_name(rc));
        FUZZ_CHECK(strcmp(err.source, "fuzz") == 0,
                   "the error names source '%s'", err.source);
        FUZZ_CHECK(dg.errors >= 1, "%s returned but never reported",
                   dosm_code_name(rc));
        FUZZ_CHECK(dg.first_code == rc && dg.first_line == err.line,
                   "the first error reported was %s at line %u, the load "
                   "returned %s at line %u",
                   dosm_code_name(dg.first_code), dg.first_line,
                   dosm_code_name(rc), err.line);
        FUZZ_CHECK(c1.live_blocks == 0, "a failed load (%s) leaks %zu blocks "
                   "(%zu bytes)", dosm_code_name(rc), c1.live_blocks,
                   c1.live_bytes);
    } else {
        FUZZ_CHECK(def != NULL, "DOSM_OK without a definition");
        FUZZ_CHECK(dg.errors == 0, "a load that succeeds reported %u errors",
                   dg.errors);
        FUZZ_CHECK(err.line == 0 || err.code == DOSM_OK,
                   "success leaves an error");

        /* The same bytes again: the same definition. */
        rc = dosm_load(yaml, size, "fuzz", &opt, &again, &err);
        FUZZ_CHECK(rc == DOSM_OK && again, "loading the same bytes again: %s",
                   dosm_code_name(rc));
        FUZZ_CHECK(dosm_def_hash(def) == dosm_def_hash(again),
                   "the hash changes between two loads: %08x, %08x",
                   (unsigned)dosm_def_hash(def),
                   (unsigned)dosm_def_hash(again));
        dosm_def_free(again);

        /* Larger limits accept what smaller ones accept. */
        rc = dosm_load(yaml, size, "fuzz", NULL, &plain, &err);
        FUZZ_CHECK(rc == DOSM_OK && plain, "loads with small limits, not "
                   "with the defaults: %s %s", dosm_code_name(rc), err.text);
        FUZZ_CHECK(dosm_def_hash(def) == dosm_def_hash(plain),
                   "the hash depends on the limits");
        dosm_def_free(plain);

        check_tables(def);
        dosm_def_free(def);
        FUZZ_CHECK(c1.live_blocks == 0, "dosm_def_free leaves %zu blocks "
                   "(%zu bytes) allocated", c1.live_blocks, c1.live_bytes);
        rc = DOSM_OK;
    }

    /* Fail one allocation, chosen by the input: DOSM_E_NOMEM, no leak. */
    if (c1.calls > 0) {
        int rc3;
        dosm_def *def3 = NULL;
        memset(&c3, 0, sizeof c3);
        c3.fail_at = 1 + input_hash(data, size) % c1.calls;
        a3 = a1;
        a3.user = &c3;
        opt.allocator = &a3;
        opt.on_diagnostic = NULL;
        rc3 = dosm_load(yaml, size, "fuzz", &opt, &def3, &err);
        if (c3.failed) {
            FUZZ_CHECK(rc3 == DOSM_E_NOMEM || (rc != DOSM_OK && rc3 == rc),
                       "allocation %zu of %zu failed: the load returned %s "
                       "(it returns %s when memory suffices)",
                       c3.fail_at, c1.calls, dosm_code_name(rc3),
                       dosm_code_name(rc));
            FUZZ_CHECK(def3 == NULL, "a load that ran out of memory returned "
                       "a definition");
        } else {
            FUZZ_CHECK(rc3 == rc, "the same load returns %s, then %s",
                       dosm_code_name(rc), dosm_code_name(rc3));
        }
        dosm_def_free(def3);
        FUZZ_CHECK(c3.live_blocks == 0, "after allocation %zu failed, %zu "
                   "blocks (%zu bytes) leak", c3.fail_at, c3.live_blocks,
                   c3.live_bytes);
    }
    return 0;
}
