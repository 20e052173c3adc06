/* The dashboard: every order of every vendor on one list, in the vendor's
 * words and as an HL7 FHIR Task status, most urgent first as the lab
 * portal sorts (attention colour, then the workflow's rank), with counts. */
#include "labdesk.h"

#include <stdlib.h>
#include <string.h>

typedef struct line {
    order_row row;
    dosm_instance inst;
    const dosm_def *def;
    dosm_state_info state;
    const char *fhir;
    uint32_t key;
} line;

typedef struct board {
    catalog *c;
    line *lines;
    size_t count, cap;
    int failed;
} board;

static void collect(const order_row *row, void *user)
{
    board *b = user;
    char error[512];
    workflow *w = catalog_get(b->c, row->workflow, error, sizeof error);
    line *l;
    if (b->count == b->cap) {
        line *bigger = realloc(b->lines, (b->cap = b->cap * 2 + 64) *
                                             sizeof *bigger);
        if (!bigger) {
            b->failed = 1;
            return;
        }
        b->lines = bigger;
    }
    l = &b->lines[b->count];
    l->row = *row;
    if (!w || dosm_decode(w->def, row->instance, &l->inst, NULL) != DOSM_OK) {
        fprintf(stderr, "labdesk: order %s: cannot read %s\n", row->id,
                w ? row->instance : error);
        b->failed = 1;
        return;
    }
    l->def = w->def;
    dosm_state_get(w->def, l->inst.state, &l->state);
    l->fhir = dosm_state_external(w->def, l->inst.state, "fhir");
    if (!l->fhir)
        l->fhir = "-";
    l->key = dosm_sort_key(w->def, &l->inst);
    b->count++;
}

static int by_attention(const void *pa, const void *pb)
{
    const line *a = pa, *b = pb;
    int c;
    if (a->state.attention != b->state.attention)
        return a->state.attention - b->state.attention;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if ((c = strcmp(a->row.workflow, b->row.workflow)) != 0)
        return c;
    if (a->row.has_due != b->row.has_due) /* no due date: not overdue */
        return a->row.has_due ? -1 : 1;
    if (a->row.due != b->row.due)
        return a->row.due < b->row.due ? -1 : 1;
    return strcmp(a->row.id, b->row.id);
}

/* The due date, or "-" for an order that has none. */
static void due_format(const order_row *row, char *out, size_t size)
{
    if (row->has_due)
        date_format(row->due, out, size);
    else
        snprintf(out, size, "-");
}

static int by_order_id(const void *pa, const void *pb)
{
    return strcmp(((const line *)pa)->row.id, ((const line *)pb)->row.id);
}

/* Loads every order, sorted most urgent first (or by id). */
static int load(store *s, catalog *c, board *b, int urgent_first)
{
    memset(b, 0, sizeof *b);
    b->c = c;
    if (store_each_order(s, collect, b) != STORE_OK) {
        fprintf(stderr, "labdesk: %s\n", s->error);
        free(b->lines);
        return EXIT_DATABASE;
    }
    if (b->count)
        qsort(b->lines, b->count, sizeof *b->lines,
              urgent_first ? by_attention : by_order_id);
    return b->failed ? EXIT_FAILED : EXIT_OK;
}

/* Orders per FHIR status: the statuses in the order of their first row. */
typedef struct tally {
    const char *name;
    unsigned long count;
} tally;

static size_t fhir_counts(const board *b, tally *out, size_t cap)
{
    size_t i, n = 0;
    for (i = 0; i < b->count; i++) {
        size_t k = 0;
        while (k < n && strcmp(out[k].name, b->lines[i].fhir) != 0)
            k++;
        if (k == n && n < cap) {
            out[n].name = b->lines[i].fhir;
            out[n++].count = 0;
        }
        if (k < n)
            out[k].count++;
    }
    return n;
}

/* Rows of one workflow and state are adjacent once sorted. */
static size_t same_state(const board *b, size_t i)
{
    size_t j = i;
    while (j < b->count && b->lines[j].def == b->lines[i].def &&
           b->lines[j].inst.state == b->lines[i].inst.state)
        j++;
    return j - i;
}

/* Columns are as wide as their text looks: UTF-8 continuation bytes take
 * no room of their own. */
static int display_width(const char *text)
{
    int n = 0;
    for (; *text; text++)
        n += (*text & 0xC0) != 0x80;
    return n;
}

static void fit(int *width, const char *text)
{
    if (display_width(text) > *width)
        *width = display_width(text);
}

static void column(FILE *out, const char *text, int width)
{
    fprintf(out, "%s%*s ", text, width - display_width(text), "");
}

