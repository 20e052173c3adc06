/* Firing events: transitions, parents, guards of each type, payloads,
 * timers, callbacks and their order, re-entrancy, rejections and their
 * sentences, and the queries that do not fire. */
#include "support.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static dosm_def *def;

static int setup(void **state)
{
    (void)state;
    def = load_lab();
    return def ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dosm_def_free(def);
    return 0;
}

static int S(const char *id)
{
    int s = dosm_state_find(def, id);
    if (s < 0)
        fail_msg("no state %s", id);
    return s;
}

static dosm_instance at(const char *id)
{
    dosm_instance inst = dosm_instance_initial(def);
    inst.state = (uint16_t)S(id);
    return inst;
}

/* Fires `event` with attributes given as "name=value" strings. */
static int fire_with(const dosm_host *h, dosm_instance *inst, const char *event,
                     dosm_outcome *out, int n, ...)
{
    dosm_pair pairs[8];
    char buf[8][64];
    dosm_values attrs;
    dosm_request req;
    va_list ap;
    int i;
    va_start(ap, n);
    for (i = 0; i < n; i++) {
        char *eq;
        snprintf(buf[i], sizeof buf[i], "%s", va_arg(ap, const char *));
        eq = strchr(buf[i], '=');
        *eq = '\0';
        pairs[i].name = buf[i];
        pairs[i].value = eq + 1;
    }
    va_end(ap);
    memset(&attrs, 0, sizeof attrs);
    attrs.pairs = pairs;
    attrs.count = (size_t)n;
    memset(&req, 0, sizeof req);
    req.event = event;
    req.attributes = &attrs;
    req.now = 1000;
    return dosm_fire(def, h, inst, &req, out);
}

#define FIRE(inst, ev, ...) fire_with(NULL, inst, ev, &out, __VA_ARGS__)

static void test_definition_reads_back(void **state)
{
    dosm_state_info si;
    dosm_transition_info ti;
    int order[16];
    const char *expect[] = {"OPTIMIZING", "DESIGN", "MILLING", "UPLOADING",
                            "ON_HOLD", "MIXED", "REVIEW", "SCANNING",
                            "NEW", "SHIPPED", "CANCELLED"};
    size_t i, n;
    (void)state;
    assert_string_equal(dosm_def_name(def), "lab");
    assert_string_equal(dosm_def_title(def), "Test lab");
    assert_int_equal(dosm_def_revision(def), 3);
    assert_int_equal(dosm_state_count(def), 12);
    assert_int_equal(dosm_event_count(def), 12);
    assert_int_equal(dosm_transition_count(def), 15);
    assert_int_equal(dosm_state_find(def, "in REVIEW"), S("REVIEW"));
    assert_int_equal(dosm_state_find(def, "review"), S("REVIEW"));
    assert_int_equal(dosm_state_find(def, "Reviewing"), -1);
    assert_int_equal(dosm_state_get(def, S("MILLING"), &si), DOSM_OK);
    assert_string_equal(si.label, "Milling");
    assert_int_equal(si.parent, S("PRODUCTION"));
    assert_int_equal(si.timeout, 7 * 86400);
    assert_string_equal(dosm_event_name(def, si.timeout_event), "overdue");
    assert_int_equal(dosm_state_get(def, S("UPLOADING"), &si), DOSM_OK);
    assert_int_equal(si.fallback, S("MILLING"));
    assert_int_equal(dosm_state_get(def, S("PRODUCTION"), &si), DOSM_OK);
    assert_int_equal(si.is_parent, 1);
    assert_int_equal(dosm_state_get(def, S("REVIEW"), &si), DOSM_OK);
    assert_int_equal(si.attention, DOSM_RED);
    assert_int_equal(si.rank, 1);
    assert_int_equal(si.tag_count, 2);
    assert_string_equal(si.tags[1], "notify");
    assert_string_equal(dosm_state_external(def, S("ON_HOLD"), "fhir"), "on-hold");
    assert_null(dosm_state_external(def, S("PRODUCTION"), "fhir"));
    assert_int_equal(dosm_state_get(def, 99, &si), DOSM_E_ARG);
    n = dosm_states_ranked(def, order, 16);
    assert_int_equal(n, 11);
    for (i = 0; i < n; i++)
        assert_string_equal(dosm_state_id(def, order[i]), expect[i]);
    n = dosm_states_tagged(def, "get_orders", order, 1);
    assert_int_equal(n, 2); /* counts all, writes what fits */
    assert_int_equal(order[0], S("REVIEW"));
    assert_int_equal(dosm_transition_get(def, 9, &ti), DOSM_OK);
    assert_string_equal(dosm_event_name(def, ti.event), "hold");
    assert_int_equal(ti.from_count, 3);
    assert_int_equal(ti.from[2], S("PRODUCTION"));
    assert_int_equal(ti.line, 57);
    assert_int_equal(dosm_transition_get(def, 10, &ti), DOSM_OK);
    assert_int_equal(ti.target, -1);
    assert_string_equal(ti.effects[0], "reset_due_date");
}

static void test_simple_fire(void **state)
{
    dosm_instance inst = dosm_instance_initial(def);
    dosm_outcome out;
    (void)state;
    assert_int_equal(sizeof inst, 8);
    assert_int_equal(FIRE(&inst, "scan", 0), DOSM_OK);
    assert_int_equal(inst.state, S("SCANNING"));
    assert_int_equal(inst.previous, S("NEW"));
    assert_int_equal(inst.seq, 1);
    assert_string_equal(out.record.workflow, "lab");
    assert_int_equal(out.record.revision, 3);
    assert_string_equal(out.record.from, "NEW");
    assert_string_equal(out.record.event, "scan");
    assert_string_equal(out.record.to, "SCANNING");
    assert_int_equal(out.record.seq, 1);
    assert_int_equal(out.record.time, 1000);
    assert_int_equal(out.record.effect_count, 0);
    assert_int_equal(out.has_deadline, 0);
    assert_int_equal(out.transition, 0);
    assert_int_equal(FIRE(&inst, "scan", 0), DOSM_R_NOT_ALLOWED);
    assert_int_equal(out.transition, -1);
}

