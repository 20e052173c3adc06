/* The log: printing it, and replaying it through dosm_replay to prove
 * that every order's stored instance is where its history leads. */
#include "labdesk.h"

#include <stdlib.h>
#include <string.h>

static void print_log(const log_row *r, void *user)
{
    FILE *out = user;
    char when[32];
    time_format(r->time, when, sizeof when);
    if (strcmp(r->outcome, "accepted") == 0)
        fprintf(out, "%s %s #%lu %s -> %s by %s%s%s%s\n", when, r->order_id,
                (unsigned long)r->seq, r->from, r->to, r->event,
                r->effects[0] ? " [" : "", r->effects,
                r->effects[0] ? "]" : "");
    else
        fprintf(out, "%s %s %s in %s#%lu (%s %s): %s\n", when, r->order_id,
                r->outcome, r->from, (unsigned long)r->seq,
                r->event[0] ? "event" : "status",
                r->event[0] ? r->event : r->to, r->reason);
}

static void print_note(const note_row *n, void *user)
{
    FILE *out = user;
    char when[32];
    time_format(n->time, when, sizeof when);
    fprintf(out, "%s notify: %s\n", when, n->text);
}

int history_print(store *s, FILE *out)
{
    if (store_each_log(s, NULL, print_log, out) != STORE_OK ||
        store_each_note(s, print_note, out) != STORE_OK) {
        fprintf(stderr, "labdesk: %s\n", s->error);
        return EXIT_DATABASE;
    }
    return EXIT_OK;
}

/* ---- verify ---- */

void *rows_push(rows *r)
{
    if (r->count == r->cap) {
        void *bigger = realloc(r->items, (r->cap = r->cap * 2 + 32) * r->size);
        if (!bigger) {
            r->failed = 1;
            return NULL;
        }
        r->items = bigger;
    }
    return (char *)r->items + r->count++ * r->size;
}

static void keep_order(const order_row *row, void *user)
{
    order_row *slot = rows_push(user);
    if (slot)
        *slot = *row;
}

static void keep_step(const log_row *row, void *user)
{
    log_row *slot;
    if (strcmp(row->outcome, "accepted") != 0)
        return;
    if ((slot = rows_push(user)) != NULL)
        *slot = *row;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const order_row *)a)->id, ((const order_row *)b)->id);
}

/* Splits a log row's space-separated effects in place into names; returns
 * how many (a row holds fewer than sizeof effects / 2 of them). */
static size_t split_effects(char *text, const char **names)
{
    size_t n = 0;
    char *p = text;
    while (*p) {
        while (*p == ' ')
            *p++ = '\0';
        if (*p)
            names[n++] = p;
        while (*p && *p != ' ')
            p++;
    }
    return n;
}

/* Replays one order's accepted steps from the initial state, effects
 * included; 1 when they lead exactly to the stored instance. */
static int verify_order(store *s, catalog *c, const order_row *o, FILE *out,
                        int *db_failed)
{
    rows steps = {NULL, 0, 0, sizeof(log_row), 0};
    log_row *l;
    dosm_record *records = NULL;
    const char **names = NULL; /* every step's effects */
    dosm_instance stored, rebuilt;
    dosm_error err;
    char error[512];
    size_t i, bad = 0;
    workflow *w = catalog_get(c, o->workflow, error, sizeof error);
    int ok = 0;
    if (store_each_log(s, o->id, keep_step, &steps) != STORE_OK) {
        *db_failed = 1;
        return 0;
    }
    l = steps.items;
    if (!w) {
        fprintf(out, "%s FAILED: %s\n", o->id, error);
    } else if (dosm_decode(w->def, o->instance, &stored, &err) != DOSM_OK) {
        fprintf(out, "%s FAILED: stored instance %s: %s\n", o->id,
                o->instance, err.text);
    } else if (steps.failed ||
               !(records = calloc(steps.count + 1, sizeof *records)) ||
               !(names = calloc(steps.count * (sizeof l->effects / 2) + 1,
                                sizeof *names))) {
        fprintf(out, "%s FAILED: out of memory\n", o->id);
    } else {
        size_t used = 0;
        for (i = 0; i < steps.count; i++) {
            records[i].effects = names + used;
            records[i].effect_count = split_effects(l[i].effects, names + used);
            used += records[i].effect_count;
            records[i].workflow = l[i].workflow;
            records[i].revision = l[i].revision;
            records[i].seq = l[i].seq;
            records[i].from = l[i].from;
            records[i].event = l[i].event;
            records[i].to = l[i].to;
            records[i].time = l[i].time;
        }
        if (dosm_replay(w->def, NULL, records, steps.count, &rebuilt, &bad,
                        &err) != DOSM_OK)
            fprintf(out, "%s FAILED: log step %lu: %s\n", o->id,
                    (unsigned long)bad + 1, err.text);
        else if (memcmp(&rebuilt, &stored, sizeof stored) != 0)
            fprintf(out, "%s FAILED: the log leads to %s#%lu, the order is %s\n",
                    o->id, dosm_state_id(w->def, rebuilt.state),
                    (unsigned long)rebuilt.seq, o->instance);
        else
            ok = fprintf(out, "%s ok: %lu step%s to %s#%lu\n", o->id,
                         (unsigned long)steps.count,
                         steps.count == 1 ? "" : "s",
                         dosm_state_id(w->def, rebuilt.state),
                         (unsigned long)rebuilt.seq) > 0;
    }
    free(names);
    free(records);
    free(steps.items);
    return ok;
}

int history_verify(store *s, catalog *c, FILE *out)
{
    rows orders = {NULL, 0, 0, sizeof(order_row), 0};
    size_t i, good = 0;
    int db_failed = 0;
    if (store_each_order(s, keep_order, &orders) != STORE_OK || orders.failed) {
        fprintf(stderr, "labdesk: %s\n",
                orders.failed ? "out of memory" : s->error);
        free(orders.items);
        return EXIT_DATABASE;
    }
    if (orders.count)
        qsort(orders.items, orders.count, orders.size, by_id);
    for (i = 0; i < orders.count && !db_failed; i++)
        good += (size_t)verify_order(s, c, (order_row *)orders.items + i, out,
                                     &db_failed);
    free(orders.items);
    if (db_failed) {
        fprintf(stderr, "labdesk: %s\n", s->error);
        return EXIT_DATABASE;
    }
    fprintf(out, "%lu of %lu orders replay to their stored state\n",
            (unsigned long)good, (unsigned long)i);
    return good == i ? EXIT_OK : EXIT_FAILED;
}
