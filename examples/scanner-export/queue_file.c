/* The queue as one text file, DIR/queue:
 *
 *   scanner-export queue 1
 *   CASE SNAPSHOT EVENT>STATE EVENT>STATE ...     one line per case
 *   end COUNT CKSUM
 *
 * SNAPSHOT is what dosm_encode wrote; the EVENT>STATE steps are the case's
 * history from NEW, which must replay (dosm_replay) to that snapshot. CKSUM
 * is the POSIX cksum of the lines above it, so `head -n -1 DIR/queue |
 * cksum` checks the file by hand.
 *
 * Every change rewrites the whole file: write a temporary file, fsync it,
 * rename it over the queue, fsync the directory. rename() is atomic, so a
 * crash at any moment leaves either the old queue or the new one, never a
 * mix, and a reader (status) never sees half a file. A file that is
 * missing, truncated or corrupted is an error, never an empty queue: that
 * would lose every case in it. */
#define _POSIX_C_SOURCE 200809L
#include "scanner.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEADER "scanner-export queue 1\n"

/* The CRC of POSIX cksum: polynomial 0x04C11DB7, the length appended. */
static uint32_t cksum_bytes(uint32_t crc, const unsigned char *p, size_t n)
{
    int bit;
    for (; n > 0; n--, p++) {
        crc ^= (uint32_t)*p << 24;
        for (bit = 0; bit < 8; bit++)
            crc = crc & 0x80000000u ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
    }
    return crc;
}

static unsigned long posix_cksum(const char *text, size_t length)
{
    uint32_t crc = cksum_bytes(0, (const unsigned char *)text, length);
    size_t n;
    for (n = length; n > 0; n >>= 8) {
        unsigned char byte = (unsigned char)(n & 0xFF);
        crc = cksum_bytes(crc, &byte, 1);
    }
    return (unsigned long)(~crc & 0xFFFFFFFFu);
}

/* ---- writing ---- */

static int format_queue(const vivo *v, const queue *q, char **text,
                        size_t *length)
{
    FILE *out = open_memstream(text, length);
    size_t i, k;
    int failed = 0;
    if (!out)
        return -1;
    fputs(HEADER, out);
    for (i = 0; i < q->count; i++) {
        const export_case *c = &q->cases[i];
        char snapshot[DOSM_SNAPSHOT_MAX];
        failed |= dosm_encode(v->def, &c->inst, snapshot, sizeof snapshot);
        fprintf(out, "%s %s", c->id, snapshot);
        for (k = 0; k < c->steps; k++)
            fprintf(out, " %s>%s", c->history[k].event, c->history[k].to);
        fputc('\n', out);
    }
    fflush(out);
    fprintf(out, "end %lu %lu\n", (unsigned long)q->count,
            posix_cksum(*text, *length));
    failed |= ferror(out);
    if (fclose(out) != 0 || failed) {
        free(*text);
        return -1;
    }
    return 0;
}

static int write_file(const char *path, const char *text, size_t length)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    if (write_all(fd, text, length) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return close(fd);
}

int queue_save(const vivo *v, const char *dir, const queue *q)
{
    char path[4096], temp[4096], *text;
    const char *failed;
    size_t length;
    if (path_join(path, sizeof path, dir, "queue") != 0 ||
        path_join(temp, sizeof temp, dir, "queue.tmp") != 0) {
        fprintf(stderr, "scanner-export: %s: the path is too long\n", dir);
        return -1;
    }
    if (format_queue(v, q, &text, &length) != 0) {
        fprintf(stderr, "scanner-export: out of memory\n");
        return -1;
    }
    failed = temp;
    if (write_file(temp, text, length) == 0) {
        crash_point(); /* the new queue is on disk, the old one current */
        failed = rename(temp, path) != 0 ? path : sync_dir(dir) != 0 ? dir : NULL;
    }
    free(text);
    if (failed) {
        fprintf(stderr, "scanner-export: cannot save the queue: %s: %s\n",
                failed, strerror(errno));
        return -1;
    }
    crash_point();
    return 0;
}

/* ---- reading ---- */

