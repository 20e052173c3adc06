/* dosm test: run scenario files (format in states/README.md) and print
 * TAP, with per-workflow transition coverage. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- reading scenario YAML with libyaml's document API ---- */

/* The first key of a mapping that is not in `known` or that repeats an
 * earlier one, or NULL: scenario files are checked as strictly as
 * workflows, so a misspelt check never passes silently. */
static const char *bad_key(yaml_document_t *doc, yaml_node_t *map,
                           const char *const *known, int *duplicate)
{
    yaml_node_pair_t *p, *q;
    *duplicate = 0;
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const char *k = doc_text(yaml_document_get_node(doc, p->key));
        int i;
        if (!k)
            return "?";
        for (i = 0; known[i] && strcmp(known[i], k) != 0; i++)
            ;
        if (!known[i])
            return k;
        for (q = map->data.mapping.pairs.start; q < p; q++)
            if (strcmp(doc_text(yaml_document_get_node(doc, q->key)), k) == 0) {
                *duplicate = 1;
                return k;
            }
    }
    return NULL;
}

static const char *const file_keys[] = {"workflow", "scenarios", NULL};
static const char *const scenario_keys[] = {"name", "attributes", "guards",
                                            "from", "steps", NULL};
static const char *const step_keys[] = {
    "event", "observe", "vocab", "restart", "set", "guards", "payload",
    "expect", "reject", "effects", "says", NULL};

/* Adds or replaces NAME=VALUE pairs from a mapping. */
static void set_pairs(yaml_document_t *doc, yaml_node_t *map, pairs *p)
{
    yaml_node_pair_t *kv;
    if (!map || map->type != YAML_MAPPING_NODE)
        return;
    for (kv = map->data.mapping.pairs.start; kv < map->data.mapping.pairs.top; kv++) {
        const char *k = doc_text(yaml_document_get_node(doc, kv->key));
        const char *v = doc_text(yaml_document_get_node(doc, kv->value));
        if (k && v)
            pairs_set(p, k, v);
    }
}

/* ---- coverage, per workflow ---- */

typedef struct coverage {
    dosm_def *def;
    unsigned char *taken;
    struct coverage *next;
} coverage;

static coverage *coverage_for(coverage **all, dosm_def *def)
{
    coverage *c;
    if (!def) /* the workflow did not load (load_one said why) */
        return NULL;
    for (c = *all; c; c = c->next)
        if (strcmp(dosm_def_name(c->def), dosm_def_name(def)) == 0 &&
            dosm_def_hash(c->def) == dosm_def_hash(def)) {
            dosm_def_free(def);
            return c;
        }
    c = calloc(1, sizeof *c);
    if (!c || !(c->taken = calloc((size_t)dosm_transition_count(def) + 1, 1))) {
        free(c);
        dosm_def_free(def);
        return NULL;
    }
    c->def = def;
    c->next = *all;
    *all = c;
    return c;
}

/* ---- running one scenario ---- */

typedef struct run {
    coverage *cov;
    pairs guards;        /* how the host answers its named guards */
    char effects[1024];  /* effects of the current step, comma-separated */
    char why[1024];      /* the first failure */
} run;

static void on_transition(const dosm_callback_info *info, void *user)
{
    run *r = user;
    size_t i, n = strlen(r->effects);
    if (info->transition >= 0)
        r->cov->taken[info->transition] = 1;
    for (i = 0; i < info->record->effect_count; i++)
        n = append(r->effects, sizeof r->effects, n, "%s%s", n ? "," : "",
                   info->record->effects[i]);
}

static int failf(run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof r->why, fmt, ap);
    va_end(ap);
    return 0;
}

static void list_of(yaml_document_t *doc, yaml_node_t *seq, char *out, size_t size)
{
    yaml_node_item_t *it;
    size_t n = 0;
    out[0] = '\0';
    if (!seq || seq->type != YAML_SEQUENCE_NODE)
        return;
    for (it = seq->data.sequence.items.start;
         it < seq->data.sequence.items.top; it++) {
        const char *name = doc_text(yaml_document_get_node(doc, *it));
        /* a list inside the list is no effect name: "?" (printf of NULL
         * is undefined, and crashes some C libraries) */
        n = append(out, size, n, "%s%s", n ? "," : "", name ? name : "?");
    }
}

/* Binds every guard the scenario names; 0 (with r->why) on failure. */
static int scenario_guards(run *r, yaml_document_t *doc, yaml_node_t *map,
                       dosm_host *host)
{
    set_pairs(doc, map, &r->guards);
    return bind_guards(host, &r->guards, r->why, sizeof r->why);
}

