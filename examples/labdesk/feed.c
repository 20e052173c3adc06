/* The feed: one JSON object per line, the shape a vendor poller writes,
 *   {"order": "IT-1001", "workflow": "itero-lab-connector",
 *    "status": "Ready for Download", "time": "2026-11-02T09:15:00Z",
 *    "attributes": {"physical_model": true}}
 * with "event" instead of "status" for an event, an optional "vocab" naming
 * the vocabulary a raw vendor status is in, and an optional "payload".
 * jansson reads the JSON; this file says what a line must hold: strict on
 * types, required keys and one line of text per value, tolerant of keys it
 * does not know (pollers add their own), which it counts. */
/* Feature test macros are reserved names by design.
 * NOLINTBEGIN(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
#define _XOPEN_SOURCE 700 /* strptime, gmtime_r */
#define _DEFAULT_SOURCE   /* timegm (glibc; the BSDs and musl have it too) */
/* NOLINTEND(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
#include "labdesk.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int say(char *error, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(error, size, fmt, ap);
    va_end(ap);
    return 0;
}

/* Values are one line of text: jansson decodes \n, \t, ... escapes, which
 * would break the log and the dashboard, so they are refused here. */
static int one_line(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20)
            return 0;
    return 1;
}

/* A string, number or boolean as the text the library reads. */
static int scalar_text(const json_t *v, char *out, size_t size)
{
    int n;
    switch (json_typeof(v)) {
    case JSON_STRING: n = snprintf(out, size, "%s", json_string_value(v)); break;
    case JSON_INTEGER:
        n = snprintf(out, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL: n = snprintf(out, size, "%.15g", json_real_value(v)); break;
    case JSON_TRUE: n = snprintf(out, size, "true"); break;
    case JSON_FALSE: n = snprintf(out, size, "false"); break;
    default: return 0;
    }
    return n >= 0 && (size_t)n < size;
}

int fields_set(fields *f, const char *name, const char *value)
{
    size_t i, nlen = strlen(name) + 1, vlen = strlen(value) + 1;
    i = 0;
    while (i < f->count && strcmp(f->pairs[i].name, name) != 0)
        i++;
    if (i == FIELDS_MAX || f->used + nlen + vlen > sizeof f->text)
        return 0;
    memcpy(f->text + f->used, name, nlen);
    memcpy(f->text + f->used + nlen, value, vlen);
    f->pairs[i].name = f->text + f->used;
    f->pairs[i].value = f->text + f->used + nlen;
    f->used += nlen + vlen;
    if (i == f->count)
        f->count++;
    return 1;
}

/* An object of scalars into @p f; @p what names it in messages. */
static int fields_from(json_t *obj, const char *what, fields *f,
                       char *error, size_t size)
{
    const char *key;
    json_t *v;
    char value[256];
    memset(f, 0, sizeof *f);
    if (!json_is_object(obj))
        return say(error, size, "\"%s\" must be an object", what);
    json_object_foreach(obj, key, v) {
        if (!one_line(key))
            return say(error, size, "a control character in a key of \"%s\"",
                       what);
        if (json_is_object(v) || json_is_array(v) || json_is_null(v))
            return say(error, size,
                       "\"%s\" in \"%s\" must be a string, number or boolean",
                       key, what);
        if (!scalar_text(v, value, sizeof value))
            return say(error, size, "\"%s\" in \"%s\" is over %lu bytes", key,
                       what, (unsigned long)sizeof value - 1);
        if (!one_line(value))
            return say(error, size, "a control character in \"%s\"", key);
        if (!fields_set(f, key, value))
            return say(error, size, "too many fields in \"%s\"", what);
    }
    return 1;
}

int fields_parse(const char *json, fields *f, char *error, size_t size)
{
    json_error_t err;
    json_t *obj = json_loads(json, JSON_REJECT_DUPLICATES, &err);
    int ok;
    if (!obj)
        return say(error, size, "stored attributes: %s", err.text);
    ok = fields_from(obj, "attributes", f, error, size);
    json_decref(obj);
    return ok;
}

/* Values are stored as strings, as the library reads them. */
int fields_format(const fields *f, char *out, size_t size)
{
    json_t *obj = json_object();
    char *text = NULL;
    size_t i;
    int ok = obj != NULL;
    for (i = 0; ok && i < f->count; i++)
        ok = json_object_set_new(obj, f->pairs[i].name,
                                 json_string(f->pairs[i].value)) == 0;
    if (ok)
        text = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
    ok = text && strlen(text) < size;
    if (ok)
        memcpy(out, text, strlen(text) + 1);
    free(text);
    json_decref(obj);
    return ok;
}

/* ---- the update line ---- */

typedef struct text_key {
    const char *name;
    size_t offset, size; /* of the char array in update */
    int required;
} text_key;

#define TEXT_KEY(name, field, required)                                        \
    {name, offsetof(update, field), sizeof(((update *)0)->field), required}

static const text_key text_keys[] = {
    TEXT_KEY("order", order, 1),   TEXT_KEY("workflow", workflow, 1),
    TEXT_KEY("event", event, 0),   TEXT_KEY("status", status, 0),
    TEXT_KEY("vocab", vocab, 0),   TEXT_KEY("time", time_text, 1)};

static int known_key(const char *key)
{
    size_t i;
    for (i = 0; i < sizeof text_keys / sizeof *text_keys; i++)
        if (strcmp(text_keys[i].name, key) == 0)
            return 1;
    return strcmp(key, "attributes") == 0 || strcmp(key, "payload") == 0;
}

static int read_text(const json_t *obj, const text_key *k, update *u,
                     char *error, size_t size)
{
    const json_t *v = json_object_get(obj, k->name);
    char *out = (char *)u + k->offset;
    if (!v)
        return k->required ? say(error, size, "the update has no \"%s\"",
                                 k->name)
                           : 1;
    if (!json_is_string(v))
        return say(error, size, "\"%s\" must be a string", k->name);
    if (!one_line(json_string_value(v)))
        return say(error, size, "a control character in \"%s\"", k->name);
    if (json_string_length(v) >= k->size || json_string_length(v) == 0)
        return say(error, size, "\"%s\" must be 1 to %lu bytes", k->name,
                   (unsigned long)k->size - 1);
    memcpy(out, json_string_value(v), json_string_length(v) + 1);
    return 1;
}

static int read_update(json_t *obj, update *u, char *error, size_t size)
{
    json_t *v;
    const char *key;
    size_t i;
    if (!json_is_object(obj))
        return say(error, size, "the update is not a JSON object");
    for (i = 0; i < sizeof text_keys / sizeof *text_keys; i++)
        if (!read_text(obj, &text_keys[i], u, error, size))
            return 0;
    if (!u->event[0] == !u->status[0])
        return say(error, size,
                   "the update needs exactly one of \"event\" and \"status\"");
    if (u->vocab[0] && !u->status[0])
        return say(error, size, "\"vocab\" names the vocabulary of a \"status\"");
    if ((v = json_object_get(obj, "attributes")) &&
        !fields_from(v, "attributes", &u->attributes, error, size))
        return 0;
    if ((v = json_object_get(obj, "payload")) &&
        !fields_from(v, "payload", &u->payload, error, size))
        return 0;
    if (!time_parse(u->time_text, &u->time))
        return say(error, size,
                   "\"time\" is \"%s\", not an RFC 3339 time "
                   "(YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM))",
                   u->time_text);
    json_object_foreach(obj, key, v) {
        if (known_key(key))
            continue;
        if (!u->ignored++)
            (void)snprintf(u->first_ignored, sizeof u->first_ignored, "%s", key);
    }
    return 1;
}

int feed_parse(const char *line, update *u, char *error, size_t size)
{
    json_error_t err;
    json_t *obj;
    int ok;
    memset(u, 0, sizeof *u);
    /* One object per line: a line is never the start of a longer value. */
    if (!(obj = json_loads(line, JSON_REJECT_DUPLICATES, &err)))
        return say(error, size, "malformed JSON at column %d: %s", err.column,
                   err.text);
    ok = read_update(obj, u, error, size);
    json_decref(obj);
    return ok;
}

/* ---- times: RFC 3339, converted by the C library ---- */

static int digits(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* The offset part: Z, or +HH:MM / -HH:MM, as seconds east of UTC. */
static int offset_parse(const char *s, long *east)
{
    if ((s[0] == 'Z' || s[0] == 'z') && !s[1]) {
        *east = 0;
        return 1;
    }
    if ((s[0] != '+' && s[0] != '-') || !digits(s + 1, 2) || s[3] != ':' ||
        !digits(s + 4, 2) || s[6])
        return 0;
    *east = strtol(s + 1, NULL, 10) * 3600 + strtol(s + 4, NULL, 10) * 60;
    if (strtol(s + 1, NULL, 10) > 23 || strtol(s + 4, NULL, 10) > 59)
        return 0;
    if (s[0] == '-')
        *east = -*east;
    return 1;
}

int time_parse(const char *text, int64_t *out)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    char head[sizeof shape];
    struct tm tm, check;
    const char *rest = text + sizeof shape - 1;
    time_t t;
    long east;
    int leap;
    size_t i;
    /* strptime takes one-digit fields and years of any width; RFC 3339
     * has exactly this shape, T in either case */
    for (i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? text[i] < '0' || text[i] > '9'
                            : text[i] != shape[i] &&
                                  !(shape[i] == 'T' && text[i] == 't'))
            return 0;
    memcpy(head, text, sizeof head - 1);
    head[sizeof head - 1] = '\0';
    head[10] = 'T';
    memset(&tm, 0, sizeof tm);
    if (!strptime(head, "%Y-%m-%dT%H:%M:%S", &tm))
        return 0;
    if (*rest == '.' && digits(rest + 1, 1)) /* fractions: whole seconds */
        for (rest++; *rest >= '0' && *rest <= '9'; rest++)
            ;
    if (!offset_parse(rest, &east))
        return 0;
    /* POSIX time has no leap second: 23:59:60 counts as 23:59:59 */
    leap = tm.tm_sec == 60;
    tm.tm_sec -= leap;
    check = tm;
    t = timegm(&tm);
    /* timegm normalises 30 February to 2 March (and strptime's second 61
     * to the next minute): a time that moved is not a time */
    if (tm.tm_mday != check.tm_mday || tm.tm_mon != check.tm_mon ||
        tm.tm_sec != check.tm_sec)
        return 0;
    *out = (int64_t)t - east;
    return 1;
}

static void format(int64_t t, const char *fmt, char *out, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, size, fmt, &tm))
        (void)snprintf(out, size, "?");
}

void time_format(int64_t t, char *out, size_t size)
{
    format(t, "%Y-%m-%dT%H:%M:%SZ", out, size);
}

void date_format(int64_t t, char *out, size_t size)
{
    format(t, "%Y-%m-%d", out, size);
}
