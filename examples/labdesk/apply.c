/* Applying the feed: each update in one transaction that reads the order,
 * lets the library fire the event or reconcile the observed status, and
 * writes the new instance only if nobody else did in between (the
 * conditional update on seq); a lost race rolls back and starts again. */
#include "labdesk.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ATTEMPTS 1000
#define LINE_MAX_BYTES 65536

enum result { APPLIED, UNCHANGED, REJECTED, STALE, BAD };

/* One update in flight; callbacks reach it through dosm_request::context. */
typedef struct job {
    store *s;
    workflow *w;
    const update *u;
    order_row row;
    int store_rc;      /* the first failing store call inside a callback */
    char steps[256];   /* the events taken, for the report line */
    char last_event[ID_MAX];
} job;

static void keep_failure(job *j, int rc)
{
    if (rc != STORE_OK && j->store_rc == STORE_OK)
        j->store_rc = rc;
}

static void on_transition(const dosm_callback_info *info, void *user)
{
    job *j = info->context;
    const dosm_record *r = info->record;
    log_row row;
    size_t i, len = 0;
    (void)user;
    memset(&row, 0, sizeof row);
    COPY(row.order_id, j->row.id);
    row.time = r->time;
    snprintf(row.workflow, sizeof row.workflow, "%s", r->workflow);
    row.revision = r->revision;
    row.seq = r->seq;
    snprintf(row.from, sizeof row.from, "%s", r->from);
    snprintf(row.event, sizeof row.event, "%s", r->event);
    snprintf(row.to, sizeof row.to, "%s", r->to);
    for (i = 0; i < r->effect_count && len < sizeof row.effects; i++)
        len += (size_t)snprintf(row.effects + len, sizeof row.effects - len,
                                "%s%s", i ? " " : "", r->effects[i]);
    COPY(row.outcome, "accepted");
    len = strlen(j->steps);
    snprintf(j->steps + len, sizeof j->steps - len, "%s%s", len ? ", " : "",
             r->event);
    keep_failure(j, store_append_log(j->s, &row));
}

/* notify: queue a notification row for whoever sends them. */
static void effect_notify(const dosm_callback_info *info, void *user)
{
    job *j = info->context;
    note_row note;
    dosm_state_info st;
    (void)user;
    dosm_state_get(info->def, dosm_state_find(info->def, info->record->to),
                   &st);
    memset(&note, 0, sizeof note);
    COPY(note.order_id, j->row.id);
    note.time = info->record->time;
    snprintf(note.text, sizeof note.text, "%s (%s) is now %s", j->row.id,
             j->w->name, st.label);
    keep_failure(j, store_queue_note(j->s, &note));
}

/* reset_due_date: the case is due a full turnaround from now, as if new. */
static void effect_reset_due_date(const dosm_callback_info *info, void *user)
{
    job *j = info->context;
    (void)user;
    j->row.has_due = 1;
    j->row.due = info->record->time + TURNAROUND;
}

/* clear_due_date: a red status has no due date until the clinic acts. */
static void effect_clear_due_date(const dosm_callback_info *info, void *user)
{
    job *j = info->context;
    (void)user;
    j->row.has_due = 0;
    j->row.due = 0;
}

static void last_accepted(const log_row *row, void *user)
{
    job *j = user;
    if (strcmp(row->outcome, "accepted") == 0)
        COPY(j->last_event, row->event);
}

/* 3Shape's redesign_sent: the portal status stays Designed rejected after
 * a redesign, so only the order's own log tells whether one was sent. */
static int guard_redesign_sent(const dosm_callback_info *info, void *user)
{
    const dosm_def *def = info->def;
    const dosm_instance *inst = info->before;
    const dosm_request *request = info->request;
    job *j = request->context;
    (void)def, (void)inst, (void)user;
    j->last_event[0] = '\0';
    keep_failure(j, store_each_log(j->s, j->row.id, last_accepted, j));
    return strcmp(j->last_event, "send_design") == 0;
}

/* Binds what labdesk knows how to do; dosm_host_check then says whether a
 * workflow asks for something it does not. */
