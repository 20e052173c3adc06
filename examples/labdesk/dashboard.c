/* The dashboard, for the people who run the lab: what needs a call today
 * comes first. Open orders by attention colour and then due date, overdue
 * ones flagged, with the time each has spent in its status; finished
 * orders apart; the updates that changed nothing, with the library's
 * sentence; queued notifications; counts. Every section is a table of
 * text cells, printed as columns or as an HTML table from the same cells. */
#include "labdesk.h"

#include <stdlib.h>
#include <string.h>

#define CELLS 7
#define CELL_MAX 256

typedef struct line {
    order_row row;
    dosm_state_info state;
    const char *fhir;
    uint32_t key;
    int64_t since; /* when the order entered its status */
    char status[CELL_MAX];
} line;

typedef struct tally {
    const char *workflow; /* NULL in the FHIR counts */
    const char *name;
    unsigned long count;
} tally;

typedef struct board {
    catalog *c;
    int64_t now;
    rows lines;    /* line: open orders first, then finished ones */
    size_t open;   /* how many are open */
    size_t overdue;
    rows nothing;  /* log_row: updates that changed nothing */
    size_t rejected;
    rows notes;    /* note_row */
    rows states;   /* tally, by workflow and status */
    rows fhir;     /* tally, by FHIR Task status */
    int failed;
} board;

#define LINE(b, i) (((line *)(b)->lines.items)[i])

/* Lower case letters and digits, every other run as one space. */
static void words(const char *s, char *out, size_t size)
{
    size_t n = 0;
    int gap = 0;
    for (; *s && n + 2 < size; s++) {
        char ch = *s >= 'A' && *s <= 'Z' ? (char)(*s + 32) : *s;
        if ((ch < 'a' || ch > 'z') && (ch < '0' || ch > '9')) {
            gap = n > 0;
            continue;
        }
        if (gap)
            out[n++] = ' ';
        gap = 0;
        out[n++] = ch;
    }
    out[n] = '\0';
}

/* A label written as a constant (NOT_AVAILABLE) reads as the others do
 * (Not available); the id follows only when its words are not the
 * label's, for whoever looks it up in the vendor's documentation. */
static void status_text(const dosm_state_info *st, char *out, size_t size)
{
    char a[CELL_MAX], b[CELL_MAX];
    size_t n = strlen(st->label);
    (void)snprintf(out, size, "%s", st->label);
    if (strspn(out, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == n) {
        size_t i;
        for (i = 1; out[i]; i++)
            out[i] = out[i] == '_' ? ' '
                     : out[i] >= 'A' && out[i] <= 'Z' ? (char)(out[i] + 32)
                                                      : out[i];
    }
    words(st->label, a, sizeof a);
    words(st->id, b, sizeof b);
    n = strlen(out);
    if (strcmp(a, b) != 0)
        (void)snprintf(out + n, size - n, " [%s]", st->id);
}

static void collect(const order_row *row, void *user)
{
    board *b = user;
    char error[512];
    workflow *w = catalog_get(b->c, row->workflow, error, sizeof error);
    dosm_instance inst;
    line *l;
    if (!w || dosm_decode(w->def, row->instance, &inst, NULL) != DOSM_OK) {
        fprintf(stderr, "labdesk: order %s: cannot read %s\n", row->id,
                w ? row->instance : error);
        b->failed = 1;
        return;
    }
    if (!(l = rows_push(&b->lines)))
        return;
    l->row = *row;
    dosm_state_get(w->def, inst.state, &l->state);
    l->fhir = dosm_state_external(w->def, inst.state, "fhir");
    if (!l->fhir)
        l->fhir = "-";
    l->key = dosm_sort_key(w->def, &inst);
    l->since = row->updated;
    status_text(&l->state, l->status, sizeof l->status);
}

static int by_id(const void *pa, const void *pb)
{
    return strcmp(((const line *)pa)->row.id, ((const line *)pb)->row.id);
}

/* The accepted steps date each order's status; the rest are listed. */
static void read_log(const log_row *r, void *user)
{
    board *b = user;
    log_row *slot;
    if (strcmp(r->outcome, "accepted") == 0) {
        line key, *l;
        memset(&key, 0, sizeof key);
        COPY(key.row.id, r->order_id);
        l = bsearch(&key, b->lines.items, b->lines.count, sizeof key, by_id);
        if (l)
            l->since = r->time;
        return;
    }
    if ((slot = rows_push(&b->nothing)) != NULL)
        *slot = *r;
    b->rejected += strcmp(r->outcome, "rejected") == 0;
}

static void read_note(const note_row *n, void *user)
{
    note_row *slot = rows_push(user);
    if (slot)
        *slot = *n;
}

/* Open orders: most attention first, then the earliest due date (none
 * last), then the workflow's own order. */
static int by_attention(const void *pa, const void *pb)
{
    const line *a = pa, *b = pb;
    if (a->state.attention != b->state.attention)
        return a->state.attention - b->state.attention;
    if (a->row.has_due != b->row.has_due)
        return a->row.has_due ? -1 : 1;
    if (a->row.due != b->row.due)
        return a->row.due < b->row.due ? -1 : 1;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return strcmp(a->row.id, b->row.id);
}

/* Finished orders: the latest first. */
static int by_finish(const void *pa, const void *pb)
{
    const line *a = pa, *b = pb;
    if (a->since != b->since)
        return a->since > b->since ? -1 : 1;
    return strcmp(a->row.id, b->row.id);
}

static int by_count(const void *pa, const void *pb)
{
    const tally *a = pa, *b = pb;
    int c = a->workflow ? strcmp(a->workflow, b->workflow) : 0;
    if (c)
        return c;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->name, b->name);
}