static void test_fire_by_index(void **state)
{
    dosm_instance inst = dosm_instance_initial(def), before;
    dosm_request req;
    dosm_outcome out;
    int scan = dosm_event_find(def, "scan");
    (void)state;
    memset(&req, 0, sizeof req); /* no event name: the index decides */
    assert_int_equal(dosm_fire_index(def, NULL, &inst, scan, &req, &out), DOSM_OK);
    assert_int_equal(inst.state, S("SCANNING"));
    assert_string_equal(out.record.event, "scan");
    before = inst;
    assert_int_equal(dosm_fire_index(def, NULL, &inst, scan, &req, &out),
                     DOSM_R_NOT_ALLOWED);
    assert_string_equal(out.text, "scan is not allowed in SCANNING: scan "
                                  "applies only in NEW");
    assert_int_equal(dosm_fire_index(def, NULL, &inst, 99, &req, &out),
                     DOSM_R_UNKNOWN_EVENT);
    assert_int_equal(dosm_fire_index(def, NULL, &inst, -1, &req, &out),
                     DOSM_R_UNKNOWN_EVENT);
    assert_memory_equal(&inst, &before, sizeof inst);
    assert_int_equal(dosm_fire_index(def, NULL, &inst, scan, NULL, &out), DOSM_E_ARG);
}

/* Review regressions. */

static void test_host_uses_one_allocator(void **state)
{
    /* A definition with its own allocator: a host made without one uses
     * it, and gives back exactly what it took. */
    char *yaml = read_file(LAB_PATH, NULL);
    test_alloc t;
    dosm_allocator a = test_allocator(&t);
    dosm_load_options opt;
    dosm_def *d = NULL;
    dosm_host *h;
    long before;
    (void)state;
    memset(&t, 0, sizeof t);
    dosm_load_options_init(&opt);
    opt.allocator = &a;
    assert_int_equal(dosm_load(yaml, strlen(yaml), "lab", &opt, &d, NULL), DOSM_OK);
    free(yaml);
    before = t.live;
    h = dosm_host_new(d, NULL);
    assert_non_null(h);
    assert_int_equal(t.live, before + 1);
    dosm_host_free(h);
    assert_int_equal(t.live, before);
    dosm_def_free(d);
    assert_int_equal(t.live, 0);
}

static void test_long_quoted_guard_value(void **state)
{
    char yaml[2048], value[201], attr[220];
    dosm_def *d;
    dosm_instance inst;
    dosm_outcome out;
    (void)state;
    memset(value, 'a', 200);
    value[200] = '\0';
    snprintf(yaml, sizeof yaml,
             "dosm: 1\nname: q\ntitle: Q\nrevision: 1\ninitial: A\n"
             "attributes: { site: { type: string } }\n"
             "states:\n  A: { label: A, external: { fhir: requested } }\n"
             "  B: { label: B, final: true, external: { fhir: completed } }\n"
             "events:\n  go:\n"
             "transitions:\n  - { event: go, from: A, to: B, guard: \"site == '%sZ'\" }\n",
             value);
    d = load_text(yaml);
    inst = dosm_instance_initial(d);
    /* The literal is all 201 characters, not its first 127. */
    {
        dosm_pair p = {"site", value};
        dosm_values v = {&p, 1, NULL, NULL};
        dosm_request req;
        memset(&req, 0, sizeof req);
        req.event = "go";
        req.attributes = &v;
        assert_int_equal(dosm_fire(d, NULL, &inst, &req, &out), DOSM_R_GUARD);
        snprintf(attr, sizeof attr, "%sZ", value);
        p.value = attr;
        assert_int_equal(dosm_fire(d, NULL, &inst, &req, &out), DOSM_OK);
    }
    dosm_def_free(d);
}

static void test_option_reasons_are_per_guard(void **state)
{
    /* The first guard misses x; the second fails on y alone and must not
     * be reported as missing x too. */
    dosm_def *d = load_text(
        "dosm: 1\nname: r\ntitle: R\nrevision: 1\ninitial: A\n"
        "attributes: { x: { type: integer }, y: { type: integer } }\n"
        "states:\n  A: { label: A, external: { fhir: requested } }\n"
        "  B: { label: B, final: true, external: { fhir: completed } }\n"
        "events:\n  go:\n"
        "transitions:\n"
        "  - { event: go, from: A, to: B, guard: \"x == 1\" }\n"
        "  - { event: go, from: A, to: B, guard: \"not (y == 1)\" }\n");
    dosm_instance inst = dosm_instance_initial(d);
    dosm_pair p[1] = {{"y", "1"}};
    dosm_values attrs = {p, 1, NULL, NULL};
    dosm_request req;
    dosm_choice opts[4];
    (void)state;
    memset(&req, 0, sizeof req);
    req.attributes = &attrs;
    assert_int_equal(dosm_choices(d, NULL, &inst, &req, opts, 4), 2);
    assert_int_equal(opts[0].code, DOSM_R_MISSING_ATTR);
    assert_int_equal(opts[1].code, DOSM_R_GUARD);
    dosm_def_free(d);
}