static int bind_host(workflow *w, char *error, size_t size)
{
    static const struct {
        const char *name;
        dosm_callback fn;
    } effects[] = {{"notify", effect_notify},
                   {"reset_due_date", effect_reset_due_date},
                   {"clear_due_date", effect_clear_due_date}};
    dosm_error err;
    dosm_host *h;
    size_t i;
    if (w->host)
        return 1;
    if (!(h = dosm_host_new(w->def, NULL))) {
        snprintf(error, size, "out of memory");
        return 0;
    }
    dosm_host_on(h, DOSM_ON_TRANSITION, on_transition, NULL);
    for (i = 0; i < sizeof effects / sizeof *effects; i++)
        dosm_host_bind_effect(h, effects[i].name, effects[i].fn, NULL);
    dosm_host_bind_guard(h, "redesign_sent", guard_redesign_sent, NULL);
    /* Kept only once checked: a refused workflow is refused on every line. */
    if (dosm_host_check(h, &err) != DOSM_OK) {
        snprintf(error, size, "labdesk cannot run workflow %s: %s", w->name,
                 err.text);
        dosm_host_free(h);
        return 0;
    }
    w->host = h;
    return 1;
}

static int check_attributes(const workflow *w, const fields *f, char *msg,
                            size_t size)
{
    size_t i;
    for (i = 0; i < f->count; i++) {
        int rc = dosm_attribute_check(w->def, f->pairs[i].name,
                                      f->pairs[i].value);
        if (rc == DOSM_E_NAME) {
            snprintf(msg, size, "workflow %s has no attribute \"%s\"",
                     w->name, f->pairs[i].name);
            return 0;
        }
        if (rc != DOSM_OK) {
            snprintf(msg, size, "\"%s\" is not a valid %s", f->pairs[i].value,
                     f->pairs[i].name);
            return 0;
        }
    }
    return 1;
}

/* A raw vendor status must be a value of a vocabulary the workflow
 * declares: otherwise it is a bad line, not a rejected step. */
static int check_vocab(const workflow *w, const update *u, char *msg,
                       size_t size)
{
    if (!u->vocab[0])
        return 1;
    if (dosm_vocab_find(w->def, u->vocab) < 0) {
        snprintf(msg, size, "workflow %s has no vocabulary \"%s\"", w->name,
                 u->vocab);
        return 0;
    }
    if (dosm_external_states(w->def, u->vocab, u->status, NULL, 0) == 0) {
        snprintf(msg, size, "'%s' is not a %s status of workflow %s",
                 u->status, u->vocab, w->name);
        return 0;
    }
    return 1;
}

/* The order as stored, or a new one in the initial state. */
static int load_order(job *j, dosm_instance *inst, int found, char *msg,
                      size_t size)
{
    dosm_error err;
    if (!found) {
        memset(&j->row, 0, sizeof j->row);
        COPY(j->row.id, j->u->order);
        COPY(j->row.workflow, j->u->workflow);
        COPY(j->row.attributes, "{}");
        j->row.has_due = 1;
        j->row.due = j->u->time + TURNAROUND;
        j->row.updated = j->u->time;
        *inst = dosm_instance_initial(j->w->def);
        return 1;
    }
    if (strcmp(j->row.workflow, j->u->workflow) != 0) {
        snprintf(msg, size, "order %s belongs to workflow %s, not %s", j->row.id,
                 j->row.workflow, j->u->workflow);
        return 0;
    }
    if (dosm_decode(j->w->def, j->row.instance, inst, &err) != DOSM_OK) {
        /* the stored value may be long garbage: its start says enough */
        snprintf(msg, size, "order %s: stored instance %.100s: %s", j->row.id,
                 j->row.instance, err.text);
        return 0;
    }
    return 1;
}

/* Attributes from the feed join (and override) the stored ones. */
static int merge_attributes(job *j, fields *attrs, char *msg, size_t size)
{
    size_t i;
    if (!fields_parse(j->row.attributes, attrs, msg, size))
        return 0;
    for (i = 0; i < j->u->attributes.count; i++)
        if (!fields_set(attrs, j->u->attributes.pairs[i].name,
                        j->u->attributes.pairs[i].value))
            break;
    if (i < j->u->attributes.count ||
        !fields_format(attrs, j->row.attributes, sizeof j->row.attributes)) {
        snprintf(msg, size, "order %s has too many attributes", j->row.id);
        return 0;
    }
    return 1;
}

/* An update that changes nothing still goes in the log, in a transaction
 * of its own (whatever the attempt wrote is rolled back). */
