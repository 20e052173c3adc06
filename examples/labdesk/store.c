/* The database, once for both backends: the schema, every statement and
 * the conversion of rows. A backend only runs SQL (store_sqlite.c,
 * store_pg.c); parameters are $1, $2, ..., which both understand. */
#include "labdesk.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int create_schema(store *s);

store *store_open(const char *url, char *error, size_t size)
{
    store *s;
    if (strncmp(url, "postgresql://", 13) == 0 ||
        strncmp(url, "postgres://", 11) == 0)
        s = store_pg_open(url, error, size);
    else
        s = store_sqlite_open(url, error, size);
    if (s && create_schema(s) != STORE_OK) {
        snprintf(error, size, "%s", s->error);
        store_close(s);
        return NULL;
    }
    return s;
}

void store_close(store *s)
{
    if (s)
        s->be->close(s);
}

static int run(store *s, const char *sql, int count, const char *const *params,
               row_fn fn, void *user, long *changed)
{
    long ignored;
    return s->be->exec(s, sql, count, params, fn, user,
                       changed ? changed : &ignored);
}

static int create_schema(store *s)
{
    /* Column types that mean the same to SQLite and PostgreSQL; only the
     * auto-numbered key of the append-only tables differs. An order's due
     * is NULL while it has no due date (clear_due_date). */
    static const char *const tables[] = {
        "CREATE TABLE IF NOT EXISTS orders ("
        " id TEXT PRIMARY KEY, workflow TEXT NOT NULL,"
        " instance TEXT NOT NULL, seq BIGINT NOT NULL,"
        " attributes TEXT NOT NULL, due BIGINT,"
        " updated BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS log ("
        " id %s, order_id TEXT NOT NULL, time BIGINT NOT NULL,"
        " workflow TEXT NOT NULL, revision BIGINT NOT NULL,"
        " seq BIGINT NOT NULL, from_state TEXT NOT NULL,"
        " event TEXT NOT NULL, to_state TEXT NOT NULL,"
        " effects TEXT NOT NULL, outcome TEXT NOT NULL,"
        " reason TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS log_by_order ON log (order_id, id)",
        "CREATE TABLE IF NOT EXISTS notifications ("
        " id %s, order_id TEXT NOT NULL, time BIGINT NOT NULL,"
        " text TEXT NOT NULL)"};
    char sql[512];
    size_t i;
    int rc = store_begin(s);
    if (rc == STORE_OK && s->be->schema_lock)
        rc = run(s, s->be->schema_lock, 0, NULL, NULL, NULL, NULL);
    for (i = 0; i < sizeof tables / sizeof *tables && rc == STORE_OK; i++) {
        snprintf(sql, sizeof sql, tables[i], s->be->serial);
        rc = run(s, sql, 0, NULL, NULL, NULL, NULL);
    }
    if (rc == STORE_OK && (rc = store_commit(s)) == STORE_OK)
        return STORE_OK;
    store_rollback(s);
    return rc;
}

int store_begin(store *s)
{
    return run(s, s->be->begin, 0, NULL, NULL, NULL, NULL);
}

int store_commit(store *s)
{
    return run(s, "COMMIT", 0, NULL, NULL, NULL, NULL);
}

void store_rollback(store *s)
{
    char keep[sizeof s->error];
    COPY(keep, s->error); /* the failure that made us roll back */
    run(s, "ROLLBACK", 0, NULL, NULL, NULL, NULL);
    COPY(s->error, keep);
}

/* Numbers travel as text, like every other parameter. */
typedef struct numbers {
    char text[8][24];
} numbers;

static const char *num(numbers *n, int i, int64_t v)
{
    snprintf(n->text[i], sizeof n->text[i], "%" PRId64, v);
    return n->text[i];
}

static int64_t to_int(const char *text)
{
    return (int64_t)strtoll(text, NULL, 10);
}

#define ORDER_COLUMNS "id, workflow, instance, seq, attributes, due, updated"

static void to_order(const char *const *c, order_row *row)
{
    COPY(row->id, c[0]);
    COPY(row->workflow, c[1]);
    COPY(row->instance, c[2]);
    row->seq = (uint32_t)to_int(c[3]);
    COPY(row->attributes, c[4]);
    /* both backends give a NULL column as "" */
    row->has_due = c[5][0] != '\0';
    row->due = row->has_due ? to_int(c[5]) : 0;
    row->updated = to_int(c[6]);
}

typedef struct found_order {
    order_row *row;
    int *found;
} found_order;

static void one_order(const char *const *columns, void *user)
{
    found_order *f = user;
    to_order(columns, f->row);
    *f->found = 1;
}

int store_read_order(store *s, const char *id, order_row *row, int *found)
{
    found_order f;
    f.row = row;
    f.found = found;
    *found = 0;
    return run(s, "SELECT " ORDER_COLUMNS " FROM orders WHERE id = $1", 1, &id,
               one_order, &f, NULL);
}