static void test_attribute_check(void **state)
{
    (void)state;
    assert_int_equal(dosm_attribute_check(def, "software_version", "2.3.1"), DOSM_OK);
    assert_int_equal(dosm_attribute_check(def, "software_version", "2.x"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(def, "scan_type", "quick"), DOSM_OK);
    assert_int_equal(dosm_attribute_check(def, "scan_type", "partial"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(def, "units", "12"), DOSM_OK);
    assert_int_equal(dosm_attribute_check(def, "units", "12.5"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(def, "units", "99999999999999999999"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(def, "rush", "yes"), DOSM_E_ARG);
    assert_int_equal(dosm_attribute_check(def, "site", "anything"), DOSM_OK);
    assert_int_equal(dosm_attribute_check(def, "colour", "red"), DOSM_E_NAME);
    assert_int_equal(dosm_attribute_check(def, NULL, "red"), DOSM_E_ARG);
}

static void test_version_and_enum_guards(void **state)
{
    static const struct {
        const char *version, *scan, *to;
    } cases[] = {
        {"2.2", "full_arch", "OPTIMIZING"}, {"2.1", "full_arch", "OPTIMIZING"},
        {"2.1.0", "full_arch", "OPTIMIZING"}, {"2.3.1", "full_arch", "OPTIMIZING"},
        {"2.3.2", "full_arch", "REVIEW"},   {"2.0.9", "full_arch", "REVIEW"},
        {"3", "full_arch", "REVIEW"},       {"2.2", "quick", "REVIEW"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dosm_instance inst = at("SCANNING");
        dosm_outcome out;
        char v[32], s[32];
        snprintf(v, sizeof v, "software_version=%s", cases[i].version);
        snprintf(s, sizeof s, "scan_type=%s", cases[i].scan);
        assert_int_equal(FIRE(&inst, "scanned", 2, v, s), DOSM_OK);
        assert_string_equal(dosm_state_id(def, inst.state), cases[i].to);
    }
}

static void test_missing_attribute_rejects(void **state)
{
    dosm_instance inst = at("SCANNING"), before = inst;
    dosm_outcome out;
    (void)state;
    /* Even under `not`, a guard that reads a missing attribute is false. */
    assert_int_equal(FIRE(&inst, "scanned", 1, "software_version=2.2"),
                     DOSM_R_MISSING_ATTR);
    assert_memory_equal(&inst, &before, sizeof inst);
    assert_string_equal(out.text, "scanned in SCANNING needs the attribute "
                                  "scan_type, which the order does not have");
    assert_int_equal(FIRE(&inst, "scanned", 2, "software_version=two",
                          "scan_type=quick"),
                     DOSM_R_GUARD);
    assert_non_null(strstr(out.text, "(software_version is 'two', which does "
                                     "not read as its type)"));
}

static int files_ok(const dosm_callback_info *info, void *user)
{
    const dosm_def *d = info->def;
    const dosm_instance *inst = info->before;
    const dosm_request *req = info->request;
    (void)d; (void)inst; (void)req;
    return *(int *)user;
}

static void test_named_guard_integer_boolean(void **state)
{
    dosm_host *h = dosm_host_new(def, NULL);
    dosm_instance inst = at("REVIEW");
    dosm_outcome out;
    int ok = 0;
    (void)state;
    assert_non_null(h);
    /* Unbound: the named guard is false. */
    assert_int_equal(fire_with(h, &inst, "approve", &out, 1, "units=2"),
                     DOSM_R_GUARD);
    assert_string_equal(out.text, "approve in REVIEW needs files_ok and "
                                  "(units <= 4 or rush)");
    assert_int_equal(dosm_host_bind_guard(h, "files_ok", files_ok, &ok), DOSM_OK);
    assert_int_equal(dosm_host_bind_guard(h, "files_okay", files_ok, &ok), DOSM_E_NAME);
    assert_int_equal(fire_with(h, &inst, "approve", &out, 1, "units=2"),
                     DOSM_R_GUARD);
    ok = 1;
    assert_int_equal(fire_with(h, &inst, "approve", &out, 2, "units=9",
                               "rush=false"),
                     DOSM_R_GUARD);
    assert_int_equal(fire_with(h, &inst, "approve", &out, 2, "units=9",
                               "rush=true"),
                     DOSM_OK);
    assert_int_equal(inst.state, S("DESIGN"));
    assert_int_equal(out.record.effect_count, 1);
    assert_string_equal(out.record.effects[0], "notify");
    inst = at("REVIEW");
    assert_int_equal(fire_with(h, &inst, "approve", &out, 1, "units=4"), DOSM_OK);
    inst = at("REVIEW");
    assert_int_equal(fire_with(h, &inst, "approve", &out, 1, "units=-3"), DOSM_OK);
    dosm_host_free(h);
}

static void test_string_guard_and_parents(void **state)
{
    dosm_instance inst = at("MILLING");
    dosm_outcome out;
    (void)state;
    /* cancel is written once, from PRODUCTION, and MILLING inherits it. */
    assert_int_equal(FIRE(&inst, "cancel", 1, "site=remote"), DOSM_R_GUARD);
    assert_string_equal(out.text,
                        "cancel in MILLING needs site != 'remote'");
    assert_int_equal(FIRE(&inst, "cancel", 1, "site=local"), DOSM_OK);
    assert_int_equal(inst.state, S("CANCELLED"));
    inst = at("NEW");
    assert_int_equal(FIRE(&inst, "cancel", 0), DOSM_OK);
}

static void test_rejection_sentences(void **state)
{
    dosm_instance inst = at("REVIEW"), before = inst;
    dosm_outcome out;
    (void)state;
    assert_int_equal(FIRE(&inst, "cancel", 0), DOSM_R_NOT_ALLOWED);
    assert_string_equal(out.text, "cancel is not allowed in REVIEW: cancel "
                                  "applies only in PRODUCTION, NEW or ON_HOLD");
    assert_int_equal(FIRE(&inst, "teleport", 0), DOSM_R_UNKNOWN_EVENT);
    assert_string_equal(out.text, "'teleport' is not an event of workflow lab");
    inst = at("SHIPPED");
    assert_int_equal(FIRE(&inst, "cancel", 0), DOSM_R_FINAL);
    assert_string_equal(out.text, "cancel is not allowed in SHIPPED: SHIPPED "
                                  "is final");
    inst = before;
    inst.previous = DOSM_NO_STATE;
    inst.state = (uint16_t)S("ON_HOLD");
    assert_int_equal(FIRE(&inst, "resume", 0), DOSM_R_NO_HISTORY);
    assert_int_equal(inst.state, S("ON_HOLD"));
}

static void test_history_target(void **state)
{
    dosm_instance inst = at("DESIGN");
    dosm_outcome out;
    (void)state;
    inst.previous = (int16_t)S("REVIEW");
    assert_int_equal(FIRE(&inst, "hold", 0), DOSM_OK);
    assert_int_equal(inst.state, S("ON_HOLD"));
    assert_int_equal(inst.previous, S("DESIGN"));
    assert_int_equal(FIRE(&inst, "resume", 0), DOSM_OK);
    assert_int_equal(inst.state, S("DESIGN"));
    assert_int_equal(inst.previous, S("ON_HOLD"));
    assert_string_equal(out.record.to, "DESIGN");
    assert_string_equal(out.record.effects[0], "reset_due_date");
}

/* The transition of ship that applies in state s (the first listing it) */
static int ship_from(const dosm_def *d, int s)
{
    int t, e = dosm_event_find(d, "ship");
    size_t k;
    for (t = 0; t < (int)dosm_transition_count(d); t++) {
        dosm_transition_info ti;
        dosm_transition_get(d, t, &ti);
        for (k = 0; ti.event == e && k < ti.from_count; k++)
            if (ti.from[k] == s)
                return t;
    }
    return -1;
}

static void test_payload(void **state)
{
    dosm_instance inst = at("MILLING");
    dosm_outcome out;
    dosm_pair p[2] = {{"tracking_number", "1Z999"}, {"parcels", "two"}};
    dosm_values payload = {p, 0, NULL, NULL};
    dosm_request req;
    (void)state;
    memset(&req, 0, sizeof req);
    req.event = "ship";
    req.payload = &payload;
    memset(&out, 0x55, sizeof out);
    assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_R_PAYLOAD);
    assert_string_equal(out.text, "ship needs the payload field tracking_number");
    assert_int_equal(out.has_deadline, 0);
    /* refused after the choice: the transition it would take */
    assert_int_equal(out.transition, ship_from(def, S("MILLING")));
    payload.count = 2;
    assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_R_PAYLOAD);
    assert_string_equal(out.text, "the payload field parcels of ship is "
                                  "'two', which does not read as its type");
    p[1].name = "weight";
    assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_R_PAYLOAD);
    assert_string_equal(out.text, "ship carries no field 'weight'");
    p[1].name = "parcels";
    p[1].value = "2";
    assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_OK);
    assert_int_equal(inst.state, S("SHIPPED"));
    assert_int_equal(out.record.effect_count, 2);
    assert_string_equal(out.record.effects[1], "reset_due_date");
}

static void test_timer(void **state)
{
    dosm_instance inst = at("UPLOADING");
    dosm_outcome out;
    dosm_request req;
    dosm_deadline d;
    (void)state;
    inst.seq = 41;
    assert_int_equal(FIRE(&inst, "uploaded", 0), DOSM_OK);
    assert_int_equal(out.has_deadline, 1);
    assert_int_equal(out.deadline.at, 1000 + 7 * 86400);
    assert_string_equal(out.deadline.event, "overdue");
    assert_int_equal(out.deadline.seq, 42);
    d = out.deadline;
    memset(&req, 0, sizeof req);
    req.event = d.event;
    req.timer = 1;
    req.timer_seq = d.seq;
    req.now = 2000;
    assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_OK);
    /* An internal step keeps the state and re-arms the timer. */
    assert_int_equal(inst.state, S("MILLING"));
    assert_int_equal(inst.seq, 43);
    assert_int_equal(out.has_deadline, 1);
    assert_int_equal(out.deadline.at, 2000 + 7 * 86400);
    assert_int_equal(out.deadline.seq, 43);
    assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_R_STALE);
    assert_string_equal(out.text, "the timer overdue is stale: it was set at "
                                  "seq 42, and the order has moved on to "
                                  "seq 43 (in MILLING)");
    /* a rejection describes no step: the last fire's deadline is gone */
    assert_int_equal(out.has_deadline, 0);
    assert_int_equal(out.transition, -1);
    inst = at("DESIGN");
    inst.seq = 42;
    assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_R_STALE);
    /* A deadline beyond the end of time saturates (found by fuzz_fire). */
    inst = at("UPLOADING");
    memset(&req, 0, sizeof req);
    req.event = "uploaded";
    req.now = INT64_MAX - 10;
    assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_OK);
    assert_true(out.deadline.at == INT64_MAX);
}