int dashboard_print(store *s, catalog *c, FILE *out)
{
    board b;
    tally fhir[16];
    size_t i, n;
    char due[16];
    int rc = load(s, c, &b, 1), wid = 5, wwf = 8, wlabel = 6, wfhir = 4;
    if (rc == EXIT_DATABASE)
        return rc;
    for (i = 0; i < b.count; i++) {
        fit(&wid, b.lines[i].row.id);
        fit(&wwf, b.lines[i].row.workflow);
        fit(&wlabel, b.lines[i].state.label);
        fit(&wfhir, b.lines[i].fhir);
    }
    fprintf(out, "%-9s %-*s %-*s %-*s %-*s %-10s %s\n", "ATTENTION", wid,
            "ORDER", wwf, "WORKFLOW", wlabel, "STATUS", wfhir, "FHIR", "DUE",
            "SEQ");
    for (i = 0; i < b.count; i++) {
        const line *l = &b.lines[i];
        due_format(&l->row, due, sizeof due);
        column(out, dosm_attention_name(l->state.attention), 9);
        column(out, l->row.id, wid);
        column(out, l->row.workflow, wwf);
        column(out, l->state.label, wlabel);
        column(out, l->fhir, wfhir);
        fprintf(out, "%-10s %lu\n", due, (unsigned long)l->inst.seq);
    }
    fprintf(out, "\n%lu order%s by FHIR Task status:", (unsigned long)b.count,
            b.count == 1 ? "" : "s");
    n = fhir_counts(&b, fhir, sizeof fhir / sizeof *fhir);
    for (i = 0; i < n; i++)
        fprintf(out, "%s %s %lu", i ? "," : "", fhir[i].name, fhir[i].count);
    fprintf(out, "\nby status:\n");
    for (i = 0; i < b.count; i += n) {
        n = same_state(&b, i);
        fprintf(out, "%4lu  ", (unsigned long)n);
        column(out, b.lines[i].row.workflow, wwf);
        fprintf(out, "%s\n", b.lines[i].state.label);
    }
    free(b.lines);
    return rc;
}

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

static void html_cell(FILE *out, const char *s)
{
    fputs("<td>", out);
    html_text(out, s);
    fputs("</td>", out);
}

int dashboard_html(store *s, catalog *c, FILE *out)
{
    board b;
    tally fhir[16];
    size_t i, n;
    char due[16], seq[16];
    int rc = load(s, c, &b, 1);
    if (rc == EXIT_DATABASE)
        return rc;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<title>labdesk</title>\n<style>\n"
          "body { font-family: sans-serif; margin: 2em; }\n"
          "table { border-collapse: collapse; }\n"
          "th, td { border: 1px solid #ccc; padding: 0.3em 0.8em; text-align: left; }\n"
          "tr.red { background: #f4b6b6; }\ntr.yellow { background: #fbe9a6; }\n"
          "tr.green { background: #c4e8c2; }\ntr.white { background: #fff; }\n"
          "</style>\n</head>\n<body>\n<h1>Orders, most urgent first</h1>\n"
          "<table>\n<tr><th>Order</th><th>Workflow</th><th>Status</th>"
          "<th>FHIR</th><th>Due</th><th>Seq</th></tr>\n", out);
    for (i = 0; i < b.count; i++) {
        const line *l = &b.lines[i];
        due_format(&l->row, due, sizeof due);
        snprintf(seq, sizeof seq, "%lu", (unsigned long)l->inst.seq);
        fprintf(out, "<tr class=\"%s\">",
                dosm_attention_name(l->state.attention));
        html_cell(out, l->row.id);
        html_cell(out, l->row.workflow);
        html_cell(out, l->state.label);
        html_cell(out, l->fhir);
        html_cell(out, due);
        html_cell(out, seq);
        fputs("</tr>\n", out);
    }
    fputs("</table>\n<h2>By FHIR Task status</h2>\n<ul>\n", out);
    n = fhir_counts(&b, fhir, sizeof fhir / sizeof *fhir);
    for (i = 0; i < n; i++) {
        fputs("<li>", out);
        html_text(out, fhir[i].name);
        fprintf(out, ": %lu</li>\n", fhir[i].count);
    }
    fputs("</ul>\n<h2>By status</h2>\n<ul>\n", out);
    for (i = 0; i < b.count; i += n) {
        n = same_state(&b, i);
        fputs("<li>", out);
        html_text(out, b.lines[i].row.workflow);
        fputs(" ", out);
        html_text(out, b.lines[i].state.label);
        fprintf(out, ": %lu</li>\n", (unsigned long)n);
    }
    fputs("</ul>\n</body>\n</html>\n", out);
    free(b.lines);
    return rc;
}
