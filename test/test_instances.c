/* Instances as values: snapshots and their corruptions, renamed states,
 * restart fallback, paths and reconciliation, rollups and history replay. */
#include "support.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static dosm_def *def;
static char hash[9];

static int setup(void **state)
{
    (void)state;
    def = load_lab();
    if (!def)
        return -1;
    snprintf(hash, sizeof hash, "%08x", (unsigned)dosm_def_hash(def));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    dosm_def_free(def);
    return 0;
}

static int S(const char *id)
{
    return dosm_state_find(def, id);
}

static void test_encode_decode_round_trip(void **state)
{
    dosm_instance inst = dosm_instance_initial(def), back;
    char buf[DOSM_SNAPSHOT_MAX], want[64];
    dosm_error err;
    (void)state;
    assert_int_equal(dosm_encode(def, &inst, buf, sizeof buf), DOSM_OK);
    snprintf(want, sizeof want, "lab@3.%s:NEW#0", hash);
    assert_string_equal(buf, want);
    inst.state = (uint16_t)S("ON_HOLD");
    inst.previous = (int16_t)S("DESIGN");
    inst.seq = 4294967295u;
    assert_int_equal(dosm_encode(def, &inst, buf, sizeof buf), DOSM_OK);
    snprintf(want, sizeof want, "lab@3.%s:ON_HOLD<DESIGN#4294967295", hash);
    assert_string_equal(buf, want);
    assert_int_equal(dosm_decode(def, buf, &back, &err), DOSM_OK);
    assert_memory_equal(&back, &inst, sizeof inst);
    assert_int_equal(err.code, DOSM_OK);
    /* Too small a buffer: an error and an empty string, never a cut one. */
    assert_int_equal(dosm_encode(def, &inst, buf, 10), DOSM_E_BUFFER);
    assert_string_equal(buf, "");
    inst.state = 77;
    assert_int_equal(dosm_encode(def, &inst, buf, sizeof buf), DOSM_E_STATE);
}

/* Sequence numbers at every digit count's edges, written as printf's %u
 * writes them and read back. */
static void test_encode_seq_digits(void **state)
{
    static const uint32_t seqs[] = {
        0u, 1u, 9u, 10u, 11u, 99u, 100u, 101u, 999u, 1000u, 1009u, 9999u,
        10000u, 10001u, 99999u, 100000u, 123456789u, 999999999u,
        1000000000u, 4000000009u, 4294967294u};
    dosm_instance inst = dosm_instance_initial(def), back;
    char buf[DOSM_SNAPSHOT_MAX], want[64];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
        inst.seq = seqs[i];
        assert_int_equal(dosm_encode(def, &inst, buf, sizeof buf), DOSM_OK);
        snprintf(want, sizeof want, "lab@3.%s:NEW#%u", hash, seqs[i]);
        assert_string_equal(buf, want);
        assert_int_equal(dosm_decode(def, buf, &back, NULL), DOSM_OK);
        assert_int_equal(back.seq, seqs[i]);
    }
}