/* ---- callbacks ---- */

typedef struct log {
    char lines[16][64];
    int n;
    dosm_instance *watched;
    int reentry;
} log_t;

static void note(const dosm_callback_info *info, void *user, const char *kind)
{
    log_t *log = user;
    if (log->n < 16)
        snprintf(log->lines[log->n++], 64, "%s %s", kind,
                 info->state ? info->state
                 : info->effect ? info->effect
                                : info->event);
}

static void on_enter(const dosm_callback_info *i, void *u) { note(i, u, "enter"); }
static void on_exit(const dosm_callback_info *i, void *u) { note(i, u, "exit"); }
static void on_effect(const dosm_callback_info *i, void *u) { note(i, u, "effect"); }
static void on_reject(const dosm_callback_info *i, void *u)
{
    log_t *log = u;
    note(i, u, "reject");
    assert_true(DOSM_IS_REJECTION(i->outcome->code));
    assert_memory_equal(i->before, i->after, sizeof *i->before);
    assert_null(i->record);
    strncat(log->lines[log->n - 1], " ", 63 - strlen(log->lines[log->n - 1]));
    strncat(log->lines[log->n - 1], dosm_code_name(i->outcome->code),
            63 - strlen(log->lines[log->n - 1]));
}
static void on_transition(const dosm_callback_info *i, void *u)
{
    log_t *log = u;
    note(i, u, "transition");
    assert_int_equal(i->after->seq, i->before->seq + 1);
    assert_string_equal(i->record->to, dosm_state_id(i->def, i->after->state));
    if (log->watched) {
        dosm_request req;
        dosm_instance other = dosm_instance_initial(i->def);
        memset(&req, 0, sizeof req);
        req.event = "scan";
        log->reentry = dosm_fire(i->def, NULL, log->watched, &req, NULL);
        /* Another instance is fine. */
        assert_int_equal(dosm_fire(i->def, NULL, &other, &req, NULL), DOSM_OK);
    }
}

