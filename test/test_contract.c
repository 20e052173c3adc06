/* Holes in the API's contract that an attack on the library found: a
 * named guard firing on its own order, guards handed a NULL request, a
 * definition hash that did not delimit names, a seq that wrapped to 0,
 * revision 0, an unnamed unknown event, and a decode from a callback that
 * the step then overwrote. Each test failed before its fix. */
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* A named guard on go; plain steps on, a transient B for restarts. */
static const char flow[] =
    "dosm: 1\nname: flow\ntitle: Flow\nrevision: 2\ninitial: A\n"
    "guards: { ok: the host says so }\n"
    "effects: { note: tell someone }\n"
    "states:\n"
    "  A: { label: A, external: { fhir: requested } }\n"
    "  B: { label: B, transient: A, external: { fhir: in-progress } }\n"
    "  C: { label: C, external: { fhir: in-progress } }\n"
    "  Z: { label: Z, final: true, external: { fhir: completed } }\n"
    "events: { go: , on: , end: { payload: { tracking: { type: string, required: false } } } }\n"
    "transitions:\n"
    "  - { event: go, from: A, to: B, guard: ok }\n"
    "  - { event: on, from: B, to: C, effects: [note] }\n"
    "  - { event: on, from: A, to: B }\n"
    "  - { event: end, from: C, to: Z }\n";

static dosm_def *def;

static int setup(void **state)
{
    (void)state;
    def = load_text(flow);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dosm_def_free(def);
    return 0;
}

static dosm_instance at(const char *id, uint32_t seq)
{
    dosm_instance inst = dosm_instance_initial(def);
    inst.state = (uint16_t)dosm_state_find(def, id);
    inst.seq = seq;
    return inst;
}

static dosm_request request(const char *event)
{
    dosm_request req;
    memset(&req, 0, sizeof req);
    req.event = event;
    return req;
}

/* ---- a named guard that fires on the order it is asked about ---- */

typedef struct meddler {
    dosm_instance *order;  /* the host's order, which the guard should not touch */
    int inner_code, calls;
    const dosm_request *seen; /* the request the guard was given */
} meddler;

static int meddling_guard(const dosm_callback_info *info, void *user)
{
    const dosm_def *d = info->def;
    const dosm_instance *inst = info->before;
    const dosm_request *req = info->request;
    meddler *m = user;
    dosm_request on = request("on");
    (void)inst;
    m->calls++;
    m->seen = req;
    assert_non_null(req);
    if (m->order)
        m->inner_code = dosm_fire(d, NULL, m->order, &on, NULL);
    return 1;
}

static dosm_host *meddling_host(meddler *m)
{
    dosm_host *h = dosm_host_new(def, NULL);
    assert_non_null(h);
    assert_int_equal(dosm_host_bind_guard(h, "ok", meddling_guard, m), DOSM_OK);
    return h;
}

static void test_guard_firing_on_its_order_is_refused(void **state)
{
    meddler m = {0, 0, 0, NULL};
    dosm_host *h = meddling_host(&m);
    dosm_instance order = at("A", 3);
    dosm_request go = request("go");
    dosm_outcome out;
    (void)state;
    m.order = &order;
    /* Before: the inner fire took A --on--> B, and the outer one then
     * recorded C --go--> B, which is no transition of the workflow. */
    assert_int_equal(dosm_fire(def, h, &order, &go, &out), DOSM_OK);
    assert_int_equal(m.calls, 1);
    assert_int_equal(m.inner_code, DOSM_E_REENTRANT);
    assert_int_equal(order.state, dosm_state_find(def, "B"));
    assert_int_equal(order.previous, dosm_state_find(def, "A"));
    assert_int_equal(order.seq, 4);
    assert_string_equal(out.record.from, "A");
    assert_string_equal(out.record.to, "B");
    assert_string_equal(out.record.event, "go");
    dosm_host_free(h);
}