int store_write_order(store *s, const order_row *row, int is_new,
                      uint32_t expected_seq)
{
    numbers n = {{""}};
    const char *p[8];
    long changed = 0;
    int rc;
    p[0] = row->id;
    p[1] = row->workflow;
    p[2] = row->instance;
    p[3] = num(&n, 3, row->seq);
    p[4] = row->attributes;
    p[5] = row->has_due ? num(&n, 5, row->due) : NULL; /* NULL: SQL NULL */
    p[6] = num(&n, 6, row->updated);
    p[7] = num(&n, 7, expected_seq);
    /* Both statements change no row when another writer was first: it
     * created the order, or moved it on from the seq we read. */
    if (is_new)
        rc = run(s,
                 "INSERT INTO orders (" ORDER_COLUMNS ")"
                 " VALUES ($1, $2, $3, $4, $5, $6, $7)"
                 " ON CONFLICT (id) DO NOTHING",
                 7, p, NULL, NULL, &changed);
    else
        rc = run(s,
                 "UPDATE orders SET instance = $3, seq = $4, attributes = $5,"
                 " due = $6, updated = $7 WHERE id = $1 AND seq = $8"
                 " AND workflow = $2",
                 8, p, NULL, NULL, &changed);
    return rc == STORE_OK && changed == 0 ? STORE_RETRY : rc;
}

#define LOG_COLUMNS                                                            \
    "order_id, time, workflow, revision, seq, from_state, event, to_state,"    \
    " effects, outcome, reason"

int store_append_log(store *s, const log_row *row)
{
    numbers n = {{""}};
    const char *p[11];
    p[0] = row->order_id;
    p[1] = num(&n, 1, row->time);
    p[2] = row->workflow;
    p[3] = num(&n, 3, row->revision);
    p[4] = num(&n, 4, row->seq);
    p[5] = row->from;
    p[6] = row->event;
    p[7] = row->to;
    p[8] = row->effects;
    p[9] = row->outcome;
    p[10] = row->reason;
    return run(s,
               "INSERT INTO log (" LOG_COLUMNS ") VALUES"
               " ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
               11, p, NULL, NULL, NULL);
}

int store_queue_note(store *s, const note_row *row)
{
    numbers n = {{""}};
    const char *p[3];
    p[0] = row->order_id;
    p[1] = num(&n, 1, row->time);
    p[2] = row->text;
    return run(s,
               "INSERT INTO notifications (order_id, time, text)"
               " VALUES ($1, $2, $3)",
               3, p, NULL, NULL, NULL);
}

typedef struct each {
    order_fn order;
    log_fn log;
    note_fn note;
    void *user;
} each;

static void each_order_row(const char *const *columns, void *user)
{
    each *e = user;
    order_row row;
    memset(&row, 0, sizeof row); /* cppcheck cannot see to_order fill it */
    to_order(columns, &row);
    e->order(&row, e->user);
}

int store_each_order(store *s, order_fn fn, void *user)
{
    each e;
    e.order = fn;
    e.user = user;
    return run(s, "SELECT " ORDER_COLUMNS " FROM orders", 0, NULL,
               each_order_row, &e, NULL);
}

static void each_log_row(const char *const *c, void *user)
{
    each *e = user;
    log_row row;
    COPY(row.order_id, c[0]);
    row.time = to_int(c[1]);
    COPY(row.workflow, c[2]);
    row.revision = (uint32_t)to_int(c[3]);
    row.seq = (uint32_t)to_int(c[4]);
    COPY(row.from, c[5]);
    COPY(row.event, c[6]);
    COPY(row.to, c[7]);
    COPY(row.effects, c[8]);
    COPY(row.outcome, c[9]);
    COPY(row.reason, c[10]);
    e->log(&row, e->user);
}

int store_each_log(store *s, const char *order_id, log_fn fn, void *user)
{
    each e;
    e.log = fn;
    e.user = user;
    if (!order_id)
        return run(s, "SELECT " LOG_COLUMNS " FROM log ORDER BY id", 0, NULL,
                   each_log_row, &e, NULL);
    return run(s,
               "SELECT " LOG_COLUMNS " FROM log WHERE order_id = $1"
               " ORDER BY id",
               1, &order_id, each_log_row, &e, NULL);
}

static void each_note_row(const char *const *c, void *user)
{
    each *e = user;
    note_row row;
    COPY(row.order_id, c[0]);
    row.time = to_int(c[1]);
    COPY(row.text, c[2]);
    e->note(&row, e->user);
}

int store_each_note(store *s, note_fn fn, void *user)
{
    each e;
    e.note = fn;
    e.user = user;
    return run(s, "SELECT order_id, time, text FROM notifications ORDER BY id",
               0, NULL, each_note_row, &e, NULL);
}