static dosm_host *logging_host(log_t *log)
{
    dosm_host *h = dosm_host_new(def, NULL);
    assert_non_null(h);
    dosm_host_on(h, DOSM_ON_ENTER, on_enter, log);
    dosm_host_on(h, DOSM_ON_EXIT, on_exit, log);
    dosm_host_on(h, DOSM_ON_TRANSITION, on_transition, log);
    dosm_host_on(h, DOSM_ON_REJECT, on_reject, log);
    dosm_host_bind_effect(h, "notify", on_effect, log);
    dosm_host_bind_effect(h, "reset_due_date", on_effect, log);
    return h;
}

static void expect_log(const log_t *log, int n, ...)
{
    va_list ap;
    int i;
    va_start(ap, n);
    for (i = 0; i < n && i < log->n; i++)
        assert_string_equal(log->lines[i], va_arg(ap, const char *));
    va_end(ap);
    assert_int_equal(log->n, n);
}

static void test_callback_order(void **state)
{
    log_t log;
    dosm_host *h;
    dosm_instance inst;
    dosm_outcome out;
    int yes = 1;
    (void)state;
    memset(&log, 0, sizeof log);
    h = logging_host(&log);
    dosm_host_bind_guard(h, "files_ok", files_ok, &yes);

    inst = at("REVIEW"); /* into a child: enter the parent first */
    assert_int_equal(fire_with(h, &inst, "approve", &out, 1, "units=1"), DOSM_OK);
    expect_log(&log, 5, "exit REVIEW", "transition approve", "effect notify",
               "enter PRODUCTION", "enter DESIGN");

    log.n = 0; /* between siblings: the parent stays */
    assert_int_equal(fire_with(h, &inst, "upload", &out, 0), DOSM_OK);
    expect_log(&log, 3, "exit DESIGN", "transition upload", "enter UPLOADING");

    log.n = 0;
    inst = at("MILLING"); /* out of the parent: exit it last */
    assert_int_equal(fire_with(h, &inst, "ship", &out, 0), DOSM_R_PAYLOAD);
    expect_log(&log, 1, "reject ship DOSM_R_PAYLOAD");
    log.n = 0;
    assert_int_equal(fire_with(h, &inst, "overdue", &out, 0), DOSM_OK);
    expect_log(&log, 2, "transition overdue", "effect notify");

    log.n = 0;
    assert_int_equal(fire_with(h, &inst, "hold", &out, 0), DOSM_OK);
    expect_log(&log, 4, "exit MILLING", "exit PRODUCTION", "transition hold",
               "enter ON_HOLD");
    log.n = 0;
    assert_int_equal(fire_with(h, &inst, "upload", &out, 0), DOSM_R_NOT_ALLOWED);
    expect_log(&log, 1, "reject upload DOSM_R_NOT_ALLOWED");
    dosm_host_free(h);
}

static void test_reentrancy_detected(void **state)
{
    log_t log;
    dosm_host *h;
    dosm_instance inst = dosm_instance_initial(def);
    dosm_outcome out;
    (void)state;
    memset(&log, 0, sizeof log);
    h = logging_host(&log);
    log.watched = &inst;
    assert_int_equal(fire_with(h, &inst, "scan", &out, 0), DOSM_OK);
    assert_int_equal(log.reentry, DOSM_E_REENTRANT);
    assert_int_equal(inst.state, S("SCANNING"));
    assert_int_equal(inst.seq, 1);
    dosm_host_free(h);
}

static void test_host_check(void **state)
{
    dosm_host *h = dosm_host_new(def, NULL);
    dosm_error err;
    int yes = 1;
    (void)state;
    assert_int_equal(dosm_host_check(h, &err), DOSM_E_UNBOUND);
    assert_string_equal(err.text, "effect 'notify' of workflow lab has no callback");
    assert_int_equal(dosm_host_bind_effect(h, "notfy", on_effect, NULL), DOSM_E_NAME);
    dosm_host_bind_effect(h, "notify", on_effect, NULL);
    dosm_host_bind_effect(h, "reset_due_date", on_effect, NULL);
    assert_int_equal(dosm_host_check(h, &err), DOSM_E_UNBOUND);
    assert_string_equal(err.text, "guard 'files_ok' of workflow lab has no callback");
    dosm_host_bind_guard(h, "files_ok", files_ok, &yes);
    assert_int_equal(dosm_host_check(h, &err), DOSM_OK);
    assert_int_equal(dosm_host_on(h, (dosm_hook)7, on_enter, NULL), DOSM_E_ARG);
    dosm_host_free(h);
}

static const char *lookup(void *user, const char *name)
{
    (void)user;
    return strcmp(name, "software_version") == 0 ? "2.2"
           : strcmp(name, "scan_type") == 0      ? "full_arch"
                                                 : NULL;
}

static void test_try_options_and_lookup(void **state)
{
    dosm_instance inst = at("SCANNING"), before = inst;
    dosm_values attrs = {NULL, 0, lookup, NULL};
    dosm_request req;
    dosm_outcome out;
    dosm_choice opts[8];
    size_t n;
    (void)state;
    memset(&req, 0, sizeof req);
    req.event = "scanned";
    req.attributes = &attrs;
    assert_int_equal(dosm_try(def, NULL, &inst, &req, &out), DOSM_OK);
    assert_string_equal(out.record.to, "OPTIMIZING");
    assert_memory_equal(&inst, &before, sizeof inst);
    n = dosm_choices(def, NULL, &inst, &req, opts, 8);
    assert_int_equal(n, 3);
    assert_string_equal(dosm_event_name(def, opts[0].event), "scanned");
    assert_int_equal(opts[0].target, S("OPTIMIZING"));
    assert_int_equal(opts[0].code, DOSM_OK);
    assert_int_equal(opts[1].target, S("REVIEW"));
    assert_int_equal(opts[1].code, DOSM_R_GUARD);
    assert_string_equal(dosm_event_name(def, opts[2].event), "hold");
    assert_int_equal(opts[2].code, DOSM_OK);
    req.attributes = NULL;
    n = dosm_choices(def, NULL, &inst, &req, opts, 1);
    assert_int_equal(n, 3);
    assert_int_equal(opts[0].code, DOSM_R_MISSING_ATTR);
}