static void test_guard_firing_while_reconciling_is_refused(void **state)
{
    meddler m = {0, 0, 0, NULL};
    dosm_host *h = meddling_host(&m);
    dosm_instance order = at("A", 0);
    dosm_outcome out;
    (void)state;
    m.order = &order;
    /* A -> C: the search and the step both ask the guard. */
    assert_int_equal(dosm_reconcile(def, h, &order, "C", NULL, &out), DOSM_OK);
    assert_true(m.calls >= 1);
    assert_int_equal(m.inner_code, DOSM_E_REENTRANT);
    assert_int_equal(order.state, dosm_state_find(def, "C"));
    assert_int_equal(order.seq, 2);
    dosm_host_free(h);
}

/* Every caller's guard gets a request, an empty one when none was given. */
static void test_guards_never_get_a_null_request(void **state)
{
    meddler m = {0, 0, 0, NULL};
    dosm_host *h = meddling_host(&m);
    dosm_instance order = at("A", 0);
    dosm_choice opt[4];
    dosm_step steps[4];
    size_t len;
    (void)state;
    assert_int_equal(dosm_choices(def, h, &order, NULL, opt, 4), 2);
    assert_int_equal(m.calls, 1);
    assert_non_null(m.seen);
    assert_null(m.seen->event);
    assert_null(m.seen->attributes);
    m.seen = NULL;
    assert_int_equal(dosm_path(def, h, &order, dosm_state_find(def, "C"), NULL,
                               steps, 4, &len, NULL),
                     DOSM_OK);
    assert_int_equal(len, 2);
    assert_non_null(m.seen);
    m.seen = NULL;
    assert_int_equal(dosm_reconcile(def, h, &order, "B", NULL, NULL), DOSM_OK);
    assert_non_null(m.seen);
    dosm_host_free(h);
}

/* ---- the definition hash delimits names ---- */

static dosm_def *two_events(const char *e1, const char *e2)
{
    char yaml[600];
    snprintf(yaml, sizeof yaml,
             "dosm: 1\nname: pair\ntitle: Pair\nrevision: 1\ninitial: A\n"
             "states:\n  A: { label: A, external: { fhir: requested } }\n"
             "  Z: { label: Z, final: true, external: { fhir: completed } }\n"
             "events: { %s: , %s: }\ntransitions:\n"
             "  - { event: %s, from: A, to: Z }\n"
             "  - { event: %s, from: A, to: A }\n",
             e1, e2, e1, e2);
    return load_text(yaml);
}

static void test_hash_delimits_names(void **state)
{
    dosm_def *ab_c = two_events("ab", "c"), *a_bc = two_events("a", "bc");
    dosm_instance inst;
    char text[DOSM_SNAPSHOT_MAX];
    dosm_error err;
    (void)state;
    assert_int_not_equal(dosm_def_hash(ab_c), dosm_def_hash(a_bc));
    inst = dosm_instance_initial(ab_c);
    assert_int_equal(dosm_encode(ab_c, &inst, text, sizeof text), DOSM_OK);
    assert_int_equal(dosm_decode(a_bc, text, &inst, &err), DOSM_E_REVISION);
    assert_int_equal(dosm_decode(ab_c, text, &inst, &err), DOSM_OK);
    dosm_def_free(ab_c);
    dosm_def_free(a_bc);
}

/* 0.1.0 wrote the hash without lengths; such strings still decode. The
 * string is what 0.1.0's dosm_encode wrote for this definition. */
static void test_hash_of_0_1_0_still_decodes(void **state)
{
    dosm_def *ab_c = two_events("ab", "c");
    dosm_instance inst;
    char text[DOSM_SNAPSHOT_MAX], old[DOSM_SNAPSHOT_MAX];
    dosm_error err;
    (void)state;
    inst = dosm_instance_initial(ab_c);
    assert_int_equal(dosm_encode(ab_c, &inst, text, sizeof text), DOSM_OK);
    /* and what 0.1.0 wrote for { a, bc } too */
    snprintf(old, sizeof old, "pair@1.99621f96:A#0");
    assert_string_not_equal(text, old);
    assert_int_equal(dosm_decode(ab_c, old, &inst, &err), DOSM_OK);
    assert_int_equal(inst.state, dosm_state_find(ab_c, "A"));
    dosm_def_free(ab_c);
}