/* Performs one step and checks it; 0 (with r->why) on failure. */
static int step(run *r, yaml_document_t *doc, yaml_node_t *st,
                dosm_host *host, dosm_instance *inst, pairs *attrs,
                int index)
{
    const dosm_def *def = r->cov->def;
    yaml_node_t *ev = doc_get(doc, st, "event"), *ob = doc_get(doc, st, "observe");
    yaml_node_t *rs = doc_get(doc, st, "restart"), *set = doc_get(doc, st, "set");
    yaml_node_t *guards = doc_get(doc, st, "guards");
    const char *expect = doc_text(doc_get(doc, st, "expect"));
    const char *reject = doc_text(doc_get(doc, st, "reject"));
    const char *says = doc_text(doc_get(doc, st, "says"));
    yaml_node_t *effects = doc_get(doc, st, "effects");
    dosm_instance before = *inst;
    dosm_request req;
    dosm_outcome out;
    pairs payload;
    const char *what;
    int rc = DOSM_OK;

    const char *bad;
    int duplicate;

    memset(&req, 0, sizeof req);
    memset(&payload, 0, sizeof payload);
    memset(&out, 0, sizeof out);
    req.attributes = &attrs->values;
    r->effects[0] = '\0';
    if ((bad = bad_key(doc, st, step_keys, &duplicate)) != NULL)
        return failf(r, "step %d: %s key '%s'", index,
                     duplicate ? "duplicate" : "unknown", bad);
    if (doc_get(doc, st, "payload") && !ev)
        return failf(r, "step %d: only an event carries a payload", index);
    if (doc_get(doc, st, "vocab") && (!ob || !doc_text(doc_get(doc, st, "vocab"))))
        return failf(r, "step %d: vocab names the vocabulary of an observed "
                        "value (observe: VALUE, vocab: NAME)", index);
    if (rs && (!doc_text(rs) || strcmp(doc_text(rs), "true") != 0))
        return failf(r, "step %d: write restart: true", index);
    if ((ev != NULL) + (ob != NULL) + (rs != NULL) + (set != NULL) +
            (guards != NULL) != 1)
        return failf(r, "step %d: needs exactly one of event, observe, "
                        "restart, set, guards", index);
    if (guards) {
        if (!scenario_guards(r, doc, guards, host))
            return 0;
        what = "guards";
    } else if (set) {
        size_t i;
        set_pairs(doc, set, attrs);
        what = "set";
        for (i = 0; i < attrs->count; i++)
            if (dosm_attribute_check(def, attrs->items[i].name,
                                     attrs->items[i].value) != DOSM_OK)
                return failf(r, "step %d: attribute %s=%s is not one the "
                                "workflow declares, or not of its type",
                             index, attrs->items[i].name, attrs->items[i].value);
    } else if (ev) {
        what = doc_text(ev);
        set_pairs(doc, doc_get(doc, st, "payload"), &payload);
        req.event = what;
        req.payload = &payload.values;
        rc = dosm_fire(def, host, inst, &req, &out);
    } else if (ob) {
        const char *vocab = doc_text(doc_get(doc, st, "vocab"));
        what = doc_text(ob);
        rc = vocab ? dosm_reconcile_external(def, host, inst, vocab, what,
                                             &req, &out)
                   : dosm_reconcile(def, host, inst, what, &req, &out);
    } else {
        what = "restart";
        rc = dosm_restart(def, inst, 0, &out);
    }
    pairs_free(&payload);
    if (!what)
        return failf(r, "step %d: the action needs a value", index);
    if (reject) {
        if (rc == DOSM_OK)
            return failf(r, "step %d (%s): accepted (now %s), expected %s",
                         index, what, dosm_state_id(def, inst->state), reject);
        if (!DOSM_IS_REJECTION(rc))
            return failf(r, "step %d (%s): failed with %s, which is not a "
                            "rejection: %s",
                         index, what, dosm_code_name(rc), out.text);
        if (strcmp(reject, "true") != 0 && strcmp(reject, dosm_code_name(rc)) != 0)
            return failf(r, "step %d (%s): rejected with %s (%s), expected %s",
                         index, what, dosm_code_name(rc), out.text, reject);
        if (memcmp(&before, inst, sizeof before) != 0)
            return failf(r, "step %d (%s): rejected but the order moved", index, what);
    } else if (rc != DOSM_OK) {
        return failf(r, "step %d (%s): rejected with %s: %s", index, what,
                     dosm_code_name(rc), out.text);
    }
    if (expect) {
        int s = dosm_state_find(def, expect);
        if (s < 0)
            return failf(r, "step %d: expect names no state '%s'", index, expect);
        if (s != inst->state)
            return failf(r, "step %d (%s): now %s, expected %s", index, what,
                         dosm_state_id(def, inst->state), dosm_state_id(def, s));
    }
    if (effects) {
        char want[1024];
        list_of(doc, effects, want, sizeof want);
        if (strcmp(want, r->effects) != 0)
            return failf(r, "step %d (%s): effects [%s], expected [%s]", index,
                         what, r->effects, want);
    }
    if (says && !strstr(out.text, says))
        return failf(r, "step %d (%s): said \"%s\", expected it to say \"%s\"",
                     index, what, out.text, says);
    return 1;
}