/* ---- the lab workflow against a reference model ---- */

/* test/defs/good/lab.yaml written again from states/README.md, not from
 * lib/: its transitions in file order, each guard as a function of the
 * attributes. Each test value is given with what it means: for each
 * attribute, absent, values that read (and whether they pass the guard's
 * test) and one that does not read as its type. */
enum { ABSENT, PASS, FAIL, BAD }; /* what an attribute value is to a test */
typedef struct model_attrs {
    const char *text[5]; /* software_version, scan_type, units, rush, site */
    int meaning[5];      /* in 2.1..2.3.1, == full_arch, <= 4, true, != 'remote' */
} model_attrs;

static const char *const attr_names[5] = {"software_version", "scan_type",
                                          "units", "rush", "site"};
static const char *const attr_texts[5][4] = {
    {NULL, "2.2", "3.0", "2.x"}, {NULL, "full_arch", "quick", "other"},
    {NULL, "3", "9", "many"},    {NULL, "true", "false", "yes"},
    {NULL, "lab", "remote", NULL}};

/* A guard's verdict: it holds, it does not, or it read an attribute that
 * is missing or bad (README: then it is false as a whole, and the refusal
 * names a missing one). */
typedef struct verdict {
    int holds, missing, bad;
} verdict;

static int model_test(const model_attrs *a, int k, verdict *v)
{
    if (a->meaning[k] == ABSENT || a->meaning[k] == BAD) {
        v->missing |= a->meaning[k] == ABSENT;
        v->bad |= a->meaning[k] == BAD;
        v->holds = -1;
        return 0;
    }
    return a->meaning[k] == PASS;
}

/* Guards 1-4 of lab.yaml, read left to right with `and`/`or` stopping as
 * soon as the answer is known. */
static verdict model_guard(int guard, const model_attrs *a, int files_ok)
{
    verdict v = {1, 0, 0};
    int r = 1;
    switch (guard) {
    case 1: /* software_version in 2.1..2.3.1 and scan_type == full_arch */
    case 2: /* not (the same) */
        r = model_test(a, 0, &v) && model_test(a, 1, &v);
        if (guard == 2)
            r = !r;
        break;
    case 3: /* files_ok and (units <= 4 or rush) */
        r = files_ok && (model_test(a, 2, &v) || model_test(a, 3, &v));
        break;
    case 4: /* site != 'remote' */
        r = model_test(a, 4, &v);
        break;
    }
    v.holds = v.holds < 0 ? 0 : r;
    return v;
}

typedef struct model_trans {
    const char *event, *from[3], *to; /* to NULL: previous */
    int guard;
} model_trans;

static const model_trans lab_model[] = {
    {"scan", {"NEW"}, "SCANNING", 0},
    {"scanned", {"SCANNING"}, "OPTIMIZING", 1},
    {"scanned", {"SCANNING"}, "REVIEW", 2},
    {"optimized", {"OPTIMIZING"}, "REVIEW", 0},
    {"approve", {"REVIEW"}, "DESIGN", 3},
    {"upload", {"DESIGN"}, "UPLOADING", 0},
    {"uploaded", {"UPLOADING"}, "MILLING", 0},
    {"overdue", {"MILLING"}, "MILLING", 0},
    {"ship", {"MILLING"}, "SHIPPED", 0},
    {"hold", {"SCANNING", "REVIEW", "PRODUCTION"}, "ON_HOLD", 0},
    {"resume", {"ON_HOLD"}, NULL, 0},
    {"cancel", {"PRODUCTION"}, "CANCELLED", 4},
    {"cancel", {"NEW", "ON_HOLD"}, "CANCELLED", 0},
    {"split", {"DESIGN"}, "MIXED", 0},
    {"approve", {"MIXED"}, "DESIGN", 0},
};

static int model_lists(const model_trans *t, const char *state)
{
    int i;
    for (i = 0; i < 3 && t->from[i]; i++)
        if (strcmp(t->from[i], state) == 0)
            return 1;
    return 0;
}

/* What firing `event` from (state, previous) does: the code, the
 * transition (document index) and the target state id. Payload: 0 none,
 * 1 a tracking number, 2 a field no event has. */
typedef struct model_answer {
    int code, transition;
    const char *to;
} model_answer;

static model_answer model_fire(const char *state, const char *previous,
                               const char *event, const model_attrs *a,
                               int files_ok, int payload, uint32_t seq)
{
    static const char *const production[] = {"DESIGN", "MILLING", "UPLOADING"};
    const char *groups[2] = {state, NULL};
    model_answer m = {DOSM_R_NOT_ALLOWED, -1, NULL};
    int g, i, first = -1, missing = 0;
    for (i = 0; i < 3; i++)
        if (strcmp(state, production[i]) == 0)
            groups[1] = "PRODUCTION";
    if (strcmp(state, "SHIPPED") == 0 || strcmp(state, "CANCELLED") == 0) {
        m.code = DOSM_R_FINAL;
        return m;
    }
    for (g = 0; g < 2 && groups[g] && m.transition < 0; g++)
        for (i = 0; i < (int)(sizeof lab_model / sizeof lab_model[0]); i++) {
            const model_trans *t = &lab_model[i];
            verdict v;
            if (strcmp(t->event, event) != 0 || !model_lists(t, groups[g]))
                continue;
            if (first < 0)
                first = i;
            v = model_guard(t->guard, a, files_ok);
            missing |= v.missing;
            if (v.holds) {
                m.transition = i;
                m.to = t->to ? t->to : previous;
                break;
            }
        }
    if (m.transition < 0) {
        if (first >= 0)
            m.code = missing ? DOSM_R_MISSING_ATTR : DOSM_R_GUARD;
        return m;
    }
    if (!m.to)
        m.code = DOSM_R_NO_HISTORY;
    else if (strcmp(event, "ship") == 0 ? payload != 1 : payload != 0)
        m.code = DOSM_R_PAYLOAD;
    else if (seq == UINT32_MAX)
        m.code = DOSM_R_SEQ_LIMIT;
    else
        m.code = DOSM_OK;
    return m;
}

