/* The PostgreSQL backend, through libpq. Transactions are READ COMMITTED:
 * an UPDATE ... WHERE seq = $n that meets a row another transaction
 * changed waits for it, re-reads the row, and then changes nothing. */
#include "labdesk.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLUMNS 16

typedef struct pg_store {
    store base;
    PGconn *conn;
} pg_store;

static void quiet(void *user, const char *message)
{
    (void)user, (void)message; /* "relation already exists, skipping" */
}

static void set_error(pg_store *p, const char *message)
{
    size_t n;
    snprintf(p->base.error, sizeof p->base.error, "PostgreSQL: %s", message);
    n = strlen(p->base.error);
    while (n && p->base.error[n - 1] == '\n')
        p->base.error[--n] = '\0';
}

static int pg_exec(store *s, const char *sql, int count,
                   const char *const *params, row_fn fn, void *user,
                   long *changed)
{
    pg_store *p = (pg_store *)s;
    PGresult *res = PQexecParams(p->conn, sql, count, NULL, params, NULL,
                                 NULL, 0);
    ExecStatusType status = PQresultStatus(res);
    const char *columns[MAX_COLUMNS];
    int row, i, n;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        /* serialization failure, deadlock: try the update again */
        int retry = state && (strcmp(state, "40001") == 0 ||
                              strcmp(state, "40P01") == 0);
        set_error(p, PQerrorMessage(p->conn));
        PQclear(res);
        return retry ? STORE_RETRY : STORE_FAIL;
    }
    n = PQnfields(res);
    for (row = 0; fn && row < PQntuples(res); row++) {
        for (i = 0; i < n && i < MAX_COLUMNS; i++)
            columns[i] = PQgetvalue(res, row, i);
        fn(columns, user);
    }
    *changed = strtol(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return STORE_OK;
}

static void pg_close(store *s)
{
    pg_store *p = (pg_store *)s;
    PQfinish(p->conn);
    free(p);
}

/* Two processes creating the same table at once collide in PostgreSQL's
 * catalog even with IF NOT EXISTS: one lock serialises them. */
static const backend pg_backend = {pg_exec, pg_close, "BEGIN",
                                   "BIGSERIAL PRIMARY KEY",
                                   "SELECT pg_advisory_xact_lock(7355608)"};

store *store_pg_open(const char *url, char *error, size_t size)
{
    pg_store *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(error, size, "out of memory");
        return NULL;
    }
    p->base.be = &pg_backend;
    p->conn = PQconnectdb(url);
    if (!p->conn || PQstatus(p->conn) != CONNECTION_OK) {
        set_error(p, p->conn ? PQerrorMessage(p->conn) : "out of memory");
        snprintf(error, size, "cannot connect to %s: %s", url, p->base.error);
        pg_close(&p->base);
        return NULL;
    }
    PQsetNoticeProcessor(p->conn, quiet, NULL);
    return &p->base;
}
