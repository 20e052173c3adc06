/* One definition shared by 8 threads, each firing a pseudo-random walk on
 * its own instances: the results equal a single-threaded run (and the
 * sanitizer build finds no race). */
#include "support.h"

#include <pthread.h>
#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#define THREADS 8
#define STEPS 20000

typedef struct walk {
    const dosm_def *def;
    uint32_t seed;
    uint64_t digest; /* of every outcome, in order */
    uint32_t accepted;
} walk;

static uint32_t next_random(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void *run_walk(void *arg)
{
    walk *w = arg;
    dosm_pair p[4] = {{"software_version", "2.2"}, {"scan_type", "full_arch"},
                      {"units", "2"}, {"site", "local"}};
    dosm_values attrs = {p, 4, NULL, NULL};
    dosm_pair t = {"tracking_number", "1Z"};
    dosm_values payload = {&t, 1, NULL, NULL};
    dosm_instance inst = dosm_instance_initial(w->def);
    int events = (int)dosm_event_count(w->def), i;
    for (i = 0; i < STEPS; i++) {
        dosm_request req;
        dosm_outcome out;
        int rc;
        memset(&req, 0, sizeof req);
        req.event = dosm_event_name(w->def, (int)(next_random(&w->seed) % (uint32_t)events));
        req.attributes = &attrs;
        req.payload = strcmp(req.event, "ship") == 0 ? &payload : NULL;
        rc = dosm_fire(w->def, NULL, &inst, &req, &out);
        w->digest = w->digest * 1099511628211u + (uint64_t)rc * 131u + inst.state;
        w->accepted += rc == DOSM_OK;
        if (dosm_state_get(w->def, inst.state, &(dosm_state_info){0}) == DOSM_OK &&
            (inst.state == (uint16_t)dosm_state_find(w->def, "SHIPPED") ||
             inst.state == (uint16_t)dosm_state_find(w->def, "CANCELLED")))
            inst = dosm_instance_initial(w->def);
    }
    return NULL;
}

static void test_shared_definition(void **state)
{
    dosm_def *def = load_lab();
    walk alone[THREADS], shared[THREADS];
    pthread_t th[THREADS];
    int i;
    (void)state;
    for (i = 0; i < THREADS; i++) {
        walk w = {def, (uint32_t)(i * 7919 + 1), 0, 0};
        alone[i] = shared[i] = w;
        run_walk(&alone[i]);
    }
    for (i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, run_walk, &shared[i]), 0);
    for (i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    for (i = 0; i < THREADS; i++) {
        assert_true(alone[i].digest == shared[i].digest);
        assert_int_equal(alone[i].accepted, shared[i].accepted);
        assert_true(alone[i].accepted > STEPS / 20);
    }
    dosm_def_free(def);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_definition),
    };
    return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