/* One answer of the library against the model's. */
static void check_answer(const model_answer *m, int code,
                         const dosm_instance *before,
                         const dosm_instance *after, const dosm_outcome *out)
{
    assert_int_equal(code, m->code);
    if (out) {
        assert_int_equal(out->code, m->code);
        if (code == DOSM_OK || code == DOSM_R_NO_HISTORY ||
            code == DOSM_R_PAYLOAD || code == DOSM_R_SEQ_LIMIT)
            assert_int_equal(out->transition, m->transition);
        assert_true((code == DOSM_OK) == (out->text[0] == '\0'));
    }
    if (!after)
        return;
    if (code != DOSM_OK) {
        assert_memory_equal(after, before, sizeof *after);
        return;
    }
    assert_string_equal(dosm_state_id(def, after->state), m->to);
    assert_int_equal(after->seq, before->seq + 1);
    assert_int_equal(after->previous, after->state == before->state
                                          ? before->previous
                                          : (int16_t)before->state);
    if (out) {
        assert_string_equal(out->record.from,
                            dosm_state_id(def, before->state));
        assert_string_equal(out->record.to, m->to);
        assert_int_equal(out->record.seq, after->seq);
    }
}

/* Every leaf state, with and without a previous state, at an ordinary seq
 * and at the last one, every event, payloads, named guard answers and
 * attribute values that pass, fail, are missing or do not read: fire by
 * name and by index, with and without an outcome and a host, and try,
 * each with the attributes as text and prepared, against the model; the
 * prepared ones also give exactly the text attributes' sentences. */
static void test_lab_against_model(void **state)
{
    int yes = 1;
    dosm_host *h = dosm_host_new(def, NULL);
    long compared = 0, accepted = 0;
    int s, e, p, pay, combo, answers, last;
    (void)state;
    assert_non_null(h);
    assert_int_equal(dosm_host_bind_guard(h, "files_ok", files_ok, &yes),
                     DOSM_OK);
    /* each guard reads two attributes at most (site alone): their every
     * pair of values, site's cycled */
    for (combo = 0; combo < 4 * 4 * 4 * 4; combo++) {
        model_attrs a;
        dosm_pair pairs[5];
        dosm_values values = {pairs, 0, NULL, NULL};
        dosm_attributes *prepared;
        int k, c = combo;
        for (k = 0; k < 5; k++) {
            int pick = k == 4 ? combo % 3 : c % 4;
            c /= 4;
            a.text[k] = attr_texts[k][pick];
            a.meaning[k] = pick == 0 ? ABSENT
                           : k == 4  ? (pick == 1 ? PASS : FAIL)
                                     : pick; /* PASS, FAIL, BAD */
            if (a.text[k]) {
                pairs[values.count].name = attr_names[k];
                pairs[values.count++].value = a.text[k];
            }
        }
        assert_int_equal(dosm_attributes_prepare(def, &values, NULL, &prepared),
                         DOSM_OK);
        for (s = 0; s < (int)dosm_state_count(def); s++)
            for (e = 0; e < (int)dosm_event_count(def); e++)
                for (p = 0; p < 2; p++)
                    for (pay = 0; pay < 3; pay++)
                        for (answers = 0; answers < 2; answers++)
                            for (last = 0; last < 2; last++) {
                dosm_state_info si;
                static const dosm_pair tracking[] = {{"tracking_number", "1Z"}};
                static const dosm_pair bogus[] = {{"bogus", "x"}};
                const dosm_values payloads[2] = {{tracking, 1, NULL, NULL},
                                                 {bogus, 1, NULL, NULL}};
                const dosm_host *host = answers ? h : NULL;
                dosm_instance inst = dosm_instance_initial(def);
                model_answer m;
                int how;
                char text[DOSM_TEXT_MAX] = "";
                assert_int_equal(dosm_state_get(def, s, &si), DOSM_OK);
                if (si.is_parent)
                    continue;
                /* the busiest combinations only where guards read them */
                if (combo && strcmp(dosm_event_name(def, e), "scanned") &&
                    strcmp(dosm_event_name(def, e), "approve") &&
                    strcmp(dosm_event_name(def, e), "cancel"))
                    continue;
                inst.state = (uint16_t)s;
                inst.previous = p ? (int16_t)S("REVIEW") : DOSM_NO_STATE;
                inst.seq = last ? UINT32_MAX : 5;
                m = model_fire(si.id, p ? "REVIEW" : NULL,
                               dosm_event_name(def, e), &a, answers, pay,
                               inst.seq);
                for (how = 0; how < 8; how++) {
                    dosm_request req;
                    dosm_instance after = inst;
                    dosm_outcome out;
                    int code;
                    memset(&req, 0, sizeof req);
                    req.event = dosm_event_name(def, e);
                    req.payload = pay ? &payloads[pay - 1] : NULL;
                    req.attributes = how & 1 ? dosm_attributes_values(prepared)
                                             : &values;
                    switch (how >> 1) {
                    case 0:
                        code = dosm_fire(def, host, &after, &req, &out);
                        check_answer(&m, code, &inst, &after, &out);
                        break;
                    case 1:
                        code = dosm_fire_index(def, host, &after, e, &req, &out);
                        check_answer(&m, code, &inst, &after, &out);
                        break;
                    case 2:
                        code = dosm_fire_index(def, host, &after, e, &req, NULL);
                        check_answer(&m, code, &inst, &after, NULL);
                        continue;
                    default:
                        code = dosm_try(def, host, &inst, &req, &out);
                        check_answer(&m, code, &inst, NULL, &out);
                        break;
                    }
                    if (how == 0)
                        snprintf(text, sizeof text, "%s", out.text);
                    else
                        assert_string_equal(out.text, text);
                    compared++;
                }
                accepted += m.code == DOSM_OK;
            }
        dosm_attributes_free(prepared);
    }
    dosm_host_free(h);
    /* every combination was compared, the accepted ones counted */
    assert_int_equal(compared, 1230768);
    assert_int_equal(accepted, 4686);
}

