/* Edge cases of the public API that the other tests leave out: argument
 * checks, parsing of attribute values and durations, snapshots and
 * histories at their limits, host guards that change their mind, option
 * lists, big tables, and allocation failure wherever the arenas happen to
 * run out. Each test checks exact codes, states and sentences. */
#include "support.h"

#include <sys/types.h>
#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

typedef struct seen {
    int codes[64];
    unsigned lines[64], cols[64];
    int warning[64];
    char text[64][DOSM_TEXT_MAX];
    int n;
} seen;

static void collect(void *user, const dosm_diagnostic *d)
{
    seen *s = user;
    if (s->n < 64) {
        s->codes[s->n] = d->code;
        s->lines[s->n] = d->line;
        s->cols[s->n] = d->column;
        s->warning[s->n] = d->severity == DOSM_WARNING;
        snprintf(s->text[s->n], DOSM_TEXT_MAX, "%s", d->text);
        s->n++;
    }
}

/* Loads text, collecting every finding; returns the code. */
static int load_seen(const char *yaml, dosm_def **def, seen *s,
                     dosm_error *err)
{
    dosm_load_options opt;
    dosm_load_options_init(&opt);
    memset(s, 0, sizeof *s);
    opt.on_diagnostic = collect;
    opt.diagnostic_user = s;
    return dosm_load(yaml, strlen(yaml), "edge", &opt, def, err);
}

/* The edge workflow: state A has more than eight candidate transitions
 * (a binary search), B has a host guard with an unguarded otherwise, H
 * returns to previous, and `never` is an event nothing takes. */
static const char edge_yaml[] =
    "dosm: 1\n"
    "name: edge\n"
    "title: Edge\n"
    "revision: 2\n"
    "initial: A\n"
    "attributes:\n"
    "  n: { type: integer }\n"
    "  k: { type: enum, values: [x, y, z] }\n"
    "guards:\n"
    "  g: host decides\n"
    "effects:\n"
    "  fx: do it\n"
    "states:\n"
    "  A: { label: Alpha, external: { fhir: requested } }\n"
    "  B: { label: B, renamed_from: [OLD_B], external: { fhir: ready } }\n"
    "  C: { label: C, external: { fhir: ready } }\n"
    "  H: { label: H, external: { fhir: on-hold } }\n"
    "  Z: { label: Z, final: true, external: { fhir: completed } }\n"
    "events:\n"
    "  e0:\n  e1:\n  e2:\n  e3:\n  e4:\n  e5:\n  e6:\n  e7:\n"
    "  hop:\n  hold:\n  back:\n  kick:\n  fin:\n  never:\n"
    "transitions:\n"
    "  - { event: e0, from: A, to: B, guard: \"n >= 3\" }\n"
    "  - { event: e0, from: A, to: C, guard: \"n < 3\" }\n"
    "  - { event: e1, from: A, to: B, guard: \"k in [x, y]\" }\n"
    "  - { event: e2, from: A, to: B }\n"
    "  - { event: e3, from: A, to: B }\n"
    "  - { event: e4, from: A, to: B }\n"
    "  - { event: e5, from: A, to: B }\n"
    "  - { event: e6, from: A, to: B }\n"
    "  - { event: e7, from: A, to: B, effects: [fx] }\n"
    "  - { event: hop, from: B, to: C, guard: g }\n"
    "  - { event: hop, from: B, to: H, guard: \"not g\" }\n"
    "  - { event: hold, from: [B, C], to: H }\n"
    "  - { event: back, from: H, to: previous }\n"
    "  - { event: kick, from: any, to: Z }\n"
    "  - { event: fin, from: C, to: Z }\n";

static dosm_def *edge;

static int setup(void **state)
{
    (void)state;
    edge = load_text(edge_yaml);
    return edge ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dosm_def_free(edge);
    return 0;
}

static int S(const char *id)
{
    int s = dosm_state_find(edge, id);
    if (s < 0)
        fail_msg("no state %s", id);
    return s;
}

static dosm_instance at(const char *id)
{
    dosm_instance inst = dosm_instance_initial(edge);
    inst.state = (uint16_t)S(id);
    return inst;
}

static dosm_request request(const char *event, const dosm_values *attrs)
{
    dosm_request req;
    memset(&req, 0, sizeof req);
    req.event = event;
    req.attributes = attrs;
    req.now = 500;
    return req;
}

/* A host guard that says yes the first time it is asked, then no. */
static int once(const dosm_callback_info *info, void *user)
{
    const dosm_def *d = info->def;
    const dosm_instance *inst = info->before;
    const dosm_request *req = info->request;
    int *calls = user;
    (void)d; (void)inst; (void)req;
    return (*calls)++ == 0;
}

static int always(const dosm_callback_info *info, void *user)
{
    const dosm_def *d = info->def;
    const dosm_instance *inst = info->before;
    const dosm_request *req = info->request;
    (void)d; (void)inst; (void)req; (void)user;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Loading: options, durations, identifiers                           */
/* ------------------------------------------------------------------ */

/* A workflow whose state A times out after `after`; returns the code and
 * stores the timeout in seconds. */
static int load_timeout(const char *after, int64_t *seconds, seen *s)
{
    char yaml[1024];
    dosm_def *def = NULL;
    dosm_error err;
    dosm_state_info info;
    int rc;
    snprintf(yaml, sizeof yaml,
             "dosm: 1\nname: t\ntitle: T\nrevision: 1\ninitial: A\n"
             "states:\n"
             "  A: { label: A, timeout: { after: %s, event: late }, "
             "external: { fhir: requested } }\n"
             "  B: { label: B, final: true, external: { fhir: completed } }\n"
             "events: { late: , go: }\n"
             "transitions:\n"
             "  - { event: late, from: A, to: B }\n"
             "  - { event: go, from: A, to: B }\n",
             after);
    rc = load_seen(yaml, &def, s, &err);
    *seconds = -1;
    if (rc == DOSM_OK) {
        assert_int_equal(dosm_state_get(def, 0, &info), DOSM_OK);
        *seconds = info.timeout;
    }
    dosm_def_free(def);
    return rc;
}

static void test_durations(void **state)
{
    static const struct { const char *text; int64_t seconds; } good[] = {
        {"90s", 90}, {"30m", 1800}, {"12h", 43200}, {"7d", 604800},
        {"2w", 1209600}, {"1d12h", 129600}, {"1w1d1h1m1s", 694861},
        {"1000000000s", 1000000000}};
    static const char *const bad[] = {
        "0s", "5", "h", "1x", "''", "99999999999s", "1000000000w",
        "1d-1h", "2m0"};
    size_t i;
    int64_t secs;
    seen s;
    (void)state;
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(load_timeout(good[i].text, &secs, &s), DOSM_OK);
        assert_int_equal(secs, good[i].seconds);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(load_timeout(bad[i], &secs, &s), DOSM_D_VALUE);
        assert_int_equal(s.n, 1);
        assert_int_equal(s.codes[0], DOSM_D_VALUE);
        assert_int_equal(s.lines[0], 7);
        assert_int_equal(s.cols[0], 36);
    }
}