static void count(rows *r, const char *wf, const char *name)
{
    tally *t = r->items;
    size_t i = 0;
    while (i < r->count && !(strcmp(t[i].name, name) == 0 &&
                             (!wf || strcmp(t[i].workflow, wf) == 0)))
        i++;
    if (i == r->count && (t = rows_push(r)) != NULL) {
        t->workflow = wf;
        t->name = name;
        t->count = 0;
        i = r->count - 1;
    }
    if (i < r->count)
        ((tally *)r->items)[i].count++;
}

static int is_overdue(const board *b, const line *l)
{
    return l->row.has_due && l->row.due < b->now;
}

/* Nobody works on a finished order any more: its state is final, or the
 * vendor may still move it (DWOS reopens a cancelled case) but its FHIR
 * Task status is one of FHIR's terminal ones. */
static int is_finished(const line *l)
{
    static const char *const terminal[] = {"completed", "cancelled", "rejected",
                                           "failed", "entered-in-error"};
    size_t i;
    for (i = 0; i < sizeof terminal / sizeof *terminal; i++)
        if (strcmp(l->fhir, terminal[i]) == 0)
            return 1;
    return l->state.final;
}

/* Finished orders to the end, each part in its order, then the counts. */
static void arrange(board *b)
{
    line *l = b->lines.items, tmp;
    size_t i, n = b->lines.count;
    b->open = 0;
    for (i = 0; i < n; i++)
        if (!is_finished(&l[i])) {
            tmp = l[b->open];
            l[b->open++] = l[i];
            l[i] = tmp;
        }
    if (b->open)
        qsort(l, b->open, sizeof *l, by_attention);
    if (n > b->open)
        qsort(l + b->open, n - b->open, sizeof *l, by_finish);
    for (i = 0; i < n; i++) {
        b->overdue += i < b->open && is_overdue(b, &l[i]);
        count(&b->states, l[i].row.workflow, l[i].status);
        count(&b->fhir, NULL, l[i].fhir);
    }
    if (b->states.count)
        qsort(b->states.items, b->states.count, sizeof(tally), by_count);
    if (b->fhir.count)
        qsort(b->fhir.items, b->fhir.count, sizeof(tally), by_count);
}

static void board_free(board *b)
{
    free(b->lines.items);
    free(b->nothing.items);
    free(b->notes.items);
    free(b->states.items);
    free(b->fhir.items);
}