static int log_only(job *j, const dosm_instance *inst, const char *outcome,
                    const char *reason)
{
    log_row row;
    int rc;
    memset(&row, 0, sizeof row);
    COPY(row.order_id, j->u->order);
    row.time = j->u->time;
    COPY(row.workflow, j->w->name);
    row.revision = dosm_def_revision(j->w->def);
    row.seq = inst->seq;
    COPY(row.from, dosm_state_id(j->w->def, inst->state));
    COPY(row.event, j->u->event);
    COPY(row.to, j->u->status);
    COPY(row.outcome, outcome);
    snprintf(row.reason, sizeof row.reason, "%s", reason);
    store_rollback(j->s);
    if ((rc = store_begin(j->s)) != STORE_OK)
        return rc;
    if ((rc = store_append_log(j->s, &row)) == STORE_OK &&
        (rc = store_commit(j->s)) == STORE_OK)
        return STORE_OK;
    store_rollback(j->s);
    return rc;
}

/* Lets the library fire the event or reconcile the observed status; the
 * callbacks write the log and run the effects inside our transaction. */
static int step(job *j, const fields *attrs, dosm_instance *inst,
                dosm_outcome *out)
{
    dosm_values attributes, payload;
    dosm_request req;
    memset(&attributes, 0, sizeof attributes);
    attributes.pairs = attrs->pairs;
    attributes.count = attrs->count;
    memset(&payload, 0, sizeof payload);
    payload.pairs = j->u->payload.pairs;
    payload.count = j->u->payload.count;
    memset(&req, 0, sizeof req);
    req.event = j->u->event;
    req.attributes = &attributes;
    req.payload = &payload;
    req.now = j->u->time;
    req.context = j;
    if (j->u->event[0])
        return dosm_fire(j->w->def, j->w->host, inst, &req, out);
    if (j->u->vocab[0])
        return dosm_reconcile_external(j->w->def, j->w->host, inst,
                                       j->u->vocab, j->u->status, &req, out);
    return dosm_reconcile(j->w->def, j->w->host, inst, j->u->status, &req,
                          out);
}

/* One attempt: STORE_OK with *result set, or STORE_RETRY / STORE_FAIL. */
static int attempt(job *j, enum result *result, char *msg, size_t size)
{
    dosm_instance inst, before;
    dosm_outcome out;
    fields attrs;
    char old_attrs[ATTRS_MAX], when[32], last[32];
    int rc, found, code;

    j->store_rc = STORE_OK;
    j->steps[0] = '\0';
    if ((rc = store_begin(j->s)) != STORE_OK)
        return rc;
    if ((rc = store_read_order(j->s, j->u->order, &j->row, &found)) != STORE_OK)
        goto undo;
    if (!load_order(j, &inst, found, msg, size)) {
        *result = BAD;
        goto undo;
    }
    before = inst;
    if (j->u->time < j->row.updated) {
        time_format(j->u->time, when, sizeof when);
        time_format(j->row.updated, last, sizeof last);
        snprintf(msg, size,
                 "out of order: sent at %s, the order last changed at %s",
                 when, last);
        *result = STALE;
        return log_only(j, &inst, "stale", msg);
    }
    COPY(old_attrs, j->row.attributes);
    if (!merge_attributes(j, &attrs, msg, size)) {
        *result = BAD;
        goto undo;
    }
    code = step(j, &attrs, &inst, &out);
    if ((rc = j->store_rc) != STORE_OK)
        goto undo;
    if (DOSM_IS_REJECTION(code)) {
        snprintf(msg, size, "%s", out.text);
        *result = REJECTED;
        return log_only(j, &before, "rejected", out.text);
    }
    if (code != DOSM_OK) { /* an unknown status, for one */
        snprintf(msg, size, "%s", out.text);
        *result = BAD;
        goto undo;
    }
    if (found && inst.seq == before.seq &&
        strcmp(old_attrs, j->row.attributes) == 0) {
        snprintf(msg, size, "unchanged in %s",
                 dosm_state_id(j->w->def, inst.state));
        *result = UNCHANGED;
        goto undo;
    }
    dosm_encode(j->w->def, &inst, j->row.instance, sizeof j->row.instance);
    j->row.seq = inst.seq;
    j->row.updated = j->u->time;
    if ((rc = store_write_order(j->s, &j->row, !found, before.seq)) !=
            STORE_OK ||
        (rc = store_commit(j->s)) != STORE_OK)
        goto undo;
    snprintf(msg, size, "#%lu %s -> %s%s%s%s", (unsigned long)inst.seq,
             dosm_state_id(j->w->def, before.state),
             dosm_state_id(j->w->def, inst.state), j->steps[0] ? " by " : "",
             j->steps, found ? "" : " (new order)");
    *result = APPLIED;
    return STORE_OK;
undo:
    store_rollback(j->s);
    return rc;
}

