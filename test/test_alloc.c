/* Allocation failure at every allocation of every public call that
 * allocates: fail the 1st, 2nd, ... Nth until the call succeeds, and check
 * each time the documented error, no leak, and the caller's data intact. */
#include "support.h"

#include <dirent.h>
#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* Returns how many failures were injected before the load succeeded. */
static long sweep_load(const char *yaml, size_t len)
{
    int problems;
    long n = sweep_allocations(yaml, len, &problems);
    assert_int_equal(problems, 0);
    return n;
}

static char *lab;
static size_t lab_len;

static int setup(void **state)
{
    (void)state;
    lab = read_file(LAB_PATH, &lab_len);
    return lab ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(lab);
    return 0;
}

static void test_load_sweep(void **state)
{
    long n;
    (void)state;
    n = sweep_load(lab, lab_len);
    print_message("lab: %ld allocations failed in turn\n", n);
    assert_true(n >= 5);
}

static void test_load_sweep_shipped(void **state)
{
    DIR *d = opendir(DOSM_SOURCE_DIR "/states");
    struct dirent *e;
    int files = 0;
    (void)state;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char path[512];
        size_t len, n = strlen(e->d_name);
        char *yaml;
        if (n < 6 || strcmp(e->d_name + n - 5, ".yaml") != 0)
            continue;
        snprintf(path, sizeof path, DOSM_SOURCE_DIR "/states/%s", e->d_name);
        yaml = read_file(path, &len);
        assert_non_null(yaml);
        print_message("%s: %ld\n", e->d_name, sweep_load(yaml, len));
        free(yaml);
        files++;
    }
    closedir(d);
    print_message("%d shipped workflows swept\n", files);
}

static void test_failing_load_with_errors_does_not_leak(void **state)
{
    /* Out of memory while already reporting errors still says NOMEM. */
    const char *yaml = "dosm: 1\nname: x\ntitle: T\nrevision: 1\ninitial: Q\n"
                       "states: { A: { label: A } }\nevents: { go: }\n"
                       "transitions: [ { event: og, from: A, to: B } ]\n";
    test_alloc t;
    dosm_allocator a = test_allocator(&t);
    dosm_load_options opt;
    long n;
    (void)state;
    dosm_load_options_init(&opt);
    opt.allocator = &a;
    for (n = 1; n < 200; n++) {
        dosm_def *def = NULL;
        int rc;
        memset(&t, 0, sizeof t);
        t.fail_at = n;
        rc = dosm_load(yaml, strlen(yaml), "e", &opt, &def, NULL);
        assert_int_equal(t.live, 0);
        assert_null(def);
        if (t.count < n) {
            assert_int_equal(rc, DOSM_D_INITIAL);
            return;
        }
        assert_int_equal(rc, DOSM_E_NOMEM);
    }
    fail_msg("never finished");
}

static void test_host_and_path_sweep(void **state)
{
    dosm_def *def = load_lab();
    test_alloc t;
    dosm_allocator a = test_allocator(&t);
    dosm_host *h;
    long n;
    (void)state;
    for (n = 1;; n++) {
        memset(&t, 0, sizeof t);
        t.fail_at = n;
        h = dosm_host_new(def, &a);
        if (h)
            break;
        assert_int_equal(t.live, 0);
    }
    assert_int_equal(n, 2); /* one allocation, failed once */
    dosm_host_free(h);
    assert_int_equal(t.live, 0);
    dosm_def_free(def);
}

/* Preparing attributes makes one allocation for the set and one per
 * value kept; each failure leaves nothing behind and says DOSM_E_NOMEM. */
static void test_prepare_sweep(void **state)
{
    static const dosm_pair pairs[] = {{"units", "3"}, {"site", "lab"}};
    const dosm_values values = {pairs, 2, NULL, NULL};
    dosm_def *def = load_lab();
    test_alloc t;
    dosm_allocator a = test_allocator(&t);
    dosm_attributes *pa;
    long n;
    (void)state;
    for (n = 1;; n++) {
        memset(&t, 0, sizeof t);
        t.fail_at = n;
        int rc = dosm_attributes_prepare(def, &values, &a, &pa);
        if (rc == DOSM_OK)
            break;
        assert_int_equal(rc, DOSM_E_NOMEM);
        assert_null(pa);
        assert_int_equal(t.live, 0);
    }
    assert_int_equal(n, 4); /* three allocations, each failed once */
    assert_int_equal(t.live, 3);
    dosm_attributes_free(pa);
    assert_int_equal(t.live, 0);
    dosm_def_free(def);
}

