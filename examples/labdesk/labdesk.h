/* labdesk: a small lab management host around libdosm. The library decides
 * what may happen to an order; labdesk owns everything else: the feed, the
 * database, the clock (the feed's times, checked against the machine's
 * clock or --now) and what effects do. */
#ifndef LABDESK_H
#define LABDESK_H

#include <dosm.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes (documented in labdesk --help). */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_DATABASE = 3 };

#define ID_MAX 65          /* order ids and workflow names, NUL included */
#define ATTRS_MAX 1024     /* an order's attributes as stored JSON text */
#define FIELDS_MAX 16      /* attributes or payload fields of one update */
#define TURNAROUND (INT64_C(10) * 86400) /* a new case is due in ten days */

/* Copies a string into a char array, cut to fit. */
#define COPY(array, text) ((void)snprintf((array), sizeof(array), "%s", (text)))

/* ---- feed.c: one JSON Lines update (jansson), and flat JSON objects ---- */

typedef struct fields {
    size_t count;
    dosm_pair pairs[FIELDS_MAX];
    char text[ATTRS_MAX]; /* the names and values pairs point into */
    size_t used;
} fields;

typedef struct update {
    char order[ID_MAX];
    char workflow[ID_MAX];
    char event[ID_MAX];   /* "" when the update is an observed status */
    char status[ID_MAX];  /* "" when the update is an event */
    char vocab[ID_MAX];   /* the vocabulary of a raw vendor status, or "" */
    char time_text[64];   /* as the feed wrote it */
    int64_t time;         /* seconds since 1970, from the feed */
    fields attributes;
    fields payload;
    unsigned long ignored;   /* keys labdesk does not know */
    char first_ignored[ID_MAX];
} update;

/* Parses one feed line; on failure returns 0 with a sentence in @p error. */
int feed_parse(const char *line, update *u, char *error, size_t size);
/* Parses a flat object of scalars (stored attributes) into @p f. */
int fields_parse(const char *json, fields *f, char *error, size_t size);
/* Writes @p f as a JSON object, names sorted; 0 when it does not fit. */
int fields_format(const fields *f, char *out, size_t size);
/* Sets name=value in @p f, replacing an earlier value; 0 when full. */
int fields_set(fields *f, const char *name, const char *value);
/* RFC 3339 ("2026-11-02T09:15:00.123+01:00") -> seconds since 1970;
 * seconds -> "2026-11-02T08:15:00Z". */
int time_parse(const char *text, int64_t *out);
void time_format(int64_t t, char *out, size_t size); /* ISO 8601 */
void date_format(int64_t t, char *out, size_t size); /* YYYY-MM-DD */

/* ---- catalog.c: workflow definitions, loaded on first use ---- */

typedef struct workflow {
    char name[ID_MAX];
    dosm_def *def;
    dosm_host *host; /* set by apply.c when it first applies an update */
} workflow;

typedef struct catalog {
    const char *dir;
    size_t count;
    workflow items[16];
} catalog;

/* The workflow called @p name from DIR/NAME.yaml, or NULL with a sentence
 * in @p error (unknown name, unreadable or invalid file). */
workflow *catalog_get(catalog *c, const char *name, char *error, size_t size);
void catalog_free(catalog *c);

/* ---- store.c, store_sqlite.c, store_pg.c: the database ---- */

/* Results of store calls: RETRY is a lost race (another writer changed the
 * order, or the database was busy): roll back and start again from the
 * read. */
enum { STORE_OK = 0, STORE_RETRY = 1, STORE_FAIL = 2 };

typedef struct order_row {
    char id[ID_MAX];
    char workflow[ID_MAX];
    char instance[DOSM_SNAPSHOT_MAX]; /* dosm_encode's snapshot string */
    uint32_t seq;                     /* the instance's, for the WHERE */
    char attributes[ATTRS_MAX];       /* a flat JSON object */
    int has_due;                      /* 0: none (a red status, until the
                                         clinic acts); NULL in the table */
    int64_t due;                      /* the ship date, when has_due */
    int64_t updated;                  /* feed time of the last change */
} order_row;

/* One line of the append-only log: an accepted step (outcome "accepted",
 * as dosm_record gives it) or an update that changed nothing ("rejected"
 * with the library's reason, or "stale" for an out-of-order update). */