static enum result apply_update(store *s, catalog *c, const update *u,
                                apply_stats *stats, char *msg, size_t size,
                                int *db_failed)
{
    enum result result = BAD;
    job j;
    int tries, rc = STORE_RETRY;
    memset(&j, 0, sizeof j);
    j.s = s;
    j.u = u;
    if (!(j.w = catalog_get(c, u->workflow, msg, size)) ||
        !bind_host(j.w, msg, size) ||
        !check_attributes(j.w, &u->attributes, msg, size) ||
        !check_vocab(j.w, u, msg, size))
        return BAD;
    for (tries = 0; tries < MAX_ATTEMPTS && rc == STORE_RETRY; tries++) {
        if (tries)
            stats->retries++;
        result = BAD;
        rc = attempt(&j, &result, msg, size);
    }
    if (rc != STORE_OK) {
        if (rc == STORE_RETRY)
            snprintf(msg, size, "gave up after %d conflicts", MAX_ATTEMPTS);
        else
            snprintf(msg, size, "%s", s->error);
        *db_failed = 1;
        return BAD;
    }
    return result;
}

/* Reads one line into *buf, without its newline; 0 at the end of input.
 * A line over LINE_MAX_BYTES or holding a NUL byte is read to its end and
 * reported in *problem instead. */
static int read_line(FILE *in, char **buf, size_t *cap, const char **problem)
{
    size_t len = 0;
    int c;
    *problem = NULL;
    while ((c = getc(in)) != EOF && c != '\n') {
        if (c == '\0')
            *problem = "a NUL byte in the line";
        else if (len == LINE_MAX_BYTES)
            *problem = "line longer than 65536 bytes";
        if (*problem)
            continue;
        if (len + 1 >= *cap) {
            char *bigger = realloc(*buf, *cap = *cap ? *cap * 2 : 4096);
            if (!bigger)
                return 0;
            *buf = bigger;
        }
        (*buf)[len++] = (char)c;
    }
    if (c == EOF && len == 0 && !*problem)
        return 0;
    if (*buf)
        (*buf)[len] = '\0';
    return 1;
}

/* A time ahead of the clock would be stored as the order's last change
 * and make every real update after it out of order: refused. */
static int check_time(const update *u, const feed_clock *fc, char *msg,
                      size_t size)
{
    char now[32];
    if (u->time <= fc->now + fc->tolerance)
        return 1;
    time_format(fc->now, now, sizeof now);
    snprintf(msg, size,
             "\"time\" %s is more than %lld s ahead of the clock (%s)",
             u->time_text, (long long)fc->tolerance, now);
    return 0;
}

static void count_ignored(const update *u, apply_stats *stats)
{
    if (u->ignored && !stats->ignored) {
        COPY(stats->first_ignored, u->first_ignored);
        stats->first_ignored_line = stats->lines;
    }
    stats->ignored += u->ignored;
}

int apply_feed(store *s, catalog *c, FILE *in, const char *name,
               const feed_clock *fc, apply_stats *stats)
{
    static const char *const verbs[] = {"", "", "rejected: ", "", ""};
    char *line = NULL, msg[512];
    const char *problem;
    size_t cap = 0;
    int db_failed = 0;
    update u;
    memset(stats, 0, sizeof *stats);
    while (!db_failed && read_line(in, &line, &cap, &problem)) {
        enum result r;
        const char *text = line ? line : "";
        stats->lines++;
        /* editors on Windows start a UTF-8 file with a byte order mark */
        if (stats->lines == 1 && strncmp(text, "\xEF\xBB\xBF", 3) == 0)
            text += 3;
        if (!problem && text[strspn(text, " \t\r")] == '\0')
            continue; /* a blank line */
        if (problem) {
            snprintf(msg, sizeof msg, "%s", problem);
            r = BAD;
        } else if (!feed_parse(text, &u, msg, sizeof msg) ||
                   !check_time(&u, fc, msg, sizeof msg)) {
            r = BAD;
        } else {
            count_ignored(&u, stats);
            r = apply_update(s, c, &u, stats, msg, sizeof msg, &db_failed);
        }
        if (r == BAD) {
            fprintf(stderr, "%s:%lu: error: %s\n", name, stats->lines, msg);
            stats->bad++;
            continue;
        }
        printf("%s:%lu: %s %s%s\n", name, stats->lines, u.order, verbs[r], msg);
        stats->applied += r == APPLIED;
        stats->unchanged += r == UNCHANGED;
        stats->rejected += r == REJECTED;
        stats->stale += r == STALE;
    }
    free(line);
    if (db_failed)
        return EXIT_DATABASE;
    return stats->bad ? EXIT_FAILED : EXIT_OK;
}