static int scenario(run *r, yaml_document_t *doc, yaml_node_t *sc)
{
    const dosm_def *def = r->cov->def;
    dosm_host *host = dosm_host_new(def, NULL);
    dosm_instance inst = dosm_instance_initial(def);
    yaml_node_t *steps = doc_get(doc, sc, "steps");
    const char *from = doc_text(doc_get(doc, sc, "from"));
    yaml_node_item_t *it;
    pairs attrs;
    int ok = 1, index = 1;
    memset(&attrs, 0, sizeof attrs);
    memset(&r->guards, 0, sizeof r->guards);
    r->why[0] = '\0';
    if (!host)
        return failf(r, "out of memory");
    dosm_host_on(host, DOSM_ON_TRANSITION, on_transition, r);
    const char *bad;
    int duplicate;
    size_t i;
    set_pairs(doc, doc_get(doc, sc, "attributes"), &attrs);
    ok = scenario_guards(r, doc, doc_get(doc, sc, "guards"), host);
    if (ok && (bad = bad_key(doc, sc, scenario_keys, &duplicate)) != NULL)
        ok = failf(r, "%s key '%s'", duplicate ? "duplicate" : "unknown", bad);
    for (i = 0; ok && i < attrs.count; i++)
        if (dosm_attribute_check(def, attrs.items[i].name, attrs.items[i].value) != DOSM_OK)
            ok = failf(r, "attribute %s=%s is not one the workflow declares, "
                          "or not of its type",
                       attrs.items[i].name, attrs.items[i].value);
    if (ok && from) {
        dosm_state_info si;
        int st = dosm_state_find(def, from);
        if (st < 0 || dosm_state_get(def, st, &si) != DOSM_OK || si.is_parent)
            ok = failf(r, "from names no state an order can be in: '%s'", from);
        else
            inst.state = (uint16_t)st;
    }
    if (ok && (!steps || steps->type != YAML_SEQUENCE_NODE))
        ok = failf(r, "a scenario needs a list of steps");
    for (it = ok ? steps->data.sequence.items.start : NULL;
         ok && it < steps->data.sequence.items.top; it++, index++)
        ok = step(r, doc, yaml_document_get_node(doc, *it), host, &inst, &attrs, index);
    pairs_free(&attrs);
    pairs_free(&r->guards);
    dosm_host_free(host);
    return ok;
}

/* ---- files ---- */

static char *sibling_path(const char *file, const char *rel)
{
    const char *slash = last_separator(file);
    size_t dir = slash && !is_absolute(rel) ? (size_t)(slash - file) + 1 : 0;
    char *p = malloc(dir + strlen(rel) + 1);
    if (p) {
        memcpy(p, file, dir);
        strcpy(p + dir, rel);
    }
    return p;
}

static const char *base_name(const char *path)
{
    const char *slash = last_separator(path);
    return slash ? slash + 1 : path;
}

/* Where results go: TAP on stdout, and the JUnit cases when asked. */
typedef struct tally {
    int number;
    junit *junit;
} tally;