/* Searches allocate through the definition's allocator. */
static void test_reconcile_sweep(void **state)
{
    test_alloc t;
    dosm_allocator a = test_allocator(&t);
    dosm_load_options opt;
    dosm_def *def = NULL;
    dosm_instance inst, before;
    dosm_outcome out;
    dosm_step steps[4];
    size_t len;
    long n, base;
    (void)state;
    memset(&t, 0, sizeof t);
    dosm_load_options_init(&opt);
    opt.allocator = &a;
    assert_int_equal(dosm_load(lab, lab_len, "r", &opt, &def, NULL),
                     DOSM_OK);
    before = inst = dosm_instance_initial(def);
    base = t.count;
    t.fail_at = base + 1;
    assert_int_equal(dosm_reconcile(def, NULL, &inst, "ON_HOLD", NULL, &out),
                     DOSM_E_NOMEM);
    assert_memory_equal(&inst, &before, sizeof inst);
    assert_int_equal(dosm_path(def, NULL, &inst, 1, NULL, steps, 4, &len, &out),
                     DOSM_OK); /* the failure was one-shot */
    t.fail_at = t.count + 1;
    assert_int_equal(dosm_path(def, NULL, &inst, 1, NULL, steps, 4, &len, &out),
                     DOSM_E_NOMEM);
    n = t.live;
    assert_int_equal(dosm_reconcile(def, NULL, &inst, "ON_HOLD", NULL, &out),
                     DOSM_OK);
    assert_int_equal(t.live, n); /* the work area was given back */
    dosm_def_free(def);
    assert_int_equal(t.live, 0);
}

/* Firing and queries never allocate. */
static void test_fire_does_not_allocate(void **state)
{
    test_alloc t;
    dosm_allocator a = test_allocator(&t);
    dosm_load_options opt;
    dosm_def *def = NULL;
    dosm_instance inst;
    dosm_request req;
    dosm_outcome out;
    dosm_choice opts[8];
    char buf[DOSM_SNAPSHOT_MAX];
    long before;
    (void)state;
    memset(&t, 0, sizeof t);
    dosm_load_options_init(&opt);
    opt.allocator = &a;
    assert_int_equal(dosm_load(lab, lab_len, "f", &opt, &def, NULL),
                     DOSM_OK);
    before = t.count;
    inst = dosm_instance_initial(def);
    memset(&req, 0, sizeof req);
    req.event = "scan";
    assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_OK);
    assert_int_equal(dosm_fire(def, NULL, &inst, &req, &out), DOSM_R_NOT_ALLOWED);
    assert_int_equal(dosm_try(def, NULL, &inst, &req, &out), DOSM_R_NOT_ALLOWED);
    assert_int_equal(dosm_choices(def, NULL, &inst, &req, opts, 8), 3);
    assert_int_equal(dosm_encode(def, &inst, buf, sizeof buf), DOSM_OK);
    assert_int_equal(dosm_decode(def, buf, &inst, NULL), DOSM_OK);
    assert_int_equal(dosm_state_find(def, "In review"), 3);
    assert_int_equal(t.count, before);
    dosm_def_free(def);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_sweep),
        cmocka_unit_test(test_load_sweep_shipped),
        cmocka_unit_test(test_failing_load_with_errors_does_not_leak),
        cmocka_unit_test(test_host_and_path_sweep),
        cmocka_unit_test(test_prepare_sweep),
        cmocka_unit_test(test_reconcile_sweep),
        cmocka_unit_test(test_fire_does_not_allocate),
    };
    return cmocka_run_group_tests_name("alloc_failure", tests, setup, teardown);
}
