/* dosm cover: event sequences from the initial state that together take
 * every transition, written as a scenario file that `dosm test` runs.
 *
 * Each step is fired for real, so the plan is what the library does. A
 * guarded step is preceded by `set:` and `guards:` steps that make it
 * hold: the values are tried among those the guards name (and their
 * neighbours, enum values, true and false) and the library decides which
 * transition each would take; the tool never evaluates a guard itself.
 * Named guards are answered by `guards:` steps, as a host would. */
#if !defined(_WIN32)
#define _XOPEN_SOURCE 700 /* realpath */
#endif
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 256 /* distinct names and values in all guards */
#define MAX_VARS 8    /* attributes and guards one event's guards read */
#define MAX_TRIES 4096

/* What cover knows of a workflow beyond the API: every word of its
 * guards. */
typedef struct plan {
    dosm_def *def;
    char *words[MAX_WORDS];
    size_t nwords;
    unsigned char *taken, *left_out;
    FILE *out;
} plan;

static void add_word(plan *p, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < p->nwords; i++)
        if (strlen(p->words[i]) == n && strncmp(p->words[i], s, n) == 0)
            return;
    if (p->nwords < MAX_WORDS && (p->words[p->nwords] = malloc(n + 1))) {
        memcpy(p->words[p->nwords], s, n);
        p->words[p->nwords++][n] = '\0';
    }
}

/* The names, numbers, versions and quoted texts of a guard: enough to
 * find what it reads and which values to try, not to evaluate it. */
static void scan_words(plan *p, const char *g)
{
    while (*g) {
        const char *start = g;
        if (isalpha((unsigned char)*g) || *g == '_') {
            static const char *const keywords[] = {"and", "or", "not", "in"};
            size_t k;
            while (isalnum((unsigned char)*g) || *g == '_')
                g++;
            for (k = 0; k < 4; k++)
                if (strlen(keywords[k]) == (size_t)(g - start) &&
                    strncmp(keywords[k], start, (size_t)(g - start)) == 0)
                    break;
            if (k < 4)
                continue;
        } else if (isdigit((unsigned char)*g) || (*g == '-' && isdigit((unsigned char)g[1]))) {
            g++;
            while (isdigit((unsigned char)*g) || (*g == '.' && isdigit((unsigned char)g[1])))
                g++;
        } else if (*g == '\'') {
            start = ++g;
            while (*g && *g != '\'')
                g++;
            add_word(p, start, (size_t)(g - start));
            if (*g)
                g++;
            continue;
        } else {
            g++;
            continue;
        }
        add_word(p, start, (size_t)(g - start));
    }
}

static int is_named_guard(const plan *p, const char *name)
{
    size_t i, n = dosm_guard_count(p->def);
    for (i = 0; i < n; i++) {
        dosm_name_info g;
        if (dosm_guard_get(p->def, (int)i, &g) == DOSM_OK &&
            strcmp(g.name, name) == 0)
            return 1;
    }
    return 0;
}

static int is_attribute(const plan *p, const char *name)
{
    return dosm_attribute_find(p->def, name) >= 0;
}

/* The attributes and named guards the guards of `event` from inst read,
 * in the order fire tries them; returns how many (at most MAX_VARS). */
static size_t vars_of(plan *p, const dosm_instance *inst, int event,
                      const char **vars)
{
    dosm_choice opts[256];
    size_t m = dosm_choices(p->def, NULL, inst, NULL, opts, 256), k, n = 0;
    for (k = 0; k < m && k < 256; k++) {
        dosm_transition_info t;
        size_t w, v;
        if (opts[k].event != event ||
            dosm_transition_get(p->def, opts[k].transition, &t) != DOSM_OK ||
            !t.guard)
            continue;
        for (w = 0; w < p->nwords; w++) {
            const char *word = p->words[w];
            if (!strstr(t.guard, word) ||
                (!is_attribute(p, word) && !is_named_guard(p, word)))
                continue;
            for (v = 0; v < n && strcmp(vars[v], word) != 0; v++)
                ;
            if (v == n && n < MAX_VARS)
                vars[n++] = word;
        }
    }
    return n;
}