/* ---- seq never wraps ---- */

static void test_seq_does_not_wrap(void **state)
{
    dosm_instance inst = at("A", UINT32_MAX), kept;
    dosm_request on = request("on"), go = request("go");
    dosm_outcome out;
    meddler m = {0, 0, 0, NULL};
    dosm_host *h = meddling_host(&m);
    (void)state;
    kept = inst;
    /* the plain step, with and without an outcome, and the guarded one */
    assert_int_equal(dosm_fire(def, NULL, &inst, &on, &out), DOSM_R_SEQ_LIMIT);
    assert_string_equal(out.text, "on in A would be step 4294967295 of the "
                                  "order, one more than its seq can count: "
                                  "start a new order");
    assert_memory_equal(&inst, &kept, sizeof inst);
    assert_int_equal(dosm_fire(def, NULL, &inst, &on, NULL), DOSM_R_SEQ_LIMIT);
    assert_int_equal(dosm_fire_index(def, NULL, &inst, dosm_event_find(def, "on"), &on,
                                     &out),
                     DOSM_R_SEQ_LIMIT);
    assert_int_equal(dosm_fire(def, h, &inst, &go, &out), DOSM_R_SEQ_LIMIT);
    assert_int_equal(dosm_try(def, NULL, &inst, &on, &out), DOSM_R_SEQ_LIMIT);
    assert_memory_equal(&inst, &kept, sizeof inst);
    /* one below the limit is the last step */
    inst.seq = UINT32_MAX - 1;
    assert_int_equal(dosm_fire(def, NULL, &inst, &on, &out), DOSM_OK);
    assert_int_equal(inst.seq, UINT32_MAX);
    /* B is transient: the restart is a step too */
    assert_int_equal(dosm_restart(def, &inst, 0, &out), DOSM_R_SEQ_LIMIT);
    assert_string_equal(out.text, "the restart of B would be step 4294967295 "
                                  "of the order, one more than its seq can "
                                  "count");
    assert_int_equal(inst.state, dosm_state_find(def, "B"));
    assert_int_equal(inst.seq, UINT32_MAX);
    dosm_host_free(h);
}

static void test_reconcile_refuses_a_path_seq_cannot_count(void **state)
{
    dosm_instance inst = at("A", UINT32_MAX - 1), kept;
    dosm_outcome out;
    (void)state;
    kept = inst;
    /* A -> C takes two steps; only one is left */
    assert_int_equal(dosm_reconcile(def, NULL, &inst, "C", NULL, &out),
                     DOSM_R_SEQ_LIMIT);
    assert_string_equal(out.text, "A to C takes 2 steps, more than the "
                                  "order's seq can count from 4294967294: "
                                  "start a new order");
    assert_memory_equal(&inst, &kept, sizeof inst);
    assert_int_equal(dosm_reconcile(def, NULL, &inst, "B", NULL, &out), DOSM_OK);
    assert_int_equal(inst.seq, UINT32_MAX);
}

static void test_replay_does_not_wrap(void **state)
{
    dosm_instance start = at("A", UINT32_MAX), out;
    dosm_record r;
    dosm_error err;
    size_t bad = 99;
    (void)state;
    memset(&r, 0, sizeof r);
    r.workflow = "flow";
    r.revision = 2;
    r.seq = 0; /* UINT32_MAX + 1, wrapped */
    r.from = "A";
    r.event = "on";
    r.to = "B";
    assert_int_equal(dosm_replay(def, &start, &r, 1, &out, &bad, &err),
                     DOSM_E_HISTORY);
    assert_int_equal(bad, 0);
    assert_string_equal(err.text, "record seq 0 (A --on--> B) breaks the sequence");
    /* revision 0, as in snapshots, is no revision; an older one is */
    start.seq = 0;
    r.seq = 1;
    r.revision = 0;
    assert_int_equal(dosm_replay(def, &start, &r, 1, &out, &bad, &err),
                     DOSM_E_HISTORY);
    assert_string_equal(err.text, "record seq 1 (A --on--> B) is of revision 0 "
                                  "(revisions start at 1)");
    r.revision = 1;
    assert_int_equal(dosm_replay(def, &start, &r, 1, &out, &bad, &err), DOSM_OK);
    assert_int_equal(out.state, dosm_state_find(def, "B"));
}