static void test_bad_calls(void **state)
{
    dosm_instance inst = dosm_instance_initial(def);
    dosm_request req;
    dosm_outcome out;
    (void)state;
    memset(&req, 0, sizeof req);
    assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_E_ARG);
    req.event = "scan";
    assert_int_equal(dosm_fire(NULL, NULL, &inst, &req, &out), DOSM_E_ARG);
    assert_int_equal(dosm_fire(def, NULL, NULL, &req, &out), DOSM_E_ARG);
    inst.state = 999;
    assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_E_STATE);
    inst.state = (uint16_t)S("PRODUCTION"); /* a parent is never occupied */
    assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_E_STATE);
    assert_int_equal(dosm_sort_key(def, &inst), UINT32_MAX);
    inst = dosm_instance_initial(def);
    inst.previous = 500;
    assert_int_equal(dosm_try(def, NULL, &inst, &req, NULL), DOSM_E_STATE);
    assert_string_equal(dosm_code_name(DOSM_R_GUARD), "DOSM_R_GUARD");
    assert_string_equal(dosm_code_name(12345), "DOSM_UNKNOWN");
    assert_string_equal(dosm_code_text(DOSM_E_NOMEM), "out of memory");
    assert_true(DOSM_IS_REJECTION(DOSM_R_STALE));
    assert_false(DOSM_IS_REJECTION(DOSM_E_STATE));
}

static void test_sort_key_follows_rank(void **state)
{
    dosm_instance review = at("REVIEW"), fresh = at("NEW"), design = at("DESIGN");
    (void)state;
    assert_true(dosm_sort_key(def, &design) < dosm_sort_key(def, &review));
    assert_true(dosm_sort_key(def, &review) < dosm_sort_key(def, &fresh));
}

static void count_call(const dosm_callback_info *info, void *user)
{
    (void)info;
    ++*(int *)user;
}

/* A state with the most ancestors allowed: entering it from outside calls
 * enter for all 17 levels, leaving it calls exit for all 17. */
static void test_deepest_nesting(void **state)
{
    char yaml[4096];
    size_t len = 0;
    int i, enters = 0, exits = 0;
    dosm_def *deep;
    dosm_host *h;
    dosm_instance inst;
    dosm_request req;
    (void)state;
    len += (size_t)sprintf(yaml + len, "dosm: 1\nname: deep\ntitle: D\nrevision: 1\n"
                           "initial: A\nstates:\n");
    for (i = 0; i < 15; i++)
        len += (size_t)sprintf(yaml + len, "  P%d: { label: P%d, parent: P%d }\n",
                               i, i, i + 1);
    len += (size_t)sprintf(yaml + len, "  P15: { label: P15 }\n");
    len += (size_t)sprintf(yaml + len,
        "  LEAF: { label: Leaf, parent: P0, external: { fhir: ready } }\n"
        "  A: { label: A, external: { fhir: requested } }\n"
        "  Z: { label: Z, final: true, external: { fhir: completed } }\n"
        "events:\n  in:\n  out:\ntransitions:\n"
        "  - { event: in, from: A, to: LEAF }\n"
        "  - { event: out, from: P15, to: Z }\n");
    deep = load_text(yaml);
    h = dosm_host_new(deep, NULL);
    dosm_host_on(h, DOSM_ON_ENTER, count_call, &enters);
    dosm_host_on(h, DOSM_ON_EXIT, count_call, &exits);
    inst = dosm_instance_initial(deep);
    memset(&req, 0, sizeof req);
    req.event = "in";
    assert_int_equal(dosm_fire(deep, h, &inst, &req, NULL), DOSM_OK);
    assert_int_equal(enters, 17);
    assert_int_equal(exits, 1);
    req.event = "out"; /* inherited from the outermost parent */
    assert_int_equal(dosm_fire(deep, h, &inst, &req, NULL), DOSM_OK);
    assert_int_equal(exits, 18);
    assert_int_equal(enters, 18);
    dosm_host_free(h);
    dosm_def_free(deep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_definition_reads_back),
        cmocka_unit_test(test_simple_fire),
        cmocka_unit_test(test_attribute_check),
        cmocka_unit_test(test_host_uses_one_allocator),
        cmocka_unit_test(test_long_quoted_guard_value),
        cmocka_unit_test(test_option_reasons_are_per_guard),
        cmocka_unit_test(test_fire_by_index),
        cmocka_unit_test(test_version_and_enum_guards),
        cmocka_unit_test(test_missing_attribute_rejects),
        cmocka_unit_test(test_named_guard_integer_boolean),
        cmocka_unit_test(test_string_guard_and_parents),
        cmocka_unit_test(test_rejection_sentences),
        cmocka_unit_test(test_history_target),
        cmocka_unit_test(test_payload),
        cmocka_unit_test(test_timer),
        cmocka_unit_test(test_callback_order),
        cmocka_unit_test(test_reentrancy_detected),
        cmocka_unit_test(test_host_check),
        cmocka_unit_test(test_try_options_and_lookup),
        cmocka_unit_test(test_lab_against_model),
        cmocka_unit_test(test_bad_calls),
        cmocka_unit_test(test_sort_key_follows_rank),
        cmocka_unit_test(test_deepest_nesting),
    };
    return cmocka_run_group_tests_name("runtime", tests, setup, teardown);
}
