/* scanner-export: the export queue of a Virtuo Vivo scanner, as a host of
 * libdosm runs it. The library decides which step a case may take and what
 * a restart does to it; this program owns everything else: the queue file
 * (rewritten atomically), the lab (a directory standing for the remote
 * server) and the clock. Shared declarations. */
#ifndef SCANNER_H
#define SCANNER_H

#include <dosm.h>

#include <stddef.h>

#define EXIT_FAILED 1
#define EXIT_USAGE 2

/* A case id is also a file name at the lab: 1 to 32 of [A-Za-z0-9_-]. */
#define CASE_ID_MAX 32
int case_id_valid(const char *id);
/* Reads a decimal number that starts with a digit: the first character
 * after it, or NULL when there is none or it overflows. */
const char *read_number(const char *text, unsigned long *out);

/* One accepted step of a case; both strings belong to the definition. */
typedef struct step {
    const char *event, *to;
} step;

typedef struct export_case {
    char id[CASE_ID_MAX + 1];
    dosm_instance inst;
    step *history; /* every step since NEW, so dosm_replay can check it */
    size_t steps, room;
} export_case;

typedef struct queue {
    export_case *cases;
    size_t count, room;
} queue;

/* ---- workflow.c: the vivo definition and the steps of a case ---- */

typedef struct vivo {
    dosm_def *def;
    dosm_host *host; /* its transition callback appends to the history */
    int send_to_lab, upload_started, upload_done; /* event indexes */
    int ready, queued;                             /* state indexes */
} vivo;

/* Loads the workflow file; prints why and returns -1 on failure. */
int vivo_open(vivo *v, const char *path);
void vivo_close(vivo *v);
/* A new case, scanned and reviewed up to READY_TO_EXPORT; -1 on failure. */
int vivo_new_case(const vivo *v, export_case *c, const char *id);
/* Fires event (an index) on the case; prints a rejection, returns -1. */
int vivo_fire(const vivo *v, export_case *c, int event);
/* Applies the restart fallback of a transient state: 1 when it moved. */
int vivo_restore(const vivo *v, export_case *c);
/* Does the history replay to the case's instance? Else -1 and why. */
int vivo_check_history(const vivo *v, const export_case *c, char *why,
                       size_t size);
const char *vivo_state(const vivo *v, const export_case *c);
/* Adds one step to the history; -1 when out of memory. */
int history_append(export_case *c, const char *event, const char *to);
void case_free(export_case *c);

/* ---- queue_file.c: the queue as one file, rewritten atomically ---- */

/* Reads and checks DIR/queue; prints why and returns -1 on failure. */
int queue_load(const vivo *v, const char *dir, queue *q);
/* Replaces DIR/queue atomically; prints why and returns -1 on failure. */
int queue_save(const vivo *v, const char *dir, const queue *q);
export_case *queue_find(const queue *q, const char *id);
/* A new zeroed case at the end; NULL when out of memory. */
export_case *queue_push(queue *q);
void queue_free(queue *q);

/* ---- upload.c: the lab, a remote that knows each case by its id ---- */

enum { UPLOAD_FAILED = -1, UPLOAD_SENT = 0, UPLOAD_ALREADY_THERE = 1 };
#define UPLOAD_CHUNKS 8
#define UPLOAD_CHUNK_SIZE 4096

int lab_create(const char *dir);
int lab_has(const char *dir, const char *id);
/* Sends the case in chunks, delay_ms apart; the lab accepts each id once. */
int upload_case(const char *dir, const char *id, unsigned delay_ms);

/* ---- files.c: whole-file reads, durable writes, the crash hook ---- */

/* "DIR/NAME" into buf; -1 when it does not fit. */
int path_join(char *buf, size_t size, const char *dir, const char *name);
/* Reads a whole file, NUL-terminated; NULL with errno on failure. */
char *read_whole_file(const char *path, size_t *length);
int write_all(int fd, const char *data, size_t length);
/* Makes a rename or link in dir durable. */
int sync_dir(const char *dir);
/* --die-after N: the N-th crash point kills the process with SIGKILL. */
void crash_point_arm(unsigned long n);
void crash_point(void);

#endif