static void test_options_defaults_and_clamp(void **state)
{
    dosm_load_options opt;
    dosm_def *def = NULL;
    dosm_error err;
    char want[DOSM_TEXT_MAX];
    (void)state;
    /* NULL options, a NULL error and a source name are all optional. */
    assert_int_equal(dosm_load(edge_yaml, strlen(edge_yaml), NULL, NULL, &def,
                               NULL),
                     DOSM_OK);
    assert_string_equal(dosm_def_name(def), "edge");
    assert_string_equal(dosm_def_title(def), "Edge");
    assert_string_equal(dosm_def_source(def), "");
    assert_int_equal(dosm_def_revision(def), 2);
    assert_int_equal(dosm_def_hash(def), dosm_def_hash(edge));
    assert_true(dosm_def_memory(def) >= 4096);
    dosm_def_free(def);
    dosm_def_free(NULL);
    /* Zero limits mean the defaults; a limit set is the caller's. */
    memset(&opt, 0, sizeof opt);
    opt.max_input = 1;
    assert_int_equal(dosm_load(edge_yaml, strlen(edge_yaml), "big", &opt, &def,
                               &err),
                     DOSM_D_LIMIT);
    assert_null(def);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 1);
    assert_string_equal(err.source, "big");
    snprintf(want, sizeof want, "the definition is %u bytes; the limit is 1",
             (unsigned)strlen(edge_yaml));
    assert_string_equal(err.text, want);
    /* Arguments. */
    assert_int_equal(dosm_load(NULL, 3, "x", NULL, &def, &err), DOSM_E_ARG);
    assert_int_equal(err.code, DOSM_E_ARG);
    assert_int_equal(dosm_load("x", 1, "x", NULL, NULL, &err), DOSM_E_ARG);
    assert_int_equal(dosm_load(NULL, 0, "x", NULL, &def, &err), DOSM_D_TYPE);
    assert_null(def);
}

static void test_states_clamped_to_instance_range(void **state)
{
    /* 40000 states are refused at the clamped limit even when the caller
     * allows more: instances hold 15-bit state indexes. */
    size_t cap = 40000 * 48 + 4096, len = 0;
    char *yaml = malloc(cap);
    dosm_load_options opt;
    dosm_def *def = NULL;
    dosm_error err;
    int i;
    (void)state;
    assert_non_null(yaml);
    len += (size_t)sprintf(yaml + len, "dosm: 1\nname: t\ntitle: T\n"
                                       "revision: 1\ninitial: S0\nstates:\n");
    for (i = 0; i < 40000; i++)
        len += (size_t)sprintf(yaml + len, "  S%d: { label: L%d }\n", i, i);
    len += (size_t)sprintf(yaml + len, "events: { go: }\ntransitions: []\n");
    dosm_load_options_init(&opt);
    opt.max_states = 1000000;
    opt.max_nodes = 1000000;
    opt.max_input = 16u << 20;
    assert_int_equal(dosm_load(yaml, len, "many", &opt, &def, &err),
                     DOSM_D_LIMIT);
    assert_int_equal(err.line, 7);
    assert_int_equal(err.column, 3);
    assert_string_equal(err.text, "40000 states; the limit is 32767");
    free(yaml);
}

static void test_candidate_limit(void **state)
{
    /* 1000 states and 4200 `from: any` transitions make 4.2 million
     * state/transition pairs, over the 2^22 limit: state 998 (line 1005)
     * is the first that does not fit. */
    size_t cap = 1000 * 40 + 4200 * 40 + 4096, len = 0;
    char *yaml = malloc(cap);
    dosm_def *def = NULL;
    dosm_error err;
    seen s;
    int i;
    (void)state;
    assert_non_null(yaml);
    len += (size_t)sprintf(yaml + len, "dosm: 1\nname: t\ntitle: T\n"
                                       "revision: 1\ninitial: S0\nstates:\n");
    for (i = 0; i < 1000; i++)
        len += (size_t)sprintf(yaml + len, "  S%d: { label: L%d }\n", i, i);
    len += (size_t)sprintf(yaml + len, "events: { go: }\ntransitions:\n");
    for (i = 0; i < 4200; i++)
        len += (size_t)sprintf(yaml + len,
                               "  - { event: go, from: any, to: S%d }\n",
                               i % 1000);
    assert_true(len < cap);
    assert_int_equal(load_seen(yaml, &def, &s, &err), DOSM_D_LIMIT);
    assert_null(def);
    assert_int_equal(s.n, 1);
    assert_int_equal(err.line, 6 + 998 + 1);
    assert_int_equal(err.column, 3);
    assert_string_equal(err.text,
                        "the transitions apply to more than 4194304 "
                        "state/event pairs (the limit)");
    free(yaml);
}

static void test_warnings_do_not_fail(void **state)
{
    /* An unused guard, attribute, effect and event are warnings. */
    const char *yaml =
        "dosm: 1\nname: w\ntitle: W\nrevision: 1\ninitial: A\n"
        "attributes: { a: { type: string } }\n"
        "guards: { g: unused }\n"
        "effects: { e: unused }\n"
        "states:\n"
        "  A: { label: A, external: { fhir: requested } }\n"
        "  B: { label: B, final: true }\n"
        "events: { go: , idle: }\n"
        "transitions: [ { event: go, from: A, to: B } ]\n";
    dosm_def *def = NULL;
    dosm_error err;
    seen s;
    (void)state;
    assert_int_equal(load_seen(yaml, &def, &s, &err), DOSM_OK);
    assert_non_null(def);
    assert_int_equal(err.code, DOSM_OK);
    assert_int_equal(s.n, 5);
    assert_int_equal(s.codes[0], DOSM_W_NO_FHIR);
    assert_int_equal(s.lines[0], 11);
    assert_string_equal(s.text[0],
                        "state B has no FHIR Task status (external: { fhir: "
                        "... })");
    assert_int_equal(s.codes[1], DOSM_W_UNUSED);
    assert_string_equal(s.text[1], "event 'idle' is used by no transition");
    assert_int_equal(s.lines[1], 12);
    assert_int_equal(s.cols[1], 17);
    assert_string_equal(s.text[2], "attribute 'a' is read by no guard");
    assert_string_equal(s.text[3], "guard 'g' is used by no transition");
    assert_int_equal(s.lines[3], 7);
    assert_int_equal(s.cols[3], 11);
    assert_string_equal(s.text[4], "effect 'e' is asked for by no transition");
    assert_true(s.warning[0] && s.warning[4]);
    dosm_def_free(def);
}

/* ------------------------------------------------------------------ */
/* Attribute values                                                   */
/* ------------------------------------------------------------------ */

static void test_attribute_values(void **state)
{
    dosm_def *lab = load_lab();
    (void)state;
    /* integers */
    assert_int_equal(dosm_attribute_check(lab, "units", "+5"), DOSM_OK);
    assert_int_equal(dosm_attribute_check(lab, "units", "-9223372036854775808"), DOSM_OK);
    assert_int_equal(dosm_attribute_check(lab, "units", "9223372036854775807"), DOSM_OK);
    assert_int_equal(dosm_attribute_check(lab, "units", "9223372036854775808"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, "units", "-9223372036854775809"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, "units", "+"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, "units", "-"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, "units", ""), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, "units", "12a"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, "units", "1 "), DOSM_E_ARG);
    /* versions */
    assert_int_equal(dosm_attribute_check(lab, "software_version", "65535.65535.65535.65535"), DOSM_OK);
    assert_int_equal(dosm_attribute_check(lab, "software_version", "0"), DOSM_OK);
    assert_int_equal(dosm_attribute_check(lab, "software_version", "65536"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, "software_version", "1.2.3.4.5"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, "software_version", "1..2"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, "software_version", "1.2."), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, "software_version", "1,2"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, "software_version", "v1"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, "software_version", ""), DOSM_E_ARG);
    /* booleans, enums, strings */
    assert_int_equal(dosm_attribute_check(lab, "rush", "false"), DOSM_OK);
    assert_int_equal(dosm_attribute_check(lab, "rush", "TRUE"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, "scan_type", "full_arch"), DOSM_OK);
    assert_int_equal(dosm_attribute_check(lab, "scan_type", "Quick"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, "site", ""), DOSM_OK);
    /* names and arguments */
    assert_int_equal(dosm_attribute_check(lab, "colour", "red"), DOSM_E_NAME);
    assert_int_equal(dosm_attribute_check(lab, "Units", "1"), DOSM_E_NAME);
    assert_int_equal(dosm_attribute_check(NULL, "units", "1"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, NULL, "1"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(lab, "units", NULL), DOSM_E_ARG);
    dosm_def_free(lab);
}

/* ------------------------------------------------------------------ */
/* Queries with bad arguments                                         */
/* ------------------------------------------------------------------ */

