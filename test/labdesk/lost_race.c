/* The optimistic check itself, on either backend: a writer that read an
 * order before another writer moved it on must lose (STORE_RETRY) and
 * change nothing, whether the processes of the concurrency test happen to
 * overlap or not. Usage: lost_race DB (an SQLite path or postgresql://). */
#include "labdesk.h"

#include <stdio.h>
#include <string.h>

static int failures;

static void expect(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "lost_race: %s\n", what);
        failures++;
    }
}

static order_row order_at(uint32_t seq, const char *instance)
{
    order_row row;
    memset(&row, 0, sizeof row);
    strcpy(row.id, "RACE-1");
    strcpy(row.workflow, "itero-lab-connector");
    snprintf(row.instance, sizeof row.instance, "%s", instance);
    row.seq = seq;
    strcpy(row.attributes, "{}");
    return row;
}

int main(int argc, char **argv)
{
    char error[512];
    store *a, *b;
    order_row read, mine = order_at(1, "mine"), theirs = order_at(1, "theirs");
    int found = 0;
    if (argc != 2) {
        fprintf(stderr, "usage: lost_race DB\n");
        return 2;
    }
    a = store_open(argv[1], error, sizeof error);
    b = a ? store_open(argv[1], error, sizeof error) : NULL;
    if (!a || !b) {
        fprintf(stderr, "lost_race: %s\n", error);
        return 1;
    }
    /* the order exists at seq 0; a second creation loses */
    read = order_at(0, "first");
    expect(store_begin(a) == STORE_OK && store_write_order(a, &read, 1, 0) == STORE_OK &&
               store_commit(a) == STORE_OK,
           "creating the order failed");
    expect(store_begin(b) == STORE_OK && store_write_order(b, &read, 1, 0) == STORE_RETRY,
           "creating it again did not lose");
    store_rollback(b);
    /* a reads seq 0; b moves the order to seq 1; a's write on seq 0 loses */
    expect(store_read_order(a, "RACE-1", &read, &found) == STORE_OK && found &&
               read.seq == 0,
           "a did not read seq 0");
    expect(store_begin(b) == STORE_OK && store_write_order(b, &theirs, 0, 0) == STORE_OK &&
               store_commit(b) == STORE_OK,
           "b's write failed");
    expect(store_begin(a) == STORE_OK && store_write_order(a, &mine, 0, read.seq) == STORE_RETRY,
           "a's write on a stale seq did not lose");
    store_rollback(a);
    expect(store_read_order(a, "RACE-1", &read, &found) == STORE_OK && found &&
               read.seq == 1 && strcmp(read.instance, "theirs") == 0,
           "the order is not b's");
    store_close(b);
    store_close(a);
    if (failures == 0)
        printf("lost_race: the stale writer lost, the order is the winner's\n");
    return failures ? 1 : 0;
}