/* ---- snapshots ---- */

static void test_revision_0_does_not_decode(void **state)
{
    dosm_instance inst = at("C", 7), kept = inst;
    char text[DOSM_SNAPSHOT_MAX];
    dosm_error err;
    (void)state;
    assert_int_equal(dosm_encode(def, &inst, text, sizeof text), DOSM_OK);
    assert_int_equal(text[5], '2'); /* "flow@2." */
    text[5] = '0';
    assert_int_equal(dosm_decode(def, text, &inst, &err), DOSM_E_REVISION);
    assert_string_equal(err.text, "the snapshot is of revision 0 of flow, but "
                                  "revisions start at 1");
    assert_memory_equal(&inst, &kept, sizeof inst);
}

/* A callback that decodes into its own order: the decoded value stands
 * (before, the step's value silently overwrote it). */
typedef struct decoder {
    dosm_instance *order;
    const char *text;
    int code;
} decoder;

static void decode_in_callback(const dosm_callback_info *info, void *user)
{
    decoder *k = user;
    dosm_error err;
    k->code = dosm_decode(info->def, k->text, k->order, &err);
}

static void test_decode_from_a_callback_stands(void **state)
{
    dosm_instance order = at("B", 5), saved = at("C", 9);
    char text[DOSM_SNAPSHOT_MAX];
    dosm_request on = request("on"), go = request("go");
    decoder k;
    dosm_host *h = dosm_host_new(def, NULL);
    (void)state;
    assert_int_equal(dosm_encode(def, &saved, text, sizeof text), DOSM_OK);
    k.order = &order;
    k.text = text;
    k.code = -1;
    assert_non_null(h);
    assert_int_equal(dosm_host_on(h, DOSM_ON_TRANSITION, decode_in_callback, &k), DOSM_OK);
    assert_int_equal(dosm_host_on(h, DOSM_ON_REJECT, decode_in_callback, &k), DOSM_OK);
    assert_int_equal(dosm_fire(def, h, &order, &on, NULL), DOSM_OK);
    assert_int_equal(k.code, DOSM_OK);
    assert_memory_equal(&order, &saved, sizeof order);
    /* the same in a rejection's callback: go is not allowed in C */
    order = at("B", 5);
    k.code = -1;
    assert_int_equal(dosm_fire(def, h, &order, &go, NULL), DOSM_R_NOT_ALLOWED);
    assert_int_equal(k.code, DOSM_OK);
    assert_memory_equal(&order, &saved, sizeof order);
    dosm_host_free(h);
}

/* ---- an unknown event by index has a name in the reject callback ---- */

static void remember_event(const dosm_callback_info *info, void *user)
{
    const char **name = user;
    *name = info->event;
}

static void test_unknown_index_is_named(void **state)
{
    dosm_instance order = at("A", 0);
    dosm_request none = request(NULL);
    dosm_outcome out;
    const char *seen = "unset";
    dosm_host *h = dosm_host_new(def, NULL);
    (void)state;
    assert_non_null(h);
    assert_int_equal(dosm_host_on(h, DOSM_ON_REJECT, remember_event, &seen), DOSM_OK);
    assert_int_equal(dosm_fire_index(def, h, &order, 99, &none, &out),
                     DOSM_R_UNKNOWN_EVENT);
    assert_non_null(seen);
    assert_string_equal(seen, "?");
    assert_string_equal(out.text, "'?' is not an event of workflow flow");
    dosm_host_free(h);
}

/* ---- what an attack on the fixes above found ---- */

/* A guard that writes through its (const) pointer changes only its own
 * copy: the order takes the step fire chose, from where it was. */