static void test_queries_refuse_bad_arguments(void **state)
{
    dosm_state_info si;
    dosm_transition_info ti;
    int out[4];
    dosm_instance parentless = at("A");
    (void)state;
    assert_int_equal(dosm_state_count(NULL), 0);
    assert_int_equal(dosm_event_count(NULL), 0);
    assert_int_equal(dosm_transition_count(NULL), 0);
    assert_int_equal(dosm_state_find(NULL, "A"), -1);
    assert_int_equal(dosm_state_find(edge, NULL), -1);
    assert_int_equal(dosm_state_find(edge, "alpha"), S("A"));
    assert_int_equal(dosm_event_find(NULL, "e0"), -1);
    assert_int_equal(dosm_event_find(edge, NULL), -1);
    assert_int_equal(dosm_event_find(edge, "E0"), -1);
    assert_null(dosm_event_name(edge, -1));
    assert_null(dosm_event_name(edge, 99));
    assert_null(dosm_event_name(NULL, 0));
    assert_null(dosm_state_id(edge, -1));
    assert_null(dosm_state_id(NULL, 0));
    assert_int_equal(dosm_state_get(edge, 0, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_state_get(NULL, 0, &si), DOSM_E_ARG);
    assert_int_equal(dosm_state_has_tag(edge, 99, "x"), 0);
    assert_int_equal(dosm_state_has_tag(edge, 0, NULL), 0);
    assert_int_equal(dosm_state_has_tag(edge, 0, "x"), 0);
    assert_null(dosm_state_external(edge, 99, "fhir"));
    assert_null(dosm_state_external(edge, 0, NULL));
    assert_null(dosm_state_external(edge, 0, "hl7"));
    assert_string_equal(dosm_state_external(edge, S("H"), "fhir"), "on-hold");
    assert_int_equal(dosm_states_tagged(NULL, "x", out, 4), 0);
    assert_int_equal(dosm_states_tagged(edge, "x", out, 4), 0);
    assert_int_equal(dosm_states_ranked(edge, NULL, 0), 5);
    assert_int_equal(dosm_transition_get(edge, -1, &ti), DOSM_E_ARG);
    assert_int_equal(dosm_transition_get(edge, 15, &ti), DOSM_E_ARG);
    assert_int_equal(dosm_transition_get(edge, 0, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_transition_get(NULL, 0, &ti), DOSM_E_ARG);
    assert_int_equal(dosm_transition_get(edge, 13, &ti), DOSM_OK);
    assert_int_equal(ti.from_count, 0); /* from: any */
    assert_null(ti.guard);
    assert_int_equal(ti.target, S("Z"));
    assert_string_equal(dosm_attention_name(-1), "");
    assert_string_equal(dosm_attention_name(4), "");
    assert_string_equal(dosm_attention_name(DOSM_WHITE), "white");
    assert_string_equal(dosm_code_name(12345), "DOSM_UNKNOWN");
    assert_string_equal(dosm_code_text(-1), "unknown code");
    assert_string_equal(dosm_code_text(DOSM_W_UNUSED), "declared but never used");
    /* Sort keys and rollups of invalid instances. */
    parentless.previous = 200;
    assert_int_equal(dosm_sort_key(edge, &parentless), UINT32_MAX);
    assert_int_equal(dosm_sort_key(NULL, &parentless), UINT32_MAX);
    assert_int_equal(dosm_rollup(edge, &parentless, 1), -1);
    assert_int_equal(dosm_rollup(NULL, &parentless, 1), -1);
    assert_int_equal(dosm_rollup(edge, NULL, 1), -1);
}

/* ------------------------------------------------------------------ */
/* Firing                                                             */
/* ------------------------------------------------------------------ */

static void test_many_candidates_binary_search(void **state)
{
    /* A has 10 candidate transitions, so its slice is binary searched. */
    static const char *const events[] = {"e2", "e3", "e4", "e5", "e6", "e7",
                                         "kick"};
    static const char *const targets[] = {"B", "B", "B", "B", "B", "B", "Z"};
    dosm_pair p[2] = {{"n", "3"}, {"k", "z"}};
    dosm_values attrs = {p, 2, NULL, NULL};
    dosm_outcome out;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof events / sizeof events[0]; i++) {
        dosm_instance inst = at("A");
        dosm_request req = request(events[i], NULL);
        assert_int_equal(dosm_fire(edge, NULL, &inst, &req, &out), DOSM_OK);
        assert_int_equal(inst.state, S(targets[i]));
        assert_string_equal(out.record.event, events[i]);
    }
    {
        dosm_instance inst = at("A");
        dosm_request req = request("e0", &attrs);
        /* n >= 3 holds exactly at 3 */
        assert_int_equal(dosm_fire(edge, NULL, &inst, &req, &out), DOSM_OK);
        assert_int_equal(inst.state, S("B"));
        assert_int_equal(out.transition, 0);
    }
    {
        dosm_instance inst = at("A");
        dosm_request req = request("e1", &attrs);
        /* k is z, not in [x, y] */
        assert_int_equal(dosm_fire(edge, NULL, &inst, &req, &out), DOSM_R_GUARD);
        assert_int_equal(inst.state, S("A"));
        assert_string_equal(out.text, "e1 in A needs k in [x, y]");
    }
    {
        dosm_instance inst = at("A");
        dosm_request req = request("hold", NULL);
        assert_int_equal(dosm_fire(edge, NULL, &inst, &req, &out),
                         DOSM_R_NOT_ALLOWED);
        assert_string_equal(out.text,
                            "hold is not allowed in A: hold applies only in B "
                            "or C");
    }
}

/* 80 states and 80 events with a chain of 89 transitions: a state x event
 * table would cost far more cells than there are candidates, so the
 * compiler leaves it out and fire searches each state's slice; S0's ten
 * candidates take the binary search. Fire must answer exactly as it does
 * with the table. */
static char *sparse_yaml(void)
{
    size_t cap = 16384, n = 0;
    char *y = malloc(cap);
    int i;
    assert_non_null(y);
    n += (size_t)snprintf(y + n, cap - n, "dosm: 1\nname: sparse\ntitle: Sparse\n"
                          "revision: 1\ninitial: S0\nstates:\n");
    for (i = 0; i < 80; i++)
        n += (size_t)snprintf(y + n, cap - n, "  S%d: { label: State %d%s }\n", i,
                              i, i == 79 ? ", final: true" : "");
    n += (size_t)snprintf(y + n, cap - n, "events:\n");
    for (i = 0; i < 80; i++)
        n += (size_t)snprintf(y + n, cap - n, "  go_%d:\n", i);
    n += (size_t)snprintf(y + n, cap - n, "transitions:\n");
    for (i = 0; i < 79; i++)
        n += (size_t)snprintf(y + n, cap - n,
                              "  - { event: go_%d, from: S%d, to: S%d }\n", i,
                              i, i + 1);
    for (i = 70; i < 79; i++) /* S0's further candidates, to S70..S78 */
        n += (size_t)snprintf(y + n, cap - n,
                              "  - { event: go_%d, from: S0, to: S%d }\n", i, i);
    assert_true(n < cap);
    return y;
}

static void test_sparse_definition_searches_candidates(void **state)
{
    char *yaml = sparse_yaml();
    dosm_def *def = load_text(yaml);
    dosm_outcome out;
    dosm_request req;
    dosm_instance inst;
    int i;
    (void)state;
    memset(&req, 0, sizeof req);
    inst = dosm_instance_initial(def);
    for (i = 0; i < 79; i++) { /* the chain, one event per state */
        char event[16];
        snprintf(event, sizeof event, "go_%d", i);
        req.event = event;
        assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_OK);
        assert_int_equal(inst.state, i + 1);
    }
    req.event = "go_0";
    assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_R_FINAL);
    for (i = 70; i < 79; i++) { /* S0's binary-searched slice */
        dosm_instance start = dosm_instance_initial(def);
        assert_int_equal(dosm_fire_index(def, NULL, &start, i, &req, &out),
                         DOSM_OK);
        assert_int_equal(start.state, i);
    }
    inst = dosm_instance_initial(def);
    for (i = 1; i < 70; i++) /* below, between and above S0's events */
        assert_int_equal(dosm_fire_index(def, NULL, &inst, i, &req, &out),
                         DOSM_R_NOT_ALLOWED);
    assert_int_equal(dosm_fire_index(def, NULL, &inst, 79, &req, &out),
                     DOSM_R_NOT_ALLOWED);
    assert_int_equal(inst.state, 0);
    dosm_def_free(def);
    free(yaml);
}

