/* The SQLite backend. SQLite has one writer at a time: a transaction that
 * read and then wants to write after another writer committed fails with
 * SQLITE_BUSY at once, and two busy processes can starve each other that
 * way. So transactions start IMMEDIATE (taking the write lock, waiting for
 * it up to the busy timeout) and the seq check stays as the safety net for
 * writers that do not. The WAL journal lets readers (dashboard, verify)
 * read while a feed is applied. */
#include "labdesk.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define CACHED 16
#define MAX_COLUMNS 16

typedef struct sqlite_store {
    store base;
    sqlite3 *db;
    /* Prepared statements by SQL text: labdesk runs a dozen, again and
     * again. */
    char *sql[CACHED];
    sqlite3_stmt *stmt[CACHED];
} sqlite_store;

static int fail(sqlite_store *q, int rc)
{
    snprintf(q->base.error, sizeof q->base.error, "SQLite: %s",
             sqlite3_errmsg(q->db));
    rc &= 0xFF;
    return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? STORE_RETRY : STORE_FAIL;
}

static int prepare(sqlite_store *q, const char *sql, sqlite3_stmt **out)
{
    size_t i;
    int rc;
    for (i = 0; i < CACHED && q->sql[i]; i++)
        if (strcmp(q->sql[i], sql) == 0) {
            *out = q->stmt[i];
            return SQLITE_OK;
        }
    if ((rc = sqlite3_prepare_v2(q->db, sql, -1, out, NULL)) != SQLITE_OK)
        return rc;
    if (i < CACHED && (q->sql[i] = malloc(strlen(sql) + 1)) != NULL) {
        memcpy(q->sql[i], sql, strlen(sql) + 1);
        q->stmt[i] = *out;
    }
    return SQLITE_OK;
}

static void done(sqlite_store *q, sqlite3_stmt *st)
{
    size_t i;
    i = 0;
    while (i < CACHED && q->sql[i] && q->stmt[i] != st)
        i++;
    if (i < CACHED && q->sql[i]) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        sqlite3_finalize(st);
    }
}

static int sqlite_exec(store *s, const char *sql, int count,
                       const char *const *params, row_fn fn, void *user,
                       long *changed)
{
    sqlite_store *q = (sqlite_store *)s;
    sqlite3_stmt *st;
    const char *columns[MAX_COLUMNS];
    int rc, i, n;
    if ((rc = prepare(q, sql, &st)) != SQLITE_OK)
        return fail(q, rc);
    for (i = 0; i < count; i++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", i + 1);
        sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, name),
                          params[i], -1, SQLITE_STATIC);
    }
    n = sqlite3_column_count(st);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (i = 0; i < n && i < MAX_COLUMNS; i++) {
            const unsigned char *text = sqlite3_column_text(st, i);
            columns[i] = text ? (const char *)text : "";
        }
        if (fn)
            fn(columns, user);
    }
    *changed = sqlite3_changes(q->db);
    if (rc != SQLITE_DONE) {
        rc = fail(q, rc);
        done(q, st);
        return rc;
    }
    done(q, st);
    return STORE_OK;
}

static void sqlite_close(store *s)
{
    sqlite_store *q = (sqlite_store *)s;
    size_t i;
    for (i = 0; i < CACHED && q->sql[i]; i++) {
        sqlite3_finalize(q->stmt[i]);
        free(q->sql[i]);
    }
    sqlite3_close(q->db);
    free(q);
}

/* Switching a new database to WAL takes a lock that the busy handler does
 * not wait for, so two processes opening it at once saw "database is
 * locked": wait for it here, as long as the busy timeout would. */
static int use_wal(store *s)
{
    long ignored;
    int rc = STORE_RETRY, tries;
    for (tries = 0; tries < 200 && rc == STORE_RETRY; tries++) {
        rc = sqlite_exec(s, "PRAGMA journal_mode = WAL", 0, NULL, NULL, NULL,
                         &ignored);
        if (rc == STORE_RETRY)
            sqlite3_sleep(50);
    }
    return rc;
}

static const backend sqlite_backend = {sqlite_exec, sqlite_close,
                                       "BEGIN IMMEDIATE",
                                       "INTEGER PRIMARY KEY", NULL};

store *store_sqlite_open(const char *path, char *error, size_t size)
{
    sqlite_store *q = calloc(1, sizeof *q);
    if (!q) {
        snprintf(error, size, "out of memory");
        return NULL;
    }
    q->base.be = &sqlite_backend;
    if (sqlite3_open_v2(path, &q->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(q->db, 10000) != SQLITE_OK ||
        use_wal(&q->base) != STORE_OK) {
        snprintf(error, size, "cannot open SQLite database %s: %s", path,
                 q->db ? sqlite3_errmsg(q->db) : "out of memory");
        sqlite_close(&q->base);
        return NULL;
    }
    return &q->base;
}