static void test_decode_rejects_corruption(void **state)
{
    static const struct {
        const char *fmt; /* %s is the true hash */
        int code;
    } cases[] = {
        {"", DOSM_E_SNAPSHOT},
        {"lab", DOSM_E_SNAPSHOT},
        {"lab@", DOSM_E_SNAPSHOT},
        {"lab@3", DOSM_E_SNAPSHOT},
        {"lab@3.%s", DOSM_E_SNAPSHOT},
        {"lab@3.%s:", DOSM_E_SNAPSHOT},
        {"lab@3.%s:NEW", DOSM_E_SNAPSHOT},
        {"lab@3.%s:NEW#", DOSM_E_SNAPSHOT},
        {"lab@3.%s:NEW#x", DOSM_E_SNAPSHOT},
        {"lab@3.%s:NEW#1 ", DOSM_E_SNAPSHOT},
        {"lab@3.%s:NEW#4294967296", DOSM_E_SNAPSHOT},
        {"lab@3.%s:NEW#-1", DOSM_E_SNAPSHOT},
        {"lab@3.%s:NEW#007", DOSM_E_SNAPSHOT},
        {"lab@03.%s:NEW#7", DOSM_E_SNAPSHOT},
        {"lab@3.%s:new#1", DOSM_E_SNAPSHOT},
        {"lab@3.%s:NEW<#1", DOSM_E_SNAPSHOT},
        {"lab@3.ABCDEF12:NEW#1", DOSM_E_SNAPSHOT},
        {"lab@3.1234567:NEW#1", DOSM_E_SNAPSHOT},
        {"lab@x.%s:NEW#1", DOSM_E_SNAPSHOT},
        {"LAB@3.%s:NEW#1", DOSM_E_SNAPSHOT},
        {"dwos@3.%s:NEW#1", DOSM_E_WORKFLOW},
        {"labs@3.%s:NEW#1", DOSM_E_WORKFLOW},
        {"lab@4.%s:NEW#1", DOSM_E_REVISION},
        {"lab@3.00000000:NEW#1", DOSM_E_REVISION},
        {"lab@3.%s:NOWHERE#1", DOSM_E_NAME},
        {"lab@3.%s:PRODUCTION#1", DOSM_E_NAME},
        {"lab@3.%s:NEW<PRODUCTION#1", DOSM_E_NAME},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dosm_instance inst = {7, 7, 7}, before = inst;
        dosm_error err;
        char text[80];
        snprintf(text, sizeof text, cases[i].fmt, hash);
        if (strcmp(hash, "00000000") == 0 && cases[i].code == DOSM_E_REVISION)
            continue;
        print_message("decode '%s'\n", text);
        assert_int_equal(dosm_decode(def, text, &inst, &err), cases[i].code);
        assert_int_equal(err.code, cases[i].code);
        assert_true(strlen(err.text) > 10);
        assert_memory_equal(&inst, &before, sizeof inst);
    }
    assert_int_equal(dosm_decode(def, NULL, &(dosm_instance){0, 0, 0}, NULL),
                     DOSM_E_ARG);
}

/* Two revisions of one small workflow: revision 2 renamed REVIEW. */
#define SMALL(rev, review, renamed)                                         \
    "dosm: 1\nname: small\ntitle: S\nrevision: " rev "\ninitial: A\n"       \
    "states:\n"                                                             \
    "  A: { label: A, external: { fhir: requested } }\n"                    \
    "  " review ": { label: R, " renamed "external: { fhir: ready } }\n"     \
    "  Z: { label: Z, final: true, external: { fhir: completed } }\n"       \
    "events:\n  go:\n  done:\n"                                             \
    "transitions:\n"                                                        \
    "  - { event: go, from: A, to: " review " }\n"                          \
    "  - { event: done, from: " review ", to: Z }\n"

static void test_renamed_states_decode(void **state)
{
    dosm_def *v1 = load_text(SMALL("1", "REVIEW", ""));
    dosm_def *v2 = load_text(SMALL("2", "LAB_REVIEW", "renamed_from: [REVIEW], "));
    dosm_instance inst = {0, DOSM_NO_STATE, 5}, back;
    char buf[DOSM_SNAPSHOT_MAX];
    dosm_error err;
    (void)state;
    inst.state = (uint16_t)dosm_state_find(v1, "REVIEW");
    inst.previous = (int16_t)dosm_state_find(v1, "A");
    assert_int_equal(dosm_encode(v1, &inst, buf, sizeof buf), DOSM_OK);
    assert_int_equal(dosm_decode(v2, buf, &back, &err), DOSM_OK);
    assert_int_equal(back.state, dosm_state_find(v2, "LAB_REVIEW"));
    assert_int_equal(back.previous, dosm_state_find(v2, "A"));
    assert_int_equal(back.seq, 5);
    /* The old id is only understood in snapshots of older revisions. */
    assert_int_equal(dosm_state_find(v2, "REVIEW"), -1);
    assert_int_equal(dosm_encode(v2, &back, buf, sizeof buf), DOSM_OK);
    assert_non_null(strstr(buf, "small@2."));
    assert_non_null(strstr(buf, ":LAB_REVIEW<A#5"));
    /* A newer snapshot does not decode into an older definition. */
    assert_int_equal(dosm_decode(v1, buf, &inst, &err), DOSM_E_REVISION);
    dosm_def_free(v1);
    dosm_def_free(v2);
}