/* Adds v to the values of var unless it is there or not of var's type. */
static void add_value(const plan *p, const char *var, pairs *values,
                      const char *v)
{
    size_t i;
    for (i = 0; i < values->count; i++)
        if (strcmp(values->items[i].value, v) == 0)
            return;
    if (is_named_guard(p, var) ? strcmp(v, "true") == 0 || strcmp(v, "false") == 0
                               : dosm_attribute_check(p->def, var, v) == DOSM_OK) {
        char buf[512];
        snprintf(buf, sizeof buf, "_=%s", v); /* only the values count */
        pairs_add(values, buf);
    }
}

/* Numbers and versions one step up and down, so that <, > and ranges
 * have a value on each side. */
static void add_neighbours(const plan *p, const char *var, pairs *values,
                           const char *w)
{
    char buf[64];
    const char *dot = strrchr(w, '.');
    long last = strtol(dot ? dot + 1 : w, NULL, 10);
    int head = dot ? (int)(dot - w + 1) : 0;
    if (strlen(w) >= 40)
        return;
    if (last < LONG_MAX) {
        snprintf(buf, sizeof buf, "%.*s%ld", head, w, last + 1);
        add_value(p, var, values, buf);
    }
    if (last > LONG_MIN) {
        snprintf(buf, sizeof buf, "%.*s%ld", head, w, last - 1);
        add_value(p, var, values, buf);
    }
}

/* The values worth trying for var, the current one first. */
static void candidates(plan *p, const char *var, const char *current,
                       pairs *values)
{
    static const char *const plain[] = {"true", "false", "0", "other"};
    dosm_field_info attr;
    size_t i;
    memset(values, 0, sizeof *values);
    if (current)
        add_value(p, var, values, current);
    for (i = 0; i < p->nwords; i++) {
        const char *w = p->words[i];
        if (is_attribute(p, w) || is_named_guard(p, w))
            continue; /* a name the guards read, not a value */
        add_value(p, var, values, w);
        if (isdigit((unsigned char)w[strlen(w) - 1]))
            add_neighbours(p, var, values, w);
    }
    /* An enum's values (none for a named guard: it is no attribute). */
    if (dosm_attribute_get(p->def, dosm_attribute_find(p->def, var), &attr) == DOSM_OK)
        for (i = 0; i < attr.value_count; i++)
            add_value(p, var, values, attr.values[i]);
    for (i = 0; i < sizeof plain / sizeof plain[0]; i++)
        add_value(p, var, values, plain[i]);
}

static const char *value_of(const pairs *p, const char *name)
{
    size_t i;
    for (i = 0; i < p->count; i++)
        if (strcmp(p->items[i].name, name) == 0)
            return p->items[i].value;
    return NULL;
}

/* A value of each required payload field of event, of its type. */
static void payload_for(const plan *p, int event, pairs *payload)
{
    dosm_event_info ev;
    size_t k;
    memset(payload, 0, sizeof *payload);
    if (dosm_event_get(p->def, event, &ev) != DOSM_OK)
        return;
    for (k = 0; k < ev.field_count; k++) {
        dosm_field_info f;
        const char *v = "example";
        if (dosm_event_field(p->def, event, (int)k, &f) != DOSM_OK || !f.required)
            continue;
        if (f.type == DOSM_TYPE_INTEGER)
            v = "1";
        else if (f.type == DOSM_TYPE_BOOLEAN)
            v = "true";
        else if (f.type == DOSM_TYPE_VERSION)
            v = "1.0";
        else if (f.type == DOSM_TYPE_ENUM && f.value_count)
            v = f.values[0];
        pairs_set(payload, f.name, v);
    }
}

/* Whether event from inst takes transition t under these values. */
static int takes(plan *p, const dosm_instance *inst, int event, int t,
                 const pairs *attrs, const pairs *guards, const pairs *payload)
{
    dosm_host *host = dosm_host_new(p->def, NULL);
    dosm_request req;
    dosm_outcome out;
    char why[256];
    int ok;
    memset(&req, 0, sizeof req);
    req.event = dosm_event_name(p->def, event);
    req.attributes = &attrs->values;
    req.payload = &payload->values;
    ok = host && bind_guards(host, guards, why, sizeof why) &&
         dosm_try(p->def, host, inst, &req, &out) == DOSM_OK &&
         out.transition == t;
    dosm_host_free(host);
    return ok;
}

/* Finds attribute values and guard answers under which event takes t,
 * changing as few as the order of trying allows, and applies them to
 * attrs and guards; 0 when no combination tried works. */