static int load(store *s, catalog *c, int64_t now, board *b)
{
    memset(b, 0, sizeof *b);
    b->c = c;
    b->now = now;
    b->lines.size = sizeof(line);
    b->nothing.size = sizeof(log_row);
    b->notes.size = sizeof(note_row);
    b->states.size = b->fhir.size = sizeof(tally);
    if (store_each_order(s, collect, b) != STORE_OK) {
        fprintf(stderr, "labdesk: %s\n", s->error);
        return EXIT_DATABASE;
    }
    if (b->lines.count)
        qsort(b->lines.items, b->lines.count, sizeof(line), by_id);
    if (store_each_log(s, NULL, read_log, b) != STORE_OK ||
        store_each_note(s, read_note, &b->notes) != STORE_OK) {
        fprintf(stderr, "labdesk: %s\n", s->error);
        return EXIT_DATABASE;
    }
    arrange(b);
    if (b->lines.failed || b->nothing.failed || b->notes.failed ||
        b->states.failed || b->fhir.failed) {
        fprintf(stderr, "labdesk: out of memory\n");
        return EXIT_FAILED;
    }
    return b->failed ? EXIT_FAILED : EXIT_OK;
}

/* ---- sections: rows of cells ---- */

typedef struct cells {
    const char *klass; /* the HTML row's class, or NULL */
    char text[CELLS][CELL_MAX];
} cells;

typedef struct section {
    const char *id, *title;
    int columns;
    const char *heads[CELLS];
    size_t rows;
    void (*fill)(const board *b, size_t i, cells *out);
} section;

/* "3d 4h", "5h 20m", "12m": how long, as a person says it. */
static void span_format(int64_t seconds, char *out, size_t size)
{
    int64_t m = seconds > 0 ? seconds / 60 : 0;
    if (m >= 1440)
        (void)snprintf(out, size, "%lldd %lldh", (long long)(m / 1440),
                       (long long)(m % 1440 / 60));
    else if (m >= 60)
        (void)snprintf(out, size, "%lldh %lldm", (long long)(m / 60),
                       (long long)(m % 60));
    else
        (void)snprintf(out, size, "%lldm", (long long)m);
}

static void fill_open(const board *b, size_t i, cells *out)
{
    const line *l = &LINE(b, i);
    out->klass = dosm_attention_name(l->state.attention);
    COPY(out->text[0], out->klass);
    if (!l->row.has_due) {
        COPY(out->text[1], "-");
    } else {
        date_format(l->row.due, out->text[1], sizeof out->text[1]);
        if (is_overdue(b, l)) {
            char span[32];
            span_format(b->now - l->row.due, span, sizeof span);
            (void)snprintf(out->text[1] + 10, sizeof out->text[1] - 10,
                           " OVERDUE %s", span);
        }
    }
    COPY(out->text[2], l->row.id);
    COPY(out->text[3], l->row.workflow);
    COPY(out->text[4], l->status);
    COPY(out->text[5], l->fhir);
    span_format(b->now - l->since, out->text[6], sizeof out->text[6]);
}

static void fill_finished(const board *b, size_t i, cells *out)
{
    const line *l = &LINE(b, b->open + i);
    out->klass = NULL;
    time_format(l->since, out->text[0], sizeof out->text[0]);
    COPY(out->text[1], l->row.id);
    COPY(out->text[2], l->row.workflow);
    COPY(out->text[3], l->status);
    COPY(out->text[4], l->fhir);
}

static void fill_nothing(const board *b, size_t i, cells *out)
{
    const log_row *r = (const log_row *)b->nothing.items + i;
    int stale = strcmp(r->outcome, "stale") == 0;
    out->klass = stale ? "stale" : "rejected";
    time_format(r->time, out->text[0], sizeof out->text[0]);
    COPY(out->text[1], r->order_id);
    COPY(out->text[2], stale ? "out of order" : r->outcome);
    (void)snprintf(out->text[3], sizeof out->text[3], "%s %s",
                   r->event[0] ? "event" : "status",
                   r->event[0] ? r->event : r->to);
    COPY(out->text[4], r->reason);
}