static void test_restart_falls_back(void **state)
{
    dosm_instance inst = dosm_instance_initial(def);
    dosm_outcome out;
    (void)state;
    inst.state = (uint16_t)S("UPLOADING");
    inst.previous = (int16_t)S("DESIGN");
    inst.seq = 9;
    assert_int_equal(dosm_restart(def, &inst, 555, &out), DOSM_OK);
    assert_int_equal(inst.state, S("MILLING"));
    assert_int_equal(inst.previous, S("UPLOADING"));
    assert_int_equal(inst.seq, 10);
    assert_string_equal(out.record.event, DOSM_EVENT_RESTART);
    assert_string_equal(out.record.from, "UPLOADING");
    assert_string_equal(out.record.to, "MILLING");
    assert_int_equal(out.record.time, 555);
    assert_int_equal(out.has_deadline, 1); /* MILLING has a timeout */
    assert_int_equal(dosm_restart(def, &inst, 556, &out), DOSM_R_NOT_ALLOWED);
    assert_int_equal(inst.seq, 10);
}

static dosm_values version_attrs(dosm_pair *p, const char *version)
{
    dosm_values v;
    memset(&v, 0, sizeof v);
    p[0].name = "software_version";
    p[0].value = version;
    p[1].name = "scan_type";
    p[1].value = "full_arch";
    v.pairs = p;
    v.count = 2;
    return v;
}