static int satisfy(plan *p, const dosm_instance *inst, int event, int t,
                   pairs *attrs, pairs *guards, const pairs *payload,
                   pairs *changed_attrs, pairs *changed_guards)
{
    const char *vars[MAX_VARS];
    pairs values[MAX_VARS];
    size_t pick[MAX_VARS] = {0};
    size_t n = vars_of(p, inst, event, vars), i, tries;
    int found = 0;
    memset(changed_attrs, 0, sizeof *changed_attrs);
    memset(changed_guards, 0, sizeof *changed_guards);
    if (takes(p, inst, event, t, attrs, guards, payload))
        return 1;
    for (i = 0; i < n; i++)
        candidates(p, vars[i], value_of(is_named_guard(p, vars[i]) ? guards : attrs,
                                        vars[i]),
                   &values[i]);
    for (tries = 0; !found && tries < MAX_TRIES; tries++) {
        pairs a = {0}, g = {0};
        size_t k;
        for (k = 0; k < attrs->count; k++)
            pairs_set(&a, attrs->items[k].name, attrs->items[k].value);
        for (k = 0; k < guards->count; k++)
            pairs_set(&g, guards->items[k].name, guards->items[k].value);
        for (k = 0; k < n; k++)
            if (values[k].count)
                pairs_set(is_named_guard(p, vars[k]) ? &g : &a, vars[k],
                          values[k].items[pick[k]].value);
        found = takes(p, inst, event, t, &a, &g, payload);
        for (k = 0; found && k < n; k++) {
            int named = is_named_guard(p, vars[k]);
            const char *now, *before;
            if (!values[k].count)
                continue;
            now = values[k].items[pick[k]].value;
            before = value_of(named ? guards : attrs, vars[k]);
            if (!before || strcmp(before, now) != 0) {
                pairs_set(named ? changed_guards : changed_attrs, vars[k], now);
                pairs_set(named ? guards : attrs, vars[k], now);
            }
        }
        pairs_free(&a);
        pairs_free(&g);
        for (k = 0; k < n; k++) /* the next combination, like an odometer */
            if (++pick[k] < values[k].count)
                break;
            else
                pick[k] = 0;
        if (k == n)
            break;
    }
    for (i = 0; i < n; i++)
        pairs_free(&values[i]);
    return found;
}

/* A YAML double-quoted scalar. */
static void quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* { a: "1", b: "x" }, or for guards { g: true }. */
static void mapping(FILE *out, const pairs *p, int bare)
{
    size_t i;
    fputs("{ ", out);
    for (i = 0; i < p->count; i++) {
        fprintf(out, "%s%s: ", i ? ", " : "", p->items[i].name);
        if (bare)
            fputs(p->items[i].value, out);
        else
            quoted(out, p->items[i].value);
    }
    fputs(" }", out);
}

typedef struct hop {
    int from, option_transition, event, to;
} hop;

/* Breadth-first from inst to the nearest state with an untaken
 * transition; fills the hops of the way there plus that transition. */
static int nearest_untaken(const plan *p, dosm_instance inst, hop *path)
{
    const dosm_def *def = p->def;
    int n = (int)dosm_state_count(def), head = 0, tail = 0, found = -1, len = 0;
    int *queue = malloc((size_t)n * sizeof *queue);
    hop *via = malloc((size_t)n * sizeof *via);
    int16_t *prev = malloc((size_t)n * sizeof *prev);
    char *seen = calloc((size_t)n, 1);
    hop last = {0, 0, 0, 0};
    if (!queue || !via || !prev || !seen)
        goto done;
    queue[tail++] = inst.state;
    seen[inst.state] = 1;
    prev[inst.state] = inst.previous;
    while (head < tail && found < 0) {
        int u = queue[head++];
        dosm_instance here = {(uint16_t)u, prev[u], 0};
        dosm_choice opts[256];
        size_t k, m = dosm_choices(def, NULL, &here, NULL, opts, 256);
        for (k = 0; k < m && k < 256 && found < 0; k++) {
            int v = opts[k].target;
            hop h = {u, opts[k].transition, opts[k].event, v};
            if (v == (int)DOSM_NO_STATE || p->left_out[opts[k].transition])
                continue;
            if (!p->taken[opts[k].transition]) {
                found = u;
                last = h;
            } else if (!seen[v]) {
                seen[v] = 1;
                via[v] = h;
                prev[v] = (int16_t)(v == u ? prev[u] : u);
                queue[tail++] = v;
            }
        }
    }
    if (found >= 0) {
        int s, i;
        for (s = found; s != inst.state; s = via[s].from)
            len++;
        path[len] = last;
        for (i = len, s = found; s != inst.state; s = via[s].from)
            path[--i] = via[s];
        len++;
    }
done:
    free(queue);
    free(via);
    free(prev);
    free(seen);
    return found >= 0 ? len : 0;
}