static int scribbling_guard(const dosm_callback_info *info, void *user)
{
    const dosm_def *d = info->def;
    const dosm_instance *inst = info->before;
    const dosm_request *req = info->request;
    dosm_instance *copy = (dosm_instance *)(uintptr_t)inst; /* as a host might */
    dosm_request on = request("on");
    (void)req;
    (void)user;
    assert_int_equal(dosm_fire(d, NULL, copy, &on, NULL), DOSM_OK);
    copy->seq = UINT32_MAX;
    return 1;
}

static void test_guard_writing_its_copy_changes_nothing(void **state)
{
    dosm_host *h = dosm_host_new(def, NULL);
    dosm_instance order = at("A", 3);
    dosm_request go = request("go");
    dosm_outcome out;
    (void)state;
    assert_non_null(h);
    assert_int_equal(dosm_host_bind_guard(h, "ok", scribbling_guard, NULL), DOSM_OK);
    assert_int_equal(dosm_fire(def, h, &order, &go, &out), DOSM_OK);
    assert_string_equal(out.record.from, "A");
    assert_string_equal(out.record.to, "B");
    assert_int_equal(order.state, dosm_state_find(def, "B"));
    assert_int_equal(order.seq, 4);
    dosm_host_free(h);
}

/* A payload lookup is the host's code too: firing on the order from it
 * is refused, and the order keeps its seq. */
typedef struct looker {
    dosm_instance *order;
    int inner_code;
} looker;

static const char *meddling_lookup(void *user, const char *name)
{
    looker *k = user;
    dosm_request on = request("on");
    (void)name;
    k->inner_code = dosm_fire(def, NULL, k->order, &on, NULL);
    return "1Z999";
}

static void test_payload_lookup_firing_on_its_order_is_refused(void **state)
{
    dosm_instance order = at("C", UINT32_MAX - 1);
    looker k;
    dosm_values payload = {NULL, 0, meddling_lookup, NULL};
    dosm_request end = request("end");
    dosm_outcome out;
    (void)state;
    k.order = &order;
    k.inner_code = -1;
    payload.lookup_user = &k;
    end.payload = &payload;
    assert_int_equal(dosm_fire(def, NULL, &order, &end, &out), DOSM_OK);
    assert_int_equal(k.inner_code, DOSM_E_REENTRANT);
    assert_string_equal(out.record.from, "C");
    assert_int_equal(order.state, dosm_state_find(def, "Z"));
    assert_int_equal(order.seq, UINT32_MAX);
}

/* After a callback decoded into the order, the callbacks after it still
 * find the order busy. */
typedef struct decode_then_fire {
    dosm_instance *order;
    const char *text;
    int fire_code, reconcile_code;
} decode_then_fire;

static void decode_step(const dosm_callback_info *info, void *user)
{
    decode_then_fire *k = user;
    assert_int_equal(dosm_decode(info->def, k->text, k->order, NULL), DOSM_OK);
}

static void fire_step(const dosm_callback_info *info, void *user)
{
    decode_then_fire *k = user;
    dosm_request end = request("end");
    k->fire_code = dosm_fire(info->def, NULL, k->order, &end, NULL);
    k->reconcile_code = dosm_reconcile(info->def, NULL, k->order, "Z", NULL, NULL);
}

static void test_order_stays_busy_after_a_decode(void **state)
{
    dosm_instance order = at("B", 5), saved = at("C", 9);
    char text[DOSM_SNAPSHOT_MAX];
    dosm_request on = request("on");
    decode_then_fire k = {NULL, NULL, -1, -1};
    dosm_host *h = dosm_host_new(def, NULL);
    (void)state;
    assert_non_null(h);
    assert_int_equal(dosm_encode(def, &saved, text, sizeof text), DOSM_OK);
    k.order = &order;
    k.text = text;
    assert_int_equal(dosm_host_on(h, DOSM_ON_TRANSITION, decode_step, &k), DOSM_OK);
    assert_int_equal(dosm_host_bind_effect(h, "note", fire_step, &k), DOSM_OK);
    assert_int_equal(dosm_fire(def, h, &order, &on, NULL), DOSM_OK);
    assert_int_equal(k.fire_code, DOSM_E_REENTRANT);
    assert_int_equal(k.reconcile_code, DOSM_E_REENTRANT);
    assert_memory_equal(&order, &saved, sizeof order);
    dosm_host_free(h);
}