static int bad(const char *path, size_t line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "scanner-export: %s:%lu: ", path, (unsigned long)line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

/* The next space-separated token of *cursor ("" between two spaces). */
static char *token(char **cursor)
{
    char *start = *cursor, *space = strchr(start, ' ');
    if (space) {
        *space = '\0';
        *cursor = space + 1;
    } else {
        *cursor = start + strlen(start);
    }
    return start;
}

/* EVENT>STATE, as the definition's own strings. */
static int parse_step(const vivo *v, char *text, step *s)
{
    char *arrow = strchr(text, '>');
    int event, state;
    if (!arrow)
        return -1;
    *arrow = '\0';
    event = dosm_event_find(v->def, text);
    state = dosm_state_find(v->def, arrow + 1);
    s->event = strcmp(text, DOSM_EVENT_RESTART) == 0
                   ? DOSM_EVENT_RESTART
                   : dosm_event_name(v->def, event);
    s->to = dosm_state_id(v->def, state);
    /* dosm_state_find also takes labels, in any case: ids only here. */
    state = s->event && s->to && strcmp(s->to, arrow + 1) == 0 ? 0 : -1;
    *arrow = '>';
    return state;
}

static int parse_case(const vivo *v, const char *path, size_t line,
                      char *text, queue *q)
{
    char *id = token(&text), *snapshot, why[DOSM_TEXT_MAX + 64];
    export_case *c;
    dosm_error err;
    if (!case_id_valid(id))
        return bad(path, line, "'%s' is not a case id", id);
    if (queue_find(q, id))
        return bad(path, line, "case %s appears twice", id);
    if (!(c = queue_push(q)))
        return bad(path, line, "out of memory");
    snprintf(c->id, sizeof c->id, "%s", id); /* valid ids fit */
    snapshot = token(&text);
    if (dosm_decode(v->def, snapshot, &c->inst, &err) != DOSM_OK)
        return bad(path, line, "case %s: %s", id, err.text);
    while (*text) {
        char *word = token(&text);
        step s;
        if (parse_step(v, word, &s) != 0)
            return bad(path, line, "case %s: '%s' is not a step EVENT>STATE "
                       "of workflow %s", id, word, dosm_def_name(v->def));
        if (history_append(c, s.event, s.to) != 0)
            return -1;
    }
    if (vivo_check_history(v, c, why, sizeof why) != 0)
        return bad(path, line, "case %s: %s", id, why);
    return 0;
}

/* Printable ASCII lines, each ended by a newline, the last one "end N
 * CKSUM" with the right checksum: anything else is damage. */
static int check_envelope(const char *path, const char *text, size_t length,
                          size_t *lines, unsigned long *count)
{
    const char *last, *end;
    unsigned long sum = 0;
    size_t i;
    *lines = 0;
    for (i = 0; i < length; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n')
            ++*lines;
        else if (ch < ' ' || ch > '~')
            return bad(path, *lines + 1, "byte %u is not text: the file is "
                       "corrupted", ch);
    }
    if (length == 0 || text[length - 1] != '\n')
        return bad(path, *lines + 1, "the last line is cut short: the file "
                   "is truncated");
    for (last = text + length - 1; last > text && last[-1] != '\n'; last--)
        ;
    end = strncmp(last, "end ", 4) == 0 ? read_number(last + 4, count) : NULL;
    end = end && *end == ' ' ? read_number(end + 1, &sum) : NULL;
    if (!end || *end != '\n')
        return bad(path, *lines, "the file does not end with its 'end' "
                   "line: it is truncated");
    if (sum != posix_cksum(text, (size_t)(last - text)))
        return bad(path, *lines, "the checksum does not match the lines "
                   "above it: the file is corrupted");
    return 0;
}

int queue_load(const vivo *v, const char *dir, queue *q)
{
    char path[4096], *text, *line, *next;
    size_t length, lines, n;
    unsigned long count = 0;
    memset(q, 0, sizeof *q);
    if (path_join(path, sizeof path, dir, "queue") != 0) {
        fprintf(stderr, "scanner-export: %s: the path is too long\n", dir);
        return -1;
    }
    if (!(text = read_whole_file(path, &length))) {
        /* No hint to run init: if DIR was initialised, its queue is lost,
         * and a new empty one would hide that. */
        fprintf(stderr, "scanner-export: cannot read %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    if (check_envelope(path, text, length, &lines, &count) != 0)
        goto fail;
    if (strncmp(text, HEADER, strlen(HEADER)) != 0) {
        bad(path, 1, "not a scanner-export queue (version 1)");
        goto fail;
    }
    if (count != lines - 2) {
        bad(path, lines, "the 'end' line counts %lu cases, the file holds "
            "%lu", count, (unsigned long)(lines - 2));
        goto fail;
    }
    line = text + strlen(HEADER);
    for (n = 2; n < lines; n++, line = next) {
        next = strchr(line, '\n');
        *next++ = '\0';
        if (parse_case(v, path, n, line, q) != 0)
            goto fail;
    }
    free(text);
    return 0;
fail:
    free(text);
    queue_free(q);
    return -1;
}

export_case *queue_find(const queue *q, const char *id)
{
    size_t i;
    for (i = 0; i < q->count; i++)
        if (strcmp(q->cases[i].id, id) == 0)
            return &q->cases[i];
    return NULL;
}

export_case *queue_push(queue *q)
{
    if (q->count == q->room) {
        size_t room = q->room ? q->room * 2 : 16;
        export_case *bigger = realloc(q->cases, room * sizeof *bigger);
        if (!bigger)
            return NULL;
        q->cases = bigger;
        q->room = room;
    }
    memset(&q->cases[q->count], 0, sizeof q->cases[q->count]);
    return &q->cases[q->count++];
}

void queue_free(queue *q)
{
    size_t i;
    for (i = 0; i < q->count; i++)
        case_free(&q->cases[i]);
    free(q->cases);
    memset(q, 0, sizeof *q);
}
