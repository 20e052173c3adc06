/* The vivo workflow as this host uses it: every step a case takes goes
 * through libdosm, and the host keeps the records the library hands it so
 * that dosm_replay can check a case's whole life when the queue is read. */
#define _POSIX_C_SOURCE 200809L
#include "scanner.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Room for one more step. */
static int history_reserve(export_case *c)
{
    if (c->steps == c->room) {
        size_t room = c->room ? c->room * 2 : 16;
        step *bigger = realloc(c->history, room * sizeof *bigger);
        if (!bigger) {
            fprintf(stderr, "scanner-export: out of memory\n");
            return -1;
        }
        c->history = bigger;
        c->room = room;
    }
    return 0;
}

int history_append(export_case *c, const char *event, const char *to)
{
    if (history_reserve(c) != 0)
        return -1;
    c->history[c->steps].event = event;
    c->history[c->steps].to = to;
    c->steps++;
    return 0;
}

void case_free(export_case *c)
{
    free(c->history);
    c->history = NULL;
    c->steps = c->room = 0;
}

/* The host's log: the library calls this for every accepted step. Room for
 * the step was made before firing, so the append cannot fail here, where
 * there is no way to report it. */
static void on_transition(const dosm_callback_info *info, void *user)
{
    (void)user;
    history_append(info->context, info->record->event, info->record->to);
}

int vivo_open(vivo *v, const char *path)
{
    dosm_error err;
    size_t length = 0;
    char *yaml = read_whole_file(path, &length);
    memset(v, 0, sizeof *v);
    if (!yaml) {
        fprintf(stderr, "scanner-export: cannot read %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    if (dosm_load(yaml, length, path, NULL, &v->def, &err) != DOSM_OK) {
        fprintf(stderr, "scanner-export: %s:%u:%u: %s\n", err.source,
                err.line, err.column, err.text);
        free(yaml);
        return -1;
    }
    free(yaml);
    v->host = dosm_host_new(v->def, NULL);
    if (!v->host || dosm_host_on(v->host, DOSM_ON_TRANSITION, on_transition,
                                 NULL) != DOSM_OK) {
        fprintf(stderr, "scanner-export: out of memory\n");
        vivo_close(v);
        return -1;
    }
    /* Names are resolved once; the queue then fires by index. */
    v->send_to_lab = dosm_event_find(v->def, "send_to_lab");
    v->upload_started = dosm_event_find(v->def, "upload_started");
    v->upload_done = dosm_event_find(v->def, "upload_done");
    v->ready = dosm_state_find(v->def, "READY_TO_EXPORT");
    v->queued = dosm_state_find(v->def, "IN_UPLOAD_QUEUE");
    if (v->send_to_lab < 0 || v->upload_started < 0 || v->upload_done < 0 ||
        v->ready < 0 || v->queued < 0) {
        fprintf(stderr, "scanner-export: %s is not the vivo workflow: it "
                "lacks the export events or states\n", path);
        vivo_close(v);
        return -1;
    }
    return 0;
}

void vivo_close(vivo *v)
{
    dosm_host_free(v->host);
    dosm_def_free(v->def);
    v->host = NULL;
    v->def = NULL;
}

static int fire(const vivo *v, export_case *c, int event,
                const dosm_values *attributes)
{
    dosm_request request;
    dosm_outcome outcome;
    memset(&request, 0, sizeof request);
    request.attributes = attributes;
    request.now = (int64_t)time(NULL);
    request.context = c;
    if (history_reserve(c) != 0) /* for on_transition */
        return -1;
    if (dosm_fire_index(v->def, v->host, &c->inst, event, &request,
                        &outcome) != DOSM_OK) {
        fprintf(stderr, "scanner-export: case %s: %s\n", c->id, outcome.text);
        return -1;
    }
    return 0;
}

int vivo_new_case(const vivo *v, export_case *c, const char *id)
{
    /* How the case was scanned is not this example's subject: a full arch
     * scan on current software, which needs no optimization step. */
    static const dosm_pair scan[] = {{"software_version", "3.2"},
                                     {"scan_type", "full_arch"}};
    static const dosm_values attributes = {scan, 2, NULL, NULL};
    static const char *const events[] = {"start_scan", "scans_completed",
                                         "alignment_done", "review_done"};
    size_t i;
    memset(c, 0, sizeof *c);
    snprintf(c->id, sizeof c->id, "%s", id); /* valid ids fit */
    c->inst = dosm_instance_initial(v->def);
    for (i = 0; i < sizeof events / sizeof events[0]; i++)
        if (fire(v, c, dosm_event_find(v->def, events[i]), &attributes) != 0)
            return -1;
    return 0;
}

int vivo_fire(const vivo *v, export_case *c, int event)
{
    return fire(v, c, event, NULL);
}

/* dosm_restart runs no callbacks, so the host logs its record itself. */
int vivo_restore(const vivo *v, export_case *c)
{
    dosm_outcome outcome;
    if (history_reserve(c) != 0)
        return -1;
    if (dosm_restart(v->def, &c->inst, (int64_t)time(NULL), &outcome) !=
        DOSM_OK)
        return 0;
    history_append(c, outcome.record.event, outcome.record.to);
    return 1;
}

int vivo_check_history(const vivo *v, const export_case *c, char *why,
                       size_t size)
{
    dosm_record *records = malloc((c->steps ? c->steps : 1) * sizeof *records);
    dosm_instance replayed;
    dosm_error err;
    const char *from = dosm_state_id(v->def, dosm_instance_initial(v->def).state);
    size_t i;
    int rc;
    if (!records) {
        snprintf(why, size, "out of memory");
        return -1;
    }
    for (i = 0; i < c->steps; i++) {
        memset(&records[i], 0, sizeof records[i]);
        records[i].workflow = dosm_def_name(v->def);
        records[i].revision = dosm_def_revision(v->def);
        records[i].seq = (uint32_t)(i + 1);
        records[i].from = from;
        records[i].event = c->history[i].event;
        records[i].to = from = c->history[i].to;
    }
    rc = dosm_replay(v->def, NULL, records, c->steps, &replayed, NULL, &err);
    free(records);
    if (rc != DOSM_OK) {
        snprintf(why, size, "%s", err.text);
        return -1;
    }
    if (replayed.state != c->inst.state ||
        replayed.previous != c->inst.previous || replayed.seq != c->inst.seq) {
        snprintf(why, size, "its history leads to %s#%lu, its snapshot says "
                 "%s#%lu", dosm_state_id(v->def, replayed.state),
                 (unsigned long)replayed.seq, vivo_state(v, c),
                 (unsigned long)c->inst.seq);
        return -1;
    }
    return 0;
}

const char *vivo_state(const vivo *v, const export_case *c)
{
    return dosm_state_id(v->def, c->inst.state);
}