/* Takes one hop for real, after the set: and guards: steps it needs;
 * 0 when no values make it, and the walk must be planned again. */
static int take(plan *p, dosm_instance *inst, const hop *h, pairs *attrs,
                pairs *guards, int *steps, int walk)
{
    pairs payload, new_attrs, new_guards;
    dosm_host *host;
    dosm_request req;
    dosm_outcome out;
    dosm_transition_info t;
    char why[256];
    int ok;
    payload_for(p, h->event, &payload);
    if (!satisfy(p, inst, h->event, h->option_transition, attrs, guards,
                 &payload, &new_attrs, &new_guards)) {
        pairs_free(&payload);
        p->left_out[h->option_transition] = 1;
        return 0;
    }
    if (!*steps)
        fprintf(p->out, "  - name: covering walk %d\n    steps:\n", walk);
    *steps += 1;
    if (new_attrs.count) {
        fputs("      - { set: ", p->out);
        mapping(p->out, &new_attrs, 0);
        fputs(" }\n", p->out);
    }
    if (new_guards.count) {
        fputs("      - { guards: ", p->out);
        mapping(p->out, &new_guards, 1);
        fputs(" }\n", p->out);
    }
    memset(&req, 0, sizeof req);
    req.event = dosm_event_name(p->def, h->event);
    req.attributes = &attrs->values;
    req.payload = &payload.values;
    host = dosm_host_new(p->def, NULL);
    ok = host && bind_guards(host, guards, why, sizeof why) &&
         dosm_fire(p->def, host, inst, &req, &out) == DOSM_OK;
    dosm_host_free(host);
    fprintf(p->out, "      - { event: %s", req.event);
    if (payload.count) {
        fputs(", payload: ", p->out);
        mapping(p->out, &payload, 0);
    }
    fprintf(p->out, ", expect: %s }", dosm_state_id(p->def, inst->state));
    dosm_transition_get(p->def, h->option_transition, &t);
    if (t.guard)
        fprintf(p->out, "  # guard: %s", t.guard);
    fputc('\n', p->out);
    p->taken[h->option_transition] = 1;
    pairs_free(&payload);
    pairs_free(&new_attrs);
    pairs_free(&new_guards);
    return ok && inst->state == h->to;
}

/* Walks from the initial state while an untaken transition is in reach;
 * returns the number of steps written. */
static int walk(plan *p, hop *path, int number)
{
    dosm_instance inst = dosm_instance_initial(p->def);
    pairs attrs, guards;
    int steps = 0, len, k, budget = 4 * ((int)dosm_transition_count(p->def) + 1);
    memset(&attrs, 0, sizeof attrs);
    memset(&guards, 0, sizeof guards);
    while (budget-- > 0 && (len = nearest_untaken(p, inst, path)) > 0)
        for (k = 0; k < len && take(p, &inst, &path[k], &attrs, &guards, &steps, number); k++)
            ;
    pairs_free(&attrs);
    pairs_free(&guards);
    return steps;
}

/* An absolute path with / separators (malloc'd), or NULL. */
static char *absolute(const char *path)
{
#ifdef _WIN32
    char *abs = _fullpath(NULL, path, 0), *c;
    for (c = abs; c && *c; c++)
        if (*c == '\\')
            *c = '/';
    return abs;
#else
    return realpath(path, NULL);
#endif
}

/* The workflow as the plan at `plan_path` names it: relative to the
 * plan's directory, since scenario files resolve it so; absolute when
 * the two share no root (another drive). */