static void fill_note(const board *b, size_t i, cells *out)
{
    const note_row *n = (const note_row *)b->notes.items + i;
    out->klass = NULL;
    time_format(n->time, out->text[0], sizeof out->text[0]);
    COPY(out->text[1], n->order_id);
    COPY(out->text[2], n->text);
}

static void fill_states(const board *b, size_t i, cells *out)
{
    const tally *t = (const tally *)b->states.items + i;
    out->klass = NULL;
    COPY(out->text[0], t->workflow);
    COPY(out->text[1], t->name);
    (void)snprintf(out->text[2], sizeof out->text[2], "%lu", t->count);
}

static void fill_fhir(const board *b, size_t i, cells *out)
{
    const tally *t = (const tally *)b->fhir.items + i;
    out->klass = NULL;
    COPY(out->text[0], t->name);
    (void)snprintf(out->text[1], sizeof out->text[1], "%lu", t->count);
}

static size_t make_sections(const board *b, section *out)
{
    const section all[] = {
        {"open", "Open orders: most attention first, then due date", 7,
         {"ATTENTION", "DUE", "ORDER", "WORKFLOW", "STATUS", "FHIR",
          "IN STATUS"},
         b->open, fill_open},
        {"finished", "Finished orders: latest first", 5,
         {"FINISHED", "ORDER", "WORKFLOW", "STATUS", "FHIR"},
         b->lines.count - b->open, fill_finished},
        {"unchanged", "Updates that changed nothing", 5,
         {"TIME", "ORDER", "OUTCOME", "UPDATE", "WHY"}, b->nothing.count,
         fill_nothing},
        {"notifications", "Queued notifications", 3,
         {"TIME", "ORDER", "TEXT"}, b->notes.count, fill_note},
        {"by-status", "Orders by workflow and status", 3,
         {"WORKFLOW", "STATUS", "ORDERS"}, b->states.count, fill_states},
        {"by-fhir", "Orders by FHIR Task status", 2, {"FHIR", "ORDERS"},
         b->fhir.count, fill_fhir},
    };
    memcpy(out, all, sizeof all);
    return sizeof all / sizeof *all;
}

static void summary(const board *b, char *out, size_t size)
{
    char now[32];
    time_format(b->now, now, sizeof now);
    (void)snprintf(out, size,
                   "As of %s: %lu open order%s, %lu overdue, %lu finished; %lu "
                   "update%s changed nothing (%lu rejected, %lu out of "
                   "order); %lu notification%s queued",
                   now, (unsigned long)b->open, b->open == 1 ? "" : "s",
                   (unsigned long)b->overdue,
                   (unsigned long)(b->lines.count - b->open),
                   (unsigned long)b->nothing.count,
                   b->nothing.count == 1 ? "" : "s", (unsigned long)b->rejected,
                   (unsigned long)(b->nothing.count - b->rejected),
                   (unsigned long)b->notes.count,
                   b->notes.count == 1 ? "" : "s");
}

/* ---- as text ---- */

/* Columns are as wide as their text looks: UTF-8 continuation bytes take
 * no room of their own. */
static int display_width(const char *text)
{
    int n = 0;
    for (; *text; text++)
        n += (*text & 0xC0) != 0x80;
    return n;
}

static void print_row(FILE *out, const section *sec, const int *width,
                      const char *const *text)
{
    int k;
    for (k = 0; k < sec->columns; k++)
        if (k + 1 < sec->columns)
            fprintf(out, "%s%*s  ", text[k], width[k] - display_width(text[k]),
                    "");
        else
            fprintf(out, "%s\n", text[k]);
}

static void print_section(FILE *out, const board *b, const section *sec)
{
    cells c;
    const char *text[CELLS];
    int width[CELLS], k;
    size_t i;
    fprintf(out, "\n%s (%lu)\n", sec->title, (unsigned long)sec->rows);
    if (!sec->rows)
        return;
    for (k = 0; k < sec->columns; k++)
        width[k] = display_width(sec->heads[k]);
    for (i = 0; i < sec->rows; i++) {
        sec->fill(b, i, &c);
        for (k = 0; k < sec->columns; k++)
            if (display_width(c.text[k]) > width[k])
                width[k] = display_width(c.text[k]);
    }
    print_row(out, sec, width, sec->heads);
    for (i = 0; i < sec->rows; i++) {
        sec->fill(b, i, &c);
        for (k = 0; k < sec->columns; k++)
            text[k] = c.text[k];
        print_row(out, sec, width, text);
    }
}