/* Names are hashed eight bytes at a time, with ASCII case folded in the
 * word for state ids and labels: every length around a word boundary, and
 * letters just outside A-Z, must find exactly their own state. */
static void test_names_of_every_length_fold_case(void **state)
{
    static const char yaml[] =
        "dosm: 1\nname: names\ntitle: Names\nrevision: 1\ninitial: S1234567\n"
        "states:\n"
        "  S1234567: { label: L0 }\n"
        "  S12345678: { label: L1, final: true }\n"
        "  S123456789ABCDEF: { label: L2, final: true }\n"
        "  S123456789ABCDEFG: { label: L3, final: true }\n"
        "  A: { label: \"Label @[ 7\", final: true }\n"
        "  B: { label: \"Label `{ 8\", final: true }\n"
        "events:\n  a:\n  b:\n  c:\n  d:\n  e:\n"
        "transitions:\n"
        "  - { event: a, from: S1234567, to: S12345678 }\n"
        "  - { event: b, from: S1234567, to: S123456789ABCDEF }\n"
        "  - { event: c, from: S1234567, to: S123456789ABCDEFG }\n"
        "  - { event: d, from: S1234567, to: A }\n"
        "  - { event: e, from: S1234567, to: B }\n";
    static const char *const forms[][2] = {
        {"S1234567", "s1234567"},       {"S12345678", "s12345678"},
        {"S123456789ABCDEF", "s123456789abcdef"},
        {"S123456789ABCDEFG", "S123456789abcdefg"},
        {"Label @[ 7", "LABEL @[ 7"},  {"Label `{ 8", "label `{ 8"}};
    dosm_def *def = load_text(yaml);
    int i;
    (void)state;
    for (i = 0; i < 6; i++) {
        assert_int_equal(dosm_state_find(def, forms[i][0]), i);
        assert_int_equal(dosm_state_find(def, forms[i][1]), i);
    }
    /* '@' and '[' sit beside 'A' and 'Z', '`' and '{' beside 'a' and 'z':
     * none of them folds (text_casecmp decides these; a hash that folded
     * them would only collide) */
    assert_int_equal(dosm_state_find(def, "Label `[ 7"), -1);
    assert_int_equal(dosm_state_find(def, "Label @{ 8"), -1);
    assert_int_equal(dosm_state_find(def, "S123456789ABCDE"), -1);
    dosm_def_free(def);
}

static void test_event_nothing_takes(void **state)
{
    dosm_instance inst = at("B");
    dosm_request req = request("never", NULL);
    dosm_outcome out;
    (void)state;
    assert_int_equal(dosm_fire(edge, NULL, &inst, &req, &out),
                     DOSM_R_NOT_ALLOWED);
    assert_string_equal(out.text,
                        "never is not allowed in B; no transition takes never");
    assert_int_equal(out.transition, -1);
    assert_int_equal(out.has_deadline, 0);
}