static void test_path_honours_guards(void **state)
{
    dosm_instance inst = dosm_instance_initial(def);
    dosm_pair p[2];
    dosm_values attrs = version_attrs(p, "3.0");
    dosm_request req;
    dosm_outcome out;
    dosm_step steps[8];
    size_t n = 99;
    (void)state;
    memset(&req, 0, sizeof req);
    req.attributes = &attrs;
    assert_int_equal(dosm_path(def, NULL, &inst, S("REVIEW"), &req, steps, 8,
                               &n, &out),
                     DOSM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(steps[0].from, S("NEW"));
    assert_string_equal(dosm_event_name(def, steps[0].event), "scan");
    assert_int_equal(steps[1].to, S("REVIEW"));
    attrs = version_attrs(p, "2.2");
    assert_int_equal(dosm_path(def, NULL, &inst, S("REVIEW"), &req, steps, 8,
                               &n, &out),
                     DOSM_OK);
    assert_int_equal(n, 3);
    assert_int_equal(steps[1].to, S("OPTIMIZING"));
    assert_int_equal(dosm_path(def, NULL, &inst, S("REVIEW"), &req, steps, 2,
                               &n, &out),
                     DOSM_E_BUFFER);
    assert_int_equal(n, 3);
    assert_int_equal(dosm_path(def, NULL, &inst, S("NEW"), &req, steps, 8, &n,
                               &out),
                     DOSM_OK);
    assert_int_equal(n, 0);
    /* The named guard is unbound (false): DESIGN cannot be reached. */
    assert_int_equal(dosm_path(def, NULL, &inst, S("DESIGN"), &req, steps, 8,
                               &n, &out),
                     DOSM_R_NO_PATH);
    assert_string_equal(out.text, "NEW cannot become DESIGN: the order's "
                                  "attributes or the guards block every path");
    inst.state = (uint16_t)S("SHIPPED");
    assert_int_equal(dosm_path(def, NULL, &inst, S("NEW"), &req, steps, 8, &n,
                               &out),
                     DOSM_R_NO_PATH);
    assert_string_equal(out.text, "SHIPPED cannot become NEW: no sequence of "
                                  "transitions leads there");
    assert_int_equal(dosm_path(def, NULL, &inst, S("PRODUCTION"), &req, steps,
                               8, &n, &out),
                     DOSM_E_ARG);
}

typedef struct trail {
    char seen[16][40];
    int n;
} trail;

static void on_transition(const dosm_callback_info *info, void *user)
{
    trail *t = user;
    if (t->n < 16)
        snprintf(t->seen[t->n++], 40, "%s>%s", info->record->from,
                 info->record->to);
}

static int yes(const dosm_callback_info *info, void *u)
{
    const dosm_def *d = info->def;
    const dosm_instance *i = info->before;
    const dosm_request *r = info->request;
    (void)d; (void)i; (void)r; (void)u;
    return 1;
}

static void test_reconcile_applies_each_step(void **state)
{
    dosm_host *h = dosm_host_new(def, NULL);
    dosm_instance inst = dosm_instance_initial(def), before;
    dosm_pair p[3];
    dosm_values attrs = version_attrs(p, "2.2");
    dosm_request req;
    dosm_outcome out;
    trail t;
    (void)state;
    memset(&t, 0, sizeof t);
    memset(&req, 0, sizeof req);
    p[2].name = "units";
    p[2].value = "1";
    attrs.count = 3;
    req.attributes = &attrs;
    dosm_host_on(h, DOSM_ON_TRANSITION, on_transition, &t);
    dosm_host_bind_guard(h, "files_ok", yes, NULL);
    /* Missed statuses: the server already says "Design" (by its label). */
    assert_int_equal(dosm_reconcile(def, h, &inst, "design", &req, &out), DOSM_OK);
    assert_int_equal(inst.state, S("DESIGN"));
    assert_int_equal(inst.seq, 4);
    assert_int_equal(t.n, 4);
    assert_string_equal(t.seen[0], "NEW>SCANNING");
    assert_string_equal(t.seen[1], "SCANNING>OPTIMIZING");
    assert_string_equal(t.seen[2], "OPTIMIZING>REVIEW");
    assert_string_equal(t.seen[3], "REVIEW>DESIGN");
    assert_string_equal(out.record.to, "DESIGN");
    /* A history step: from ON_HOLD back to where it was. */
    assert_int_equal(dosm_reconcile(def, h, &inst, "On hold", &req, &out), DOSM_OK);
    assert_int_equal(dosm_reconcile(def, h, &inst, "DESIGN", &req, &out), DOSM_OK);
    assert_string_equal(out.record.event, "resume");
    assert_int_equal(inst.seq, 6);
    /* Impossible and unknown observations change nothing. */
    before = inst;
    assert_int_equal(dosm_reconcile(def, h, &inst, "New", &req, &out),
                     DOSM_R_NO_PATH);
    assert_int_equal(dosm_reconcile(def, h, &inst, "Teleported", &req, &out),
                     DOSM_E_NAME);
    assert_int_equal(dosm_reconcile(def, h, &inst, NULL, &req, &out),
                     DOSM_E_NAME);
    assert_memory_equal(&inst, &before, sizeof inst);
    assert_int_equal(dosm_reconcile(def, h, &inst, "Design", &req, &out), DOSM_OK);
    assert_int_equal(inst.seq, 6);
    dosm_host_free(h);
}

static void test_rollup(void **state)
{
    dosm_def *small = load_text(SMALL("1", "REVIEW", ""));
    dosm_instance items[3];
    (void)state;
    items[0] = items[1] = items[2] = dosm_instance_initial(def);
    items[0].state = items[1].state = items[2].state = (uint16_t)S("DESIGN");
    assert_int_equal(dosm_rollup(def, items, 3), S("DESIGN"));
    items[2].state = (uint16_t)S("MILLING");
    assert_int_equal(dosm_rollup(def, items, 3), S("MIXED"));
    assert_int_equal(dosm_rollup(def, items, 0), -1);
    items[1].state = 999;
    assert_int_equal(dosm_rollup(def, items, 3), -1);
    /* Without a mixed status, the least advanced item's state. */
    items[0] = items[1] = items[2] = dosm_instance_initial(small);
    items[0].state = (uint16_t)dosm_state_find(small, "Z");
    items[1].state = (uint16_t)dosm_state_find(small, "REVIEW");
    assert_int_equal(dosm_rollup(small, items, 2), dosm_state_find(small, "REVIEW"));
    assert_int_equal(dosm_rollup(small, items, 3), dosm_state_find(small, "A"));
    dosm_def_free(small);
}

/* The document's own example: "the order has 2 prosthesis and one is
 * manufactured but the other not yet" rolls up to SEVERAL. */
static void test_dwos_rollup(void **state)
{
    char *yaml = read_file(DOSM_SOURCE_DIR "/states/dwos-connect.yaml", NULL);
    dosm_def *dwos;
    dosm_instance items[2];
    (void)state;
    assert_non_null(yaml);
    dwos = load_text(yaml);
    free(yaml);
    items[0] = items[1] = dosm_instance_initial(dwos);
    items[0].state = (uint16_t)dosm_state_find(dwos, "SHIPPING");
    items[1].state = (uint16_t)dosm_state_find(dwos, "WAITING_FOR_MANUFACTURING");
    assert_int_equal(dosm_rollup(dwos, items, 2), dosm_state_find(dwos, "SEVERAL"));
    items[1].state = items[0].state;
    assert_int_equal(dosm_rollup(dwos, items, 2), dosm_state_find(dwos, "SHIPPING"));
    dosm_def_free(dwos);
}

/* Records a real history by firing, as a host would log it. */
static size_t record_history(dosm_record *log, dosm_instance *end)
{
    static const char *events[] = {"scan", "hold", "resume", "hold", "cancel"};
    dosm_instance inst = dosm_instance_initial(def);
    size_t i;
    for (i = 0; i < 5; i++) {
        dosm_request req;
        dosm_outcome out;
        memset(&req, 0, sizeof req);
        req.event = events[i];
        assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_OK);
        log[i] = out.record;
    }
    *end = inst;
    return 5;
}