static char *workflow_for(const char *workflow, const char *plan_path)
{
    const char *slash = last_separator(plan_path);
    char *dir_path = malloc(strlen(plan_path) + 2), *dir, *target, *rel = NULL;
    size_t common = 0, i, ups = 0, dirlen;
    const char *rest;
    if (!dir_path)
        return NULL;
    if (slash)
        sprintf(dir_path, "%.*s", (int)(slash - plan_path + 1), plan_path);
    else
        strcpy(dir_path, ".");
    dir = absolute(dir_path);
    target = absolute(workflow);
    free(dir_path);
    if (!dir || !target)
        goto done;
    dirlen = strlen(dir);
    while (dirlen > 1 && dir[dirlen - 1] == '/') /* _fullpath keeps one */
        dir[--dirlen] = '\0';
    for (i = 0; dir[i] && dir[i] == target[i]; i++)
        if (dir[i] == '/')
            common = i + 1;
    if (!dir[i] && target[i] == '/')
        common = i + 1;
    if (common == 0) {
        rel = target;
        target = NULL;
        goto done;
    }
    rest = common <= dirlen ? dir + common : "";
    if (*rest)
        for (ups = 1; *rest; rest++)
            ups += *rest == '/';
    rel = malloc(3 * ups + strlen(target + common) + 1);
    if (rel) {
        rel[0] = '\0';
        for (i = 0; i < ups; i++)
            strcat(rel, "../");
        strcat(rel, target + common);
    }
done:
    free(dir);
    free(target);
    return rel;
}

static int write_plan(plan *p, const char *workflow)
{
    int n = (int)dosm_transition_count(p->def), i, walks = 0;
    hop *path = malloc(((size_t)dosm_state_count(p->def) + 1) * sizeof *path);
    if (!path)
        return EXIT_FAILED;
    for (i = 0; i < n; i++) {
        dosm_transition_info t;
        dosm_transition_get(p->def, i, &t);
        if (t.guard)
            scan_words(p, t.guard);
    }
    fprintf(p->out,
            "# Event sequences that together take every transition of %s.\n"
            "# set: and guards: steps give the attributes and the answers of\n"
            "# named guards (as a host would) that the next step needs.\n"
            "workflow: %s\nscenarios:\n",
            dosm_def_name(p->def), workflow);
    while (walks < n + 1 && walk(p, path, walks + 1) > 0)
        walks++;
    for (i = 0; i < n; i++)
        if (!p->taken[i]) {
            dosm_transition_info t;
            dosm_transition_get(p->def, i, &t);
            if (p->left_out[i])
                fprintf(p->out, "# left out: the transition of line %u (%s): "
                        "no values tried satisfy its guard (%s) and payload\n",
                        t.line, dosm_event_name(p->def, t.event),
                        t.guard ? t.guard : "none");
            else
                fprintf(p->out, "# no walk reaches the transition of line %u\n",
                        t.line);
        }
    free(path);
    return 0;
}

int cmd_cover(args *a)
{
    plan p;
    char *workflow = NULL;
    int rc;
    size_t i;
    memset(&p, 0, sizeof p);
    if (!(p.def = load_one(a->file)))
        return EXIT_FAILED;
    rc = EXIT_FAILED;
    p.taken = calloc((size_t)dosm_transition_count(p.def) + 1, 1);
    p.left_out = calloc((size_t)dosm_transition_count(p.def) + 1, 1);
    p.out = stdout;
    if (!p.taken || !p.left_out) {
        fprintf(stderr, "dosm: cover: out of memory\n");
    } else if (a->output && !(p.out = fopen(a->output, "w"))) {
        fprintf(stderr, "dosm: cover: cannot write %s: %s\n", a->output,
                strerror(errno));
        p.out = NULL;
    } else if (a->output && !(workflow = workflow_for(a->file, a->output))) {
        fprintf(stderr, "dosm: cover: cannot find where %s is\n", a->file);
    } else {
        /* On stdout the plan is taken to go in the current directory. */
        rc = write_plan(&p, workflow ? workflow : a->file);
    }
    if (p.out && p.out != stdout && fclose(p.out) != 0 && rc == 0) {
        fprintf(stderr, "dosm: cover: cannot write %s\n", a->output);
        rc = EXIT_FAILED;
    }
    for (i = 0; i < p.nwords; i++)
        free(p.words[i]);
    free(workflow);
    free(p.taken);
    free(p.left_out);
    dosm_def_free(p.def);
    return rc;
}