/* A file none of whose scenarios could run: one TAP line, one case. */
static int file_failed(tally *t, const char *path, const char *workflow,
                       const char *fmt, ...)
{
    char why[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    printf("not ok %d - %s: %s\n", ++t->number, path, why);
    if (t->junit)
        junit_add(t->junit, path, path, workflow ? workflow : path, why, 0);
    return 1;
}

/* Runs every scenario of a file; returns the number of failures. */
static int run_file(const char *path, coverage **all, tally *t)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_node_t *root, *list;
    yaml_node_item_t *it;
    size_t len;
    char *yaml = read_file(path, &len), *wf = NULL;
    const char *workflow;
    coverage *cov = NULL;
    int failures = 0;
    if (!yaml)
        return file_failed(t, path, NULL, "cannot read it");
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
    if (!yaml_parser_load(&parser, &doc)) {
        file_failed(t, path, NULL, "not YAML: %s (line %lu)",
                    parser.problem ? parser.problem : "?",
                    (unsigned long)parser.problem_mark.line + 1);
        yaml_parser_delete(&parser);
        free(yaml);
        return 1;
    }
    root = yaml_document_get_root_node(&doc);
    workflow = doc_text(doc_get(&doc, root, "workflow"));
    list = doc_get(&doc, root, "scenarios");
    {
        int duplicate;
        const char *bad = bad_key(&doc, root, file_keys, &duplicate);
        if (bad) {
            failures = file_failed(t, path, workflow, "%s key '%s'",
                                   duplicate ? "duplicate" : "unknown", bad);
            list = NULL;
        }
    }
    if (!failures && (!workflow || !list || list->type != YAML_SEQUENCE_NODE)) {
        failures = file_failed(t, path, workflow,
                               "needs 'workflow' and a list 'scenarios'");
    } else if (workflow && /* NULL after an unknown key: workfow */
               (!(wf = sibling_path(path, workflow)) ||
                !(cov = coverage_for(all, load_one(wf))))) {
        failures = file_failed(t, path, workflow, "cannot load the workflow %s",
                               workflow);
    }
    for (it = cov && list ? list->data.sequence.items.start : NULL;
         cov && list && it < list->data.sequence.items.top; it++) {
        yaml_node_t *sc = yaml_document_get_node(&doc, *it);
        const char *name = doc_text(doc_get(&doc, sc, "name"));
        clock_t started = clock();
        int ok;
        run r;
        r.cov = cov;
        ok = scenario(&r, &doc, sc);
        if (ok) {
            printf("ok %d - %s: %s\n", ++t->number, base_name(path), name ? name : "?");
        } else {
            printf("not ok %d - %s: %s\n  # %s\n", ++t->number, base_name(path),
                   name ? name : "?", r.why);
            failures++;
        }
        if (t->junit)
            junit_add(t->junit, path, name ? name : "?", dosm_def_name(cov->def),
                      ok ? NULL : r.why,
                      (double)(clock() - started) / CLOCKS_PER_SEC);
    }
    free(wf);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    free(yaml);
    return failures;
}

/* Prints coverage per workflow; returns 1 if one is below min. With a
 * minimum, each workflow is also a JUnit case, so that CI shows why. */
static int report_coverage(coverage *all, double min, int verbose, tally *tl)
{
    coverage *c;
    int below = 0;
    for (c = all; c; c = c->next) {
        int n = (int)dosm_transition_count(c->def), i, taken = 0;
        double pct;
        char why[128];
        for (i = 0; i < n; i++)
            taken += c->taken[i];
        pct = n ? 100.0 * taken / n : 100.0;
        printf("# coverage %s: %d/%d transitions (%.1f%%)\n",
               dosm_def_name(c->def), taken, n, pct);
        for (i = 0; verbose && i < n; i++) {
            dosm_transition_info t;
            if (c->taken[i])
                continue;
            dosm_transition_get(c->def, i, &t);
            printf("#   not taken: line %u, %s\n", t.line,
                   dosm_event_name(c->def, t.event));
        }
        below |= pct < min;
        snprintf(why, sizeof why, "%d/%d transitions (%.1f%%), below %.1f%%",
                 taken, n, pct, min);
        if (tl->junit && min > 0)
            junit_add(tl->junit, "coverage", dosm_def_name(c->def),
                      dosm_def_name(c->def), pct < min ? why : NULL, 0);
    }
    return below;
}

int cmd_test(args *a)
{
    coverage *all = NULL;
    tally t = {0, NULL};
    const char *junit_path = a->junit;
    FILE *junit_file = NULL;
    int i, failures = 0, show = a->coverage || a->min_coverage;
    double min = a->min_coverage ? atof(a->min_coverage) : 0;
    for (i = 0; i < a->noperands; i++)
        if (strcmp(a->operands[i], "-") == 0) /* as before: not stdin */
            return usage("test: unknown option '-'");
    /* Opened first, so an unwritable path fails before any test runs. */
    if (junit_path && (!(junit_file = fopen(junit_path, "w")) ||
                       !(t.junit = junit_new()))) {
        fprintf(stderr, "dosm: test: cannot write %s: %s\n", junit_path,
                junit_file ? "out of memory" : strerror(errno));
        if (junit_file)
            fclose(junit_file);
        return EXIT_FAILED;
    }
    printf("TAP version 13\n");
    for (i = 0; i < a->noperands; i++)
        failures += run_file(a->operands[i], &all, &t);
    printf("1..%d\n", t.number);
    if (show && report_coverage(all, min, 1, &t)) {
        printf("# coverage below %.1f%%\n", min);
        failures++;
    }
    if (junit_file) {
        int written = junit_write(t.junit, junit_file);
        if (fclose(junit_file) != 0 || !written) {
            fprintf(stderr, "dosm: test: cannot write %s\n", junit_path);
            failures++;
        }
        junit_free(t.junit);
    }
    while (all) {
        coverage *next = all->next;
        dosm_def_free(all->def);
        free(all->taken);
        free(all);
        all = next;
    }
    return failures ? EXIT_FAILED : 0;
}