static void test_replay(void **state)
{
    dosm_record log[5], bad[5];
    dosm_instance end, rebuilt;
    dosm_error err;
    size_t n = record_history(log, &end), at = 99;
    (void)state;
    assert_int_equal(dosm_replay(def, NULL, log, n, &rebuilt, &at, &err), DOSM_OK);
    assert_memory_equal(&rebuilt, &end, sizeof end);
    assert_int_equal(at, 99);

    memcpy(bad, log, sizeof log);
    bad[2].event = "scan"; /* not how ON_HOLD leaves */
    assert_int_equal(dosm_replay(def, NULL, bad, n, &rebuilt, &at, &err),
                     DOSM_E_HISTORY);
    assert_int_equal(at, 2);
    assert_string_equal(err.text, "record seq 3 (ON_HOLD --scan--> SCANNING) "
                                  "is not a transition of the workflow");
    memcpy(bad, log, sizeof log);
    bad[1].seq = 7;
    assert_int_equal(dosm_replay(def, NULL, bad, n, &rebuilt, &at, &err),
                     DOSM_E_HISTORY);
    assert_int_equal(at, 1);
    assert_non_null(strstr(err.text, "breaks the sequence"));
    memcpy(bad, log, sizeof log);
    bad[3].from = "NEW";
    assert_int_equal(dosm_replay(def, NULL, bad, n, &rebuilt, &at, &err),
                     DOSM_E_HISTORY);
    assert_int_equal(at, 3);
    memcpy(bad, log, sizeof log);
    bad[0].workflow = "dwos-connect";
    assert_int_equal(dosm_replay(def, NULL, bad, n, &rebuilt, &at, &err),
                     DOSM_E_HISTORY);
    assert_int_equal(at, 0);
    memcpy(bad, log, sizeof log);
    bad[2].to = "NEW"; /* resume goes back to SCANNING, where it was */
    assert_int_equal(dosm_replay(def, NULL, bad, n, &rebuilt, &at, &err),
                     DOSM_E_HISTORY);
    assert_int_equal(at, 2);
    assert_int_equal(dosm_replay(def, NULL, NULL, 1, &rebuilt, &at, &err),
                     DOSM_E_ARG);
}

static void test_replay_restart_record(void **state)
{
    dosm_instance start = dosm_instance_initial(def), inst, rebuilt;
    dosm_outcome out;
    dosm_record rec;
    (void)state;
    start.state = (uint16_t)S("UPLOADING");
    inst = start;
    assert_int_equal(dosm_restart(def, &inst, 0, &out), DOSM_OK);
    rec = out.record;
    assert_int_equal(dosm_replay(def, &start, &rec, 1, &rebuilt, NULL, NULL),
                     DOSM_OK);
    assert_memory_equal(&rebuilt, &inst, sizeof inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_decode_round_trip),
        cmocka_unit_test(test_encode_seq_digits),
        cmocka_unit_test(test_decode_rejects_corruption),
        cmocka_unit_test(test_renamed_states_decode),
        cmocka_unit_test(test_restart_falls_back),
        cmocka_unit_test(test_path_honours_guards),
        cmocka_unit_test(test_reconcile_applies_each_step),
        cmocka_unit_test(test_rollup),
        cmocka_unit_test(test_dwos_rollup),
        cmocka_unit_test(test_replay),
        cmocka_unit_test(test_replay_restart_record),
    };
    return cmocka_run_group_tests_name("instances", tests, setup, teardown);
}