/* Reconcile stops where a callback replaced the order, instead of going
 * on from the replacement (which wrapped seq) or blaming the guards. */
static void test_reconcile_stops_at_a_replaced_order(void **state)
{
    dosm_instance order = at("A", 0), replacement = at("B", UINT32_MAX);
    char text[DOSM_SNAPSHOT_MAX];
    decoder k;
    dosm_host *h = dosm_host_new(def, NULL);
    dosm_outcome out;
    (void)state;
    assert_non_null(h);
    replacement.previous = (int16_t)dosm_state_find(def, "A");
    assert_int_equal(dosm_encode(def, &replacement, text, sizeof text), DOSM_OK);
    k.order = &order;
    k.text = text;
    k.code = -1;
    assert_int_equal(dosm_host_on(h, DOSM_ON_TRANSITION, decode_in_callback, &k), DOSM_OK);
    /* A -> B -> C; the first step's callback decodes B#4294967295 */
    assert_int_equal(dosm_reconcile(def, h, &order, "C", NULL, &out), DOSM_E_REENTRANT);
    assert_string_equal(out.text, "a callback replaced the order while "
                                  "reconciling, after 1 of 2 steps: it stays "
                                  "as the callback left it");
    assert_memory_equal(&order, &replacement, sizeof order);
    dosm_host_free(h);
}

/* Renaming an effect changes what runs and what is recorded: the hash. */
static void test_hash_covers_effect_names(void **state)
{
    static const char a[] =
        "dosm: 1\nname: fx\ntitle: Fx\nrevision: 1\ninitial: A\n"
        "effects: { notify: n }\nstates:\n"
        "  A: { label: A, external: { fhir: requested } }\n"
        "  Z: { label: Z, final: true, external: { fhir: completed } }\n"
        "events: { e: }\ntransitions:\n"
        "  - { event: e, from: A, to: Z, effects: [notify] }\n";
    char b[sizeof a + 16];
    dosm_def *da = load_text(a), *db;
    const char *at_notify = strstr(a, "notify: n");
    (void)state;
    snprintf(b, sizeof b, "%.*srefund: n%s", (int)(at_notify - a), a,
             at_notify + strlen("notify: n"));
    *strstr(b, "[notify]") = '\0';
    snprintf(b + strlen(b), sizeof b - strlen(b), "[refund] }\n");
    db = load_text(b);
    assert_int_not_equal(dosm_def_hash(da), dosm_def_hash(db));
    dosm_def_free(da);
    dosm_def_free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guard_firing_on_its_order_is_refused),
        cmocka_unit_test(test_guard_firing_while_reconciling_is_refused),
        cmocka_unit_test(test_guards_never_get_a_null_request),
        cmocka_unit_test(test_hash_delimits_names),
        cmocka_unit_test(test_hash_of_0_1_0_still_decodes),
        cmocka_unit_test(test_seq_does_not_wrap),
        cmocka_unit_test(test_reconcile_refuses_a_path_seq_cannot_count),
        cmocka_unit_test(test_replay_does_not_wrap),
        cmocka_unit_test(test_revision_0_does_not_decode),
        cmocka_unit_test(test_decode_from_a_callback_stands),
        cmocka_unit_test(test_unknown_index_is_named),
        cmocka_unit_test(test_guard_writing_its_copy_changes_nothing),
        cmocka_unit_test(test_payload_lookup_firing_on_its_order_is_refused),
        cmocka_unit_test(test_order_stays_busy_after_a_decode),
        cmocka_unit_test(test_reconcile_stops_at_a_replaced_order),
        cmocka_unit_test(test_hash_covers_effect_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