typedef struct log_row {
    char order_id[ID_MAX];
    int64_t time;
    char workflow[ID_MAX];
    uint32_t revision;
    uint32_t seq;
    char from[ID_MAX], event[ID_MAX], to[ID_MAX];
    char effects[256];  /* space-separated */
    char outcome[16];
    char reason[DOSM_TEXT_MAX];
} log_row;

typedef struct note_row {
    char order_id[ID_MAX];
    int64_t time;
    char text[256];
} note_row;

typedef struct store store;
typedef void (*order_fn)(const order_row *row, void *user);
typedef void (*log_fn)(const log_row *row, void *user);
typedef void (*note_fn)(const note_row *row, void *user);

/* What a backend provides: run one SQL statement with text parameters
 * ($1, $2, ...), hand each result row's columns as text to @p fn, and
 * count the rows it changed. Everything else, SQL included, is shared. */
typedef void (*row_fn)(const char *const *columns, void *user);
typedef struct backend {
    int (*exec)(store *s, const char *sql, int count,
                const char *const *params, row_fn fn, void *user,
                long *changed);
    void (*close)(store *s);
    const char *begin;  /* the statement that starts a transaction */
    const char *serial; /* the type of an auto-numbered primary key */
    const char *schema_lock; /* run before creating tables, or NULL */
} backend;

struct store {
    const backend *be;
    char error[512]; /* the last failure, a sentence */
};

/* Opens "postgresql://..." (or "postgres://...") with libpq, anything else
 * as an SQLite file, and creates the tables when missing. Returns NULL
 * with a sentence in @p error. */
store *store_open(const char *url, char *error, size_t size);
store *store_sqlite_open(const char *path, char *error, size_t size);
store *store_pg_open(const char *url, char *error, size_t size);
void store_close(store *s);

int store_begin(store *s);
int store_commit(store *s);
void store_rollback(store *s);
/* Sets *found; fills @p row when found. */
int store_read_order(store *s, const char *id, order_row *row, int *found);
/* Inserts (@p is_new) or updates the order WHERE seq = @p expected_seq;
 * STORE_RETRY when another writer got there first. */
int store_write_order(store *s, const order_row *row, int is_new,
                      uint32_t expected_seq);
int store_append_log(store *s, const log_row *row);
int store_queue_note(store *s, const note_row *row);
/* Every order (in no particular order); every log line, of one order or
 * of all when @p order_id is NULL, and every notification, in the order
 * they were written. */
int store_each_order(store *s, order_fn fn, void *user);
int store_each_log(store *s, const char *order_id, log_fn fn, void *user);
int store_each_note(store *s, note_fn fn, void *user);

/* ---- apply.c ---- */

typedef struct apply_stats {
    unsigned long lines, applied, unchanged, rejected, stale, bad, retries;
    unsigned long ignored;         /* unknown keys, over all lines */
    unsigned long first_ignored_line;
    char first_ignored[ID_MAX];
} apply_stats;

/* The clock a feed is checked against: a time more than @c tolerance
 * seconds after @c now is refused, so that no order stores a time that
 * would make every real update after it look out of order. */
typedef struct feed_clock {
    int64_t now;
    int64_t tolerance;
} feed_clock;

/* Applies every line of @p in (named @p name in messages). Returns
 * EXIT_OK, EXIT_FAILED when some lines were bad, or EXIT_DATABASE. */
int apply_feed(store *s, catalog *c, FILE *in, const char *name,
               const feed_clock *fc, apply_stats *stats);

/* ---- dashboard.c and history.c ---- */

/* A growing array of @c size-byte items; @c failed once out of memory. */
typedef struct rows {
    void *items;
    size_t count, cap, size;
    int failed;
} rows;
/* Room for one more item at the end, or NULL (and @c failed). */
void *rows_push(rows *r);

/* The dashboard as seen at @p now: as text on stdout, or as a web page
 * written to @p html when it is not NULL. */
int dashboard_write(store *s, catalog *c, int64_t now, const char *html);
int history_print(store *s, FILE *out);
int history_verify(store *s, catalog *c, FILE *out);

#endif