/* ---- as HTML ---- */

static void html_text(FILE *out, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
}

static void html_section(FILE *out, const board *b, const section *sec)
{
    cells c;
    size_t i;
    int k;
    fprintf(out, "<h2>");
    html_text(out, sec->title);
    fprintf(out, " (%lu)</h2>\n", (unsigned long)sec->rows);
    if (!sec->rows) {
        fprintf(out, "<p class=\"none\" id=\"%s\">None.</p>\n", sec->id);
        return;
    }
    fprintf(out, "<table id=\"%s\">\n<thead><tr>", sec->id);
    for (k = 0; k < sec->columns; k++)
        fprintf(out, "<th>%s</th>", sec->heads[k]);
    fputs("</tr></thead>\n<tbody>\n", out);
    for (i = 0; i < sec->rows; i++) {
        sec->fill(b, i, &c);
        if (c.klass)
            fprintf(out, "<tr class=\"%s\">", c.klass);
        else
            fputs("<tr>", out);
        for (k = 0; k < sec->columns; k++) {
            /* the flag stands out on its own, not only as a colour */
            const char *flag = strstr(c.text[k], " OVERDUE ");
            fputs("<td>", out);
            if (flag && k == 1 && sec->fill == fill_open) {
                fprintf(out, "%.10s <strong class=\"overdue\">", c.text[k]);
                html_text(out, flag + 1);
                fputs("</strong>", out);
            } else {
                html_text(out, c.text[k]);
            }
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
}

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>labdesk</title>\n<style>\n"
    "body { font-family: sans-serif; margin: 2em; color: #222; }\n"
    "table { border-collapse: collapse; margin-bottom: 1em; }\n"
    "th, td { border: 1px solid #ccc; padding: 0.3em 0.8em; text-align: left; }\n"
    "th { background: #eee; }\n"
    "tr.red { background: #f4b6b6; }\ntr.yellow { background: #fbe9a6; }\n"
    "tr.green { background: #c4e8c2; }\ntr.white { background: #fff; }\n"
    "tr.rejected td:nth-child(3), tr.stale td:nth-child(3) { font-weight: bold; }\n"
    "strong.overdue { color: #a00000; }\n"
    "p.summary { font-size: 1.2em; }\n"
    "</style>\n</head>\n<body>\n<h1>labdesk</h1>\n";

static int write_html(const board *b, const section *sec, size_t n,
                      const char *path)
{
    char text[512];
    size_t i;
    FILE *out = fopen(path, "w");
    if (!out) {
        fprintf(stderr, "labdesk: cannot write %s\n", path);
        return EXIT_FAILED;
    }
    fputs(html_head, out);
    summary(b, text, sizeof text);
    fputs("<p class=\"summary\" id=\"summary\">", out);
    html_text(out, text);
    fputs("</p>\n", out);
    for (i = 0; i < n; i++)
        html_section(out, b, &sec[i]);
    fputs("</body>\n</html>\n", out);
    if (fclose(out) != 0) {
        fprintf(stderr, "labdesk: cannot write %s\n", path);
        return EXIT_FAILED;
    }
    return EXIT_OK;
}

int dashboard_write(store *s, catalog *c, int64_t now, const char *html)
{
    board b;
    section sec[8];
    size_t n;
    int rc = load(s, c, now, &b);
    if (rc == EXIT_DATABASE) {
        board_free(&b);
        return rc;
    }
    n = make_sections(&b, sec);
    if (html) {
        int wrote = write_html(&b, sec, n, html);
        rc = rc == EXIT_OK ? wrote : rc;
    } else {
        char text[512];
        size_t i;
        summary(&b, text, sizeof text);
        printf("%s\n", text);
        for (i = 0; i < n; i++)
            print_section(stdout, &b, &sec[i]);
    }
    board_free(&b);
    return rc;
}