static void test_try_and_fire_argument_checks(void **state)
{
    dosm_instance inst = at("A"), busy = at("A"), bad = at("A");
    dosm_request req = request(NULL, NULL);
    dosm_outcome out;
    (void)state;
    memset(&out, 0x55, sizeof out);
    assert_int_equal(dosm_try(edge, NULL, &inst, &req, &out), DOSM_E_ARG);
    assert_int_equal(out.code, DOSM_E_ARG);
    assert_int_equal(out.transition, -1);
    assert_int_equal(out.has_deadline, 0);
    assert_string_equal(out.text, "the request names no event");
    assert_null(out.record.workflow);
    assert_int_equal(dosm_try(edge, NULL, &inst, NULL, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_fire(edge, NULL, &inst, &req, NULL), DOSM_E_ARG);
    req.event = "e2";
    assert_int_equal(dosm_try(NULL, NULL, &inst, &req, &out), DOSM_E_ARG);
    assert_int_equal(dosm_try(edge, NULL, NULL, &req, &out), DOSM_E_ARG);
    busy.state |= 0x8000u;
    assert_int_equal(dosm_try(edge, NULL, &busy, &req, &out), DOSM_E_REENTRANT);
    bad.state = 77;
    assert_int_equal(dosm_try(edge, NULL, &bad, &req, &out), DOSM_E_STATE);
    assert_int_equal(dosm_fire_index(edge, NULL, &inst, 99, &req, &out),
                     DOSM_R_UNKNOWN_EVENT);
    assert_string_equal(out.text, "'e2' is not an event of workflow edge");
    req.event = NULL;
    assert_int_equal(dosm_fire_index(edge, NULL, &inst, -1, &req, &out),
                     DOSM_R_UNKNOWN_EVENT);
    assert_string_equal(out.text, "'?' is not an event of workflow edge");
    assert_int_equal(inst.state, S("A"));
    assert_int_equal(inst.seq, 0);
}

static void test_payload_on_event_without_fields(void **state)
{
    dosm_pair extra = {"note", "hi"};
    dosm_values with_pair = {&extra, 1, NULL, NULL};
    dosm_values lookup_only = {NULL, 0, NULL, NULL};
    dosm_instance inst = at("A");
    dosm_request req = request("e2", NULL);
    dosm_outcome out;
    (void)state;
    req.payload = &with_pair;
    assert_int_equal(dosm_try(edge, NULL, &inst, &req, &out), DOSM_R_PAYLOAD);
    assert_string_equal(out.text, "e2 carries no field 'note'");
    req.payload = &lookup_only; /* an empty payload is no payload */
    assert_int_equal(dosm_try(edge, NULL, &inst, &req, &out), DOSM_OK);
    assert_int_equal(out.transition, 3);
    assert_string_equal(out.record.to, "B");
    assert_int_equal(out.record.seq, 1);
    assert_int_equal(inst.seq, 0); /* try changes nothing */
}

static void test_choices_shadowed_and_no_history(void **state)
{
    dosm_host *h = dosm_host_new(edge, NULL);
    dosm_instance b = at("B"), hold = at("H");
    dosm_request req = request(NULL, NULL);
    dosm_choice opts[8];
    dosm_instance busy = b;
    size_t n;
    (void)state;
    assert_int_equal(dosm_host_bind_guard(h, "g", always, NULL), DOSM_OK);
    n = dosm_choices(edge, h, &b, &req, opts, 8);
    assert_int_equal(n, 4); /* hop (g), hop, hold, kick */
    assert_int_equal(opts[0].transition, 9);
    assert_int_equal(opts[0].code, DOSM_OK);
    assert_int_equal(opts[0].target, S("C"));
    assert_int_equal(opts[1].transition, 10);
    assert_int_equal(opts[1].code, DOSM_R_GUARD); /* shadowed by the first */
    assert_int_equal(opts[1].target, S("H"));
    assert_int_equal(opts[2].event, dosm_event_find(edge, "hold"));
    assert_int_equal(opts[2].code, DOSM_OK);
    assert_int_equal(opts[3].event, dosm_event_find(edge, "kick"));
    /* Without the host, g is false and the otherwise is taken. */
    n = dosm_choices(edge, NULL, &b, &req, opts, 2);
    assert_int_equal(n, 4);
    assert_int_equal(opts[0].code, DOSM_R_GUARD);
    assert_int_equal(opts[1].code, DOSM_OK);
    /* H with no previous: back leads nowhere. */
    n = dosm_choices(edge, NULL, &hold, NULL, opts, 8);
    assert_int_equal(n, 2);
    assert_int_equal(opts[0].event, dosm_event_find(edge, "back"));
    assert_int_equal(opts[0].target, (int)DOSM_NO_STATE);
    assert_int_equal(opts[0].code, DOSM_R_NO_HISTORY);
    assert_int_equal(opts[1].code, DOSM_OK);
    /* Invalid instances list nothing. */
    busy.state |= 0x8000u;
    assert_int_equal(dosm_choices(edge, NULL, &busy, NULL, opts, 8), 0);
    busy.state = 99;
    assert_int_equal(dosm_choices(edge, NULL, &busy, NULL, opts, 8), 0);
    assert_int_equal(dosm_choices(NULL, NULL, &b, NULL, opts, 8), 0);
    assert_int_equal(dosm_choices(edge, NULL, NULL, NULL, opts, 8), 0);
    assert_int_equal(dosm_choices(edge, NULL, &b, NULL, NULL, 0), 4);
    dosm_host_free(h);
}

/* ------------------------------------------------------------------ */
/* Hosts                                                              */
/* ------------------------------------------------------------------ */

static void note(const dosm_callback_info *info, void *user)
{
    (void)info; (void)user;
}

static void test_host_argument_checks(void **state)
{
    dosm_host *h = dosm_host_new(edge, NULL);
    dosm_error err;
    (void)state;
    assert_null(dosm_host_new(NULL, NULL));
    assert_non_null(h);
    assert_int_equal(dosm_host_on(NULL, DOSM_ON_ENTER, note, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_host_on(h, (dosm_hook)4, note, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_host_on(h, (dosm_hook)-1, note, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_host_bind_effect(NULL, "fx", note, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_host_bind_effect(h, NULL, note, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_host_bind_effect(h, "g", note, NULL), DOSM_E_NAME);
    assert_int_equal(dosm_host_bind_guard(NULL, "g", always, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_host_bind_guard(h, NULL, always, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_host_bind_guard(h, "fx", always, NULL), DOSM_E_NAME);
    assert_int_equal(dosm_host_check(NULL, &err), DOSM_E_ARG);
    /* Effects are reported before guards. */
    assert_int_equal(dosm_host_check(h, &err), DOSM_E_UNBOUND);
    assert_string_equal(err.text, "effect 'fx' of workflow edge has no callback");
    assert_int_equal(dosm_host_bind_effect(h, "fx", note, NULL), DOSM_OK);
    assert_int_equal(dosm_host_check(h, &err), DOSM_E_UNBOUND);
    assert_string_equal(err.text, "guard 'g' of workflow edge has no callback");
    assert_int_equal(dosm_host_bind_guard(h, "g", always, NULL), DOSM_OK);
    assert_int_equal(dosm_host_check(h, NULL), DOSM_OK);
    dosm_host_free(h);
    dosm_host_free(NULL);
}

/* ------------------------------------------------------------------ */
/* Paths and reconciliation                                           */
/* ------------------------------------------------------------------ */

static void test_reconcile_host_changes_its_mind(void **state)
{
    /* The search sees g hold (B -> C by hop); when the step is fired g says
     * no and hop would go to H instead: the step is refused and the order
     * stays in B. */
    dosm_host *h = dosm_host_new(edge, NULL);
    dosm_instance inst = at("B");
    dosm_request req = request(NULL, NULL);
    dosm_outcome out;
    int calls = 0;
    (void)state;
    assert_int_equal(dosm_host_bind_guard(h, "g", once, &calls), DOSM_OK);
    memset(&out, 0x55, sizeof out);
    assert_int_equal(dosm_reconcile(edge, h, &inst, "C", &req, &out),
                     DOSM_R_GUARD);
    assert_int_equal(out.code, DOSM_R_GUARD);
    assert_int_equal(out.transition, -1);
    assert_int_equal(out.has_deadline, 0);
    assert_string_equal(out.text, "hop in B now leads to H, not C: the "
                                  "host's guards changed while reconciling");
    assert_int_equal(inst.state, S("B"));
    assert_int_equal(inst.seq, 0);
    assert_int_equal(calls, 3); /* search; then g, and not g at fire time */
    dosm_host_free(h);
}

static void test_path_and_reconcile_argument_checks(void **state)
{
    dosm_instance inst = at("A"), busy = at("A"), bad = at("A");
    dosm_step steps[4];
    size_t len = 99;
    dosm_outcome out;
    (void)state;
    busy.state |= 0x8000u;
    bad.previous = 300;
    assert_int_equal(dosm_path(NULL, NULL, &inst, S("B"), NULL, steps, 4, &len, &out), DOSM_E_ARG);
    assert_int_equal(dosm_path(edge, NULL, NULL, S("B"), NULL, steps, 4, &len, &out), DOSM_E_ARG);
    assert_int_equal(dosm_path(edge, NULL, &busy, S("B"), NULL, steps, 4, &len, &out), DOSM_E_REENTRANT);
    assert_int_equal(dosm_path(edge, NULL, &bad, S("B"), NULL, steps, 4, &len, NULL), DOSM_E_STATE);
    assert_int_equal(dosm_path(edge, NULL, &inst, S("B"), NULL, steps, 4, NULL, &out), DOSM_E_ARG);
    assert_int_equal(dosm_path(edge, NULL, &inst, -1, NULL, steps, 4, &len, &out), DOSM_E_ARG);
    assert_int_equal(dosm_path(edge, NULL, &inst, 5, NULL, steps, 4, &len, &out), DOSM_E_ARG);
    assert_int_equal(dosm_path(edge, NULL, &inst, S("B"), NULL, NULL, 4, &len, &out), DOSM_E_ARG);
    assert_int_equal(len, 0); /* every failure but DOSM_E_BUFFER: 0 */
    /* capacity 0 with no buffer asks for the length only */
    assert_int_equal(dosm_path(edge, NULL, &inst, S("Z"), NULL, NULL, 0, &len, &out), DOSM_E_BUFFER);
    assert_int_equal(len, 1);
    assert_int_equal(dosm_path(edge, NULL, &inst, S("A"), NULL, steps, 4, &len, &out), DOSM_OK);
    assert_int_equal(len, 0);
    /* without attributes e0's guards read nothing: e2 is the way */
    assert_int_equal(dosm_path(edge, NULL, &inst, S("C"), NULL, steps, 4, &len, &out), DOSM_R_NO_PATH);
    assert_string_equal(out.text, "A cannot become C: the order's attributes or the guards block every path");
    assert_int_equal(dosm_reconcile(NULL, NULL, &inst, "B", NULL, &out), DOSM_E_ARG);
    assert_int_equal(dosm_reconcile(edge, NULL, NULL, "B", NULL, &out), DOSM_E_ARG);
    assert_int_equal(dosm_reconcile(edge, NULL, &busy, "B", NULL, &out), DOSM_E_REENTRANT);
    assert_int_equal(dosm_reconcile(edge, NULL, &bad, "B", NULL, NULL), DOSM_E_STATE);
    assert_int_equal(dosm_reconcile(edge, NULL, &inst, NULL, NULL, &out), DOSM_E_NAME);
    assert_string_equal(out.text, "'' is not a state of workflow edge");
    assert_int_equal(dosm_reconcile(edge, NULL, &inst, "Alpha", NULL, &out), DOSM_OK);
    assert_int_equal(inst.seq, 0);
    assert_int_equal(dosm_reconcile(edge, NULL, &inst, "b", NULL, NULL), DOSM_OK);
    assert_int_equal(inst.state, S("B"));
    assert_int_equal(inst.seq, 1);
}

/* ------------------------------------------------------------------ */
/* Snapshots and restore                                              */
/* ------------------------------------------------------------------ */

static void test_encode_limits(void **state)
{
    dosm_instance inst = at("B"), busy = at("B");
    char buf[DOSM_SNAPSHOT_MAX], tiny[8] = "xxxxxxx";
    (void)state;
    inst.previous = (int16_t)S("A");
    inst.seq = 4294967295u;
    assert_int_equal(dosm_encode(edge, &inst, buf, sizeof buf), DOSM_OK);
    assert_int_equal(strlen(buf), strlen("edge@2.12345678:B<A#4294967295"));
    assert_int_equal(dosm_encode(edge, &inst, tiny, sizeof tiny), DOSM_E_BUFFER);
    assert_string_equal(tiny, "");
    assert_int_equal(dosm_encode(edge, &inst, buf, strlen(buf)), DOSM_E_BUFFER);
    assert_int_equal(dosm_encode(NULL, &inst, buf, sizeof buf), DOSM_E_ARG);
    assert_int_equal(dosm_encode(edge, NULL, buf, sizeof buf), DOSM_E_ARG);
    assert_int_equal(dosm_encode(edge, &inst, NULL, sizeof buf), DOSM_E_ARG);
    assert_int_equal(dosm_encode(edge, &inst, buf, 0), DOSM_E_ARG);
    busy.state |= 0x8000u;
    assert_int_equal(dosm_encode(edge, &busy, buf, sizeof buf), DOSM_E_REENTRANT);
    assert_string_equal(buf, "");
}

static void test_decode_edges(void **state)
{
    dosm_instance inst = at("B"), got;
    dosm_error err;
    char good[DOSM_SNAPSHOT_MAX], text[DOSM_SNAPSHOT_MAX * 2];
    const char *hash;
    char id65[66];
    (void)state;
    inst.previous = (int16_t)S("A");
    inst.seq = 7;
    assert_int_equal(dosm_encode(edge, &inst, good, sizeof good), DOSM_OK);
    hash = strchr(good, '.') + 1; /* "xxxxxxxx:B<A#7" */
    memset(&got, 0, sizeof got);
    assert_int_equal(dosm_decode(edge, good, &got, &err), DOSM_OK);
    assert_int_equal(got.state, S("B"));
    assert_int_equal(got.previous, S("A"));
    assert_int_equal(got.seq, 7);
    assert_int_equal(err.code, DOSM_OK);
    assert_int_equal(dosm_decode(edge, good, &got, NULL), DOSM_OK);

    /* A newer revision. */
    snprintf(text, sizeof text, "edge@3.%s", hash);
    assert_int_equal(dosm_decode(edge, text, &got, &err), DOSM_E_REVISION);
    assert_string_equal(err.text, "the snapshot is of revision 3 of edge, newer than this definition (2)");
    /* An older revision decodes old names; the hash is not checked. */
    assert_int_equal(dosm_decode(edge, "edge@1.00000000:OLD_B<A#3", &got, &err), DOSM_OK);
    assert_int_equal(got.state, S("B"));
    assert_int_equal(got.seq, 3);
    assert_int_equal(dosm_decode(edge, "edge@1.00000000:A<OLD_B#3", &got, &err), DOSM_OK);
    assert_int_equal(got.previous, S("B"));
    /* but not in the current revision */
    snprintf(text, sizeof text, "edge@2.%.8s:OLD_B#3", hash);
    assert_int_equal(dosm_decode(edge, text, &got, &err), DOSM_E_NAME);
    assert_string_equal(err.text, "the snapshot names a state that edge@2 does not have");
    snprintf(text, sizeof text, "edge@2.%.8s:B<NOPE#3", hash);
    assert_int_equal(dosm_decode(edge, text, &got, &err), DOSM_E_NAME);
    /* An id longer than any id can be. */
    memset(id65, 'Q', 65);
    id65[65] = '\0';
    snprintf(text, sizeof text, "edge@2.%.8s:%s#3", hash, id65);
    assert_int_equal(dosm_decode(edge, text, &got, &err), DOSM_E_NAME);
    /* Malformed: empty previous, eleven-digit or too large numbers, upper
     * case hex, trailing text. */
    snprintf(text, sizeof text, "edge@2.%.8s:B<#3", hash);
    assert_int_equal(dosm_decode(edge, text, &got, &err), DOSM_E_SNAPSHOT);
    assert_string_equal(err.text, "malformed snapshot at character 19: expected NAME@REVISION.HASH:STATE#SEQ");
    snprintf(text, sizeof text, "edge@2.%.8s:B#12345678901", hash);
    assert_int_equal(dosm_decode(edge, text, &got, &err), DOSM_E_SNAPSHOT);
    snprintf(text, sizeof text, "edge@2.%.8s:B#4294967296", hash);
    assert_int_equal(dosm_decode(edge, text, &got, &err), DOSM_E_SNAPSHOT);
    snprintf(text, sizeof text, "edge@2.%.8s:B#4294967295", hash);
    assert_int_equal(dosm_decode(edge, text, &got, &err), DOSM_OK);
    assert_int_equal(got.seq, 4294967295u);
    assert_int_equal(dosm_decode(edge, "edge@2.ABCDEF01:B#1", &got, &err), DOSM_E_SNAPSHOT);
    assert_string_equal(err.text, "malformed snapshot at character 8: expected NAME@REVISION.HASH:STATE#SEQ");
    /* nine hex digits, and an eleven-digit revision: at the hash, at
     * the revision */
    snprintf(text, sizeof text, "edge@2.%.8sa:B#1", hash);
    assert_int_equal(dosm_decode(edge, text, &got, &err), DOSM_E_SNAPSHOT);
    assert_string_equal(err.text, "malformed snapshot at character 8: expected NAME@REVISION.HASH:STATE#SEQ");
    snprintf(text, sizeof text, "edge@20000000000.%.8s:B#1", hash);
    assert_int_equal(dosm_decode(edge, text, &got, &err), DOSM_E_SNAPSHOT);
    assert_string_equal(err.text, "malformed snapshot at character 6: expected NAME@REVISION.HASH:STATE#SEQ");
    snprintf(text, sizeof text, "edge@2.%.8s:B#1 ", hash);
    assert_int_equal(dosm_decode(edge, text, &got, &err), DOSM_E_SNAPSHOT);
    snprintf(text, sizeof text, "edge@2.%.8s;B#1", hash);
    assert_int_equal(dosm_decode(edge, text, &got, &err), DOSM_E_SNAPSHOT);
    assert_int_equal(dosm_decode(edge, "edge@2:B#1", &got, &err), DOSM_E_SNAPSHOT);
    assert_int_equal(dosm_decode(edge, "edge@.12345678:B#1", &got, &err), DOSM_E_SNAPSHOT);
    assert_int_equal(dosm_decode(edge, "@2.12345678:B#1", &got, &err), DOSM_E_SNAPSHOT);
    assert_int_equal(dosm_decode(edge, "edge", &got, &err), DOSM_E_SNAPSHOT);
    assert_int_equal(dosm_decode(edge, "edg@2.12345678:B#1", &got, &err), DOSM_E_WORKFLOW);
    assert_string_equal(err.text, "the snapshot is of another workflow, not edge");
    assert_int_equal(dosm_decode(edge, "edges@2.12345678:B#1", &got, &err), DOSM_E_WORKFLOW);
    /* the workflow's name, then a character no name has */
    assert_int_equal(dosm_decode(edge, "edge_x@2.12345678:B#1", &got, &err), DOSM_E_SNAPSHOT);
    assert_string_equal(err.text, "malformed snapshot at character 1: expected NAME@REVISION.HASH:STATE#SEQ");
    assert_int_equal(dosm_decode(edge, "Edge@2.12345678:B#1", &got, &err), DOSM_E_SNAPSHOT);
    assert_int_equal(dosm_decode(NULL, good, &got, &err), DOSM_E_ARG);
    assert_int_equal(dosm_decode(edge, NULL, &got, &err), DOSM_E_ARG);
    assert_int_equal(dosm_decode(edge, good, NULL, &err), DOSM_E_ARG);
    assert_int_equal(dosm_decode(edge, good, &got, NULL), DOSM_OK);
    /* failures left the instance as it was */
    assert_int_equal(got.state, S("B"));
    assert_int_equal(got.seq, 7);
}

static void test_restart_argument_checks(void **state)
{
    dosm_instance inst = at("A"), busy = at("A"), bad = at("A");
    dosm_outcome out;
    (void)state;
    busy.state |= 0x8000u;
    bad.state = 4000;
    assert_int_equal(dosm_restart(NULL, &inst, 0, &out), DOSM_E_ARG);
    assert_int_equal(out.code, DOSM_E_ARG);
    assert_int_equal(dosm_restart(edge, NULL, 0, NULL), DOSM_E_ARG);
    assert_int_equal(dosm_restart(edge, &busy, 0, &out), DOSM_E_REENTRANT);
    assert_int_equal(dosm_restart(edge, &bad, 0, &out), DOSM_E_STATE);
    assert_int_equal(dosm_restart(edge, &inst, 0, &out), DOSM_R_NOT_ALLOWED);
    assert_string_equal(out.text,
                        "A is not transient: a restart leaves the order where "
                        "it is");
    assert_int_equal(dosm_restart(edge, &inst, 0, NULL), DOSM_R_NOT_ALLOWED);
    assert_int_equal(inst.state, S("A"));
    assert_int_equal(inst.seq, 0);
}

/* ------------------------------------------------------------------ */
/* Replaying histories                                                */
/* ------------------------------------------------------------------ */

static dosm_record rec(uint32_t revision, uint32_t seq, const char *from,
                       const char *event, const char *to)
{
    dosm_record r;
    memset(&r, 0, sizeof r);
    r.workflow = "edge";
    r.revision = revision;
    r.seq = seq;
    r.from = from;
    r.event = event;
    r.to = to;
    return r;
}

static void replay_fails(const dosm_record *r, size_t count, size_t want_bad,
                         const char *text)
{
    dosm_instance out = at("C");
    dosm_error err;
    size_t bad = 99;
    assert_int_equal(dosm_replay(edge, NULL, r, count, &out, &bad, &err),
                     DOSM_E_HISTORY);
    assert_int_equal(bad, want_bad);
    assert_int_equal(err.code, DOSM_E_HISTORY);
    assert_string_equal(err.text, text);
    assert_int_equal(out.state, S("C")); /* untouched */
}

static void test_replay_edges(void **state)
{
    dosm_record r[3];
    dosm_instance out, start = at("H");
    dosm_error err;
    size_t bad = 99;
    (void)state;
    /* An older revision's record may name renamed states. */
    r[0] = rec(1, 1, "A", "e2", "OLD_B");
    r[1] = rec(2, 2, "B", "hold", "H");
    r[2] = rec(2, 3, "H", "back", "B");
    assert_int_equal(dosm_replay(edge, NULL, r, 3, &out, &bad, &err), DOSM_OK);
    assert_int_equal(out.state, S("B"));
    assert_int_equal(out.previous, S("H"));
    assert_int_equal(out.seq, 3);
    assert_int_equal(err.code, DOSM_OK);
    assert_int_equal(bad, 99);
    assert_int_equal(dosm_replay(edge, NULL, r, 3, &out, NULL, NULL), DOSM_OK);
    /* back to previous needs the previous the log left */
    r[0] = rec(2, 1, "A", "e2", "B");
    r[1] = rec(2, 2, "B", "hold", "H");
    r[2] = rec(2, 3, "H", "back", "C");
    replay_fails(r, 3, 2, "record seq 3 (H --back--> C) is not a transition of the workflow");
    r[0] = rec(3, 1, "A", "e2", "B");
    replay_fails(r, 1, 0, "record seq 1 (A --e2--> B) is of a newer revision");
    r[0] = rec(2, 1, "A", "nope", "B");
    replay_fails(r, 1, 0, "record seq 1 (A --nope--> B) is not a transition of the workflow");
    r[0] = rec(2, 1, "A", NULL, "B");
    replay_fails(r, 1, 0, "record seq 1 (A --?--> B) is not a transition of the workflow");
    r[0] = rec(2, 1, "A", "e2", "Q");
    replay_fails(r, 1, 0, "record seq 1 (A --e2--> Q) leads to an unknown state");
    r[0] = rec(2, 1, "A", "e2", NULL);
    replay_fails(r, 1, 0, "record seq 1 (A --e2--> ?) leads to an unknown state");
    r[0] = rec(2, 1, NULL, "e2", "B");
    replay_fails(r, 1, 0, "record seq 1 (? --e2--> B) does not start where the previous step left the order");
    r[0] = rec(2, 1, "A", "e2", "B");
    r[0].workflow = NULL;
    replay_fails(r, 1, 0, "record seq 1 (A --e2--> B) is of another workflow");
    r[0] = rec(2, 1, "A", "e2", "OLD_B"); /* old names only in old records */
    replay_fails(r, 1, 0, "record seq 1 (A --e2--> OLD_B) leads to an unknown state");
    r[0] = rec(2, 1, "A", "dosm.restart", "B"); /* A is not transient */
    replay_fails(r, 1, 0, "record seq 1 (A --dosm.restart--> B) is not a transition of the workflow");
    /* Arguments. */
    assert_int_equal(dosm_replay(edge, NULL, NULL, 1, &out, &bad, &err), DOSM_E_ARG);
    assert_int_equal(dosm_replay(edge, NULL, r, 0, NULL, &bad, &err), DOSM_E_ARG);
    assert_int_equal(dosm_replay(NULL, NULL, r, 0, &out, &bad, &err), DOSM_E_ARG);
    start.state |= 0x8000u;
    assert_int_equal(dosm_replay(edge, &start, r, 0, &out, &bad, &err), DOSM_E_ARG);
    start = at("H");
    start.previous = 999;
    assert_int_equal(dosm_replay(edge, &start, r, 0, &out, &bad, &err), DOSM_E_ARG);
    assert_string_equal(err.text, "dosm_replay needs a definition, records and a valid start");
    start = at("H");
    assert_int_equal(dosm_replay(edge, &start, NULL, 0, &out, &bad, &err), DOSM_OK);
    assert_int_equal(out.state, S("H"));
}

/* Fires e7 (effect fx), hold and back from A, keeping the records: they
 * point at the definition's own strings. */
static void own_records(dosm_record *r)
{
    static const char *const events[] = {"e7", "hold", "back"};
    dosm_instance inst = at("A");
    dosm_request req;
    dosm_outcome out;
    int i;
    memset(&req, 0, sizeof req);
    for (i = 0; i < 3; i++) {
        req.event = events[i];
        assert_int_equal(dosm_fire(edge, NULL, &inst, &req, &out), DOSM_OK);
        r[i] = out.record;
    }
}

/* Records of the definition's own strings and records of copies of them
 * replay alike, and are refused alike, with the same sentences. */
static void test_replay_own_and_copied_strings(void **state)
{
    dosm_record r[3], copy[3];
    char text[3][4][32];
    const char *fx = "fx", *other_fx[1];
    dosm_instance out;
    dosm_error err;
    size_t bad = 99;
    int i;
    (void)state;
    own_records(r);
    assert_ptr_equal(r[0].to, dosm_state_id(edge, S("B")));
    for (i = 0; i < 3; i++) {
        copy[i] = r[i];
        copy[i].workflow = strcpy(text[i][0], r[i].workflow);
        copy[i].from = strcpy(text[i][1], r[i].from);
        copy[i].event = strcpy(text[i][2], r[i].event);
        copy[i].to = strcpy(text[i][3], r[i].to);
    }
    copy[0].effects = &fx;
    assert_int_equal(dosm_replay(edge, NULL, r, 3, &out, &bad, &err), DOSM_OK);
    assert_int_equal(out.state, S("B"));
    assert_int_equal(out.previous, S("H"));
    assert_int_equal(out.seq, 3);
    assert_int_equal(dosm_replay(edge, NULL, copy, 3, &out, &bad, &err), DOSM_OK);
    assert_int_equal(out.state, S("B"));
    assert_int_equal(out.previous, S("H"));
    /* the definition's own ids, but not the step's */
    r[2].to = dosm_state_id(edge, S("C"));
    replay_fails(r, 3, 2, "record seq 3 (H --back--> C) is not a transition of the workflow");
    own_records(r);
    r[1].from = dosm_state_id(edge, S("C"));
    replay_fails(r, 3, 1, "record seq 2 (C --hold--> H) does not start where the previous step left the order");
    own_records(r);
    r[0].event = dosm_event_name(edge, dosm_event_find(edge, "e6"));
    replay_fails(r, 3, 0, "record seq 1 (A --e6--> B) asks for other effects than its transition does");
    own_records(r);
    r[0].effect_count = 0;
    replay_fails(r, 3, 0, "record seq 1 (A --e7--> B) asks for other effects than its transition does");
    own_records(r);
    other_fx[0] = "fy";
    r[0].effects = other_fx;
    replay_fails(r, 3, 0, "record seq 1 (A --e7--> B) asks for other effects than its transition does");
    own_records(r);
    r[1].seq = 5;
    replay_fails(r, 3, 1, "record seq 5 (B --hold--> H) breaks the sequence");
    /* an older revision's record: effects are not compared */
    own_records(r);
    r[0].revision = 1;
    r[0].effect_count = 0;
    assert_int_equal(dosm_replay(edge, NULL, r, 3, &out, &bad, &err), DOSM_OK);
    /* own strings mixed with copies */
    own_records(r);
    r[1].to = copy[1].to;
    r[2].event = copy[2].event;
    assert_int_equal(dosm_replay(edge, NULL, r, 3, &out, &bad, &err), DOSM_OK);
    assert_int_equal(out.state, S("B"));
}

/* ------------------------------------------------------------------ */
/* Regressions: library bugs these tests found, now fixed              */
/* ------------------------------------------------------------------ */

/* An attribute, guard or effect whose name is not lower_snake_case must be
 * reported as DOSM_D_IDENT at its key, like a bad event or state id, and a
 * key that is not text as DOSM_D_TYPE. (It once crashed: the loader left
 * such names NULL for the name index to hash.) */
static const struct bad_name {
    const char *decl;
    int code;
    unsigned line, col;
} bad_names[] = {
    {"attributes: { Bad: { type: integer } }", DOSM_D_IDENT, 6, 15},
    {"guards: { Nope: fine }", DOSM_D_IDENT, 6, 11},
    {"effects: { Nope: fine }", DOSM_D_IDENT, 6, 12},
    {"attributes: { [a]: { type: integer } }", DOSM_D_TYPE, 6, 15},
};

static int load_bad_name(const void *arg)
{
    const struct bad_name *c = arg;
    char yaml[1024];
    dosm_def *def = NULL;
    dosm_error err;
    seen s;
    int rc;
    snprintf(yaml, sizeof yaml,
             "dosm: 1\nname: t\ntitle: T\nrevision: 1\ninitial: A\n%s\n"
             "states:\n"
             "  A: { label: A, external: { fhir: requested } }\n"
             "  B: { label: B, final: true, external: { fhir: completed } }\n"
             "events: { go: }\n"
             "transitions: [ { event: go, from: A, to: B } ]\n",
             c->decl);
    rc = load_seen(yaml, &def, &s, &err);
    if (def != NULL) {
        dosm_def_free(def);
        return 1;
    }
    return rc == c->code && s.n >= 1 && s.codes[0] == c->code &&
                   err.line == c->line && err.column == c->col
               ? 0
               : 1;
}

static void test_bug_bad_declared_names_are_reported(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        if (load_bad_name(&bad_names[i]) != 0)
            fail_msg("'%s': wrong finding", bad_names[i].decl);
    }
}

/* Fails each allocation of one load in turn; returns SWEEP_* flags. */
static int sweep_one(const void *arg)
{
    const char *yaml = arg;
    int problems;
    sweep_allocations(yaml, strlen(yaml), &problems);
    return problems;
}

/* Arenas allocate in chunks, so which line of the library meets a failed
 * allocation depends on how full the current chunk is. Padding the
 * description moves every later allocation along, so that across the
 * paddings a failure lands in every part of the loader and compiler. Each
 * failure must end in DOSM_E_NOMEM with nothing leaked.
 * Found: (1) a failure in compiler_build (build_event_lists and the other
 * table builders return DOSM_E_NOMEM without reporting it to the sink) makes
 * dosm_load return DOSM_OK with a half-built definition; (2) a failure
 * copying an attribute, guard or effect name leaves a NULL name that
 * names_build then dereferences. */
#ifdef DOSM_ARENA_CHECKED
#define ARENA_CHUNKS 0
#else
#define ARENA_CHUNKS 1
#endif

static void test_bug_allocation_failure_at_every_alignment(void **state)
{
    char *lab = read_file(LAB_PATH, NULL);
    size_t pad, lab_len;
    int bad = 0;
    (void)state;
    assert_non_null(lab);
    lab_len = strlen(lab);
    /* Checked arenas have no chunks to align against: one sweep does. */
    for (pad = 0; pad < 4096; pad += ARENA_CHUNKS ? 24 : 4096) {
        size_t cap = lab_len + pad + 64;
        char *yaml = malloc(cap);
        int len, found;
        assert_non_null(yaml);
        len = snprintf(yaml, cap, "%sdescription: \"%*s\"\n", lab, (int)pad,
                       "");
        assert_true(len > 0 && (size_t)len < cap);
        found = sweep_one(yaml);
        if (found) {
            print_message("padding %u: %s%s%s%s\n", (unsigned)pad,
                          found >= 128 ? "crashed " : "",
                          found < 128 && (found & SWEEP_SUCCEEDED_ANYWAY)
                              ? "succeeded after a failed allocation "
                              : "",
                          found < 128 && (found & SWEEP_LEAK) ? "leaked " : "",
                          found < 128 && (found & SWEEP_WRONG_CODE)
                              ? "wrong code"
                              : "");
            bad++;
        }
        free(yaml);
    }
    free(lab);
    assert_int_equal(bad, 0);
}

/* A state that several transitions of the event leave from is named once:
 * hop has two transitions, both from B. */
static void test_bug_where_an_event_applies_names_each_state_once(void **state)
{
    dosm_instance inst = at("A");
    dosm_request req = request("hop", NULL);
    dosm_outcome out;
    (void)state;
    assert_int_equal(dosm_fire(edge, NULL, &inst, &req, &out),
                     DOSM_R_NOT_ALLOWED);
    assert_string_equal(out.text, "hop is not allowed in A: hop applies only in B");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_options_defaults_and_clamp),
        cmocka_unit_test(test_states_clamped_to_instance_range),
        cmocka_unit_test(test_candidate_limit),
        cmocka_unit_test(test_warnings_do_not_fail),
        cmocka_unit_test(test_attribute_values),
        cmocka_unit_test(test_queries_refuse_bad_arguments),
        cmocka_unit_test(test_many_candidates_binary_search),
        cmocka_unit_test(test_sparse_definition_searches_candidates),
        cmocka_unit_test(test_names_of_every_length_fold_case),
        cmocka_unit_test(test_event_nothing_takes),
        cmocka_unit_test(test_try_and_fire_argument_checks),
        cmocka_unit_test(test_payload_on_event_without_fields),
        cmocka_unit_test(test_choices_shadowed_and_no_history),
        cmocka_unit_test(test_host_argument_checks),
        cmocka_unit_test(test_reconcile_host_changes_its_mind),
        cmocka_unit_test(test_path_and_reconcile_argument_checks),
        cmocka_unit_test(test_encode_limits),
        cmocka_unit_test(test_decode_edges),
        cmocka_unit_test(test_restart_argument_checks),
        cmocka_unit_test(test_replay_edges),
        cmocka_unit_test(test_replay_own_and_copied_strings),
        cmocka_unit_test(test_bug_where_an_event_applies_names_each_state_once),
        cmocka_unit_test(test_bug_bad_declared_names_are_reported),
        cmocka_unit_test(test_bug_allocation_failure_at_every_alignment),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
