/* What every command shares: files, diagnostics, --set, STATE arguments. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int usage(const char *fmt, ...)
{
    va_list ap;
    fputs("dosm: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'dosm help'.\n", stderr);
    return EXIT_USAGE;
}

size_t append(char *buf, size_t size, size_t used, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (used + 1 >= size)
        return used;
    va_start(ap, fmt);
    n = vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
    if (n < 0)
        return used;
    return (size_t)n < size - used ? used + (size_t)n : size - 1;
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f)
        return NULL;
    for (;;) {
        size_t got;
        if (n == cap) {
            char *bigger;
            cap = cap ? cap * 2 : 65536;
            bigger = realloc(buf, cap + 1);
            if (!bigger) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            buf = bigger;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno ? errno : EIO;
        free(buf);
        fclose(f);
        errno = e;
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

const char *last_separator(const char *path)
{
    const char *slash = strrchr(path, '/');
#ifdef _WIN32
    const char *backslash = strrchr(path, '\\');
    if (backslash && (!slash || backslash > slash))
        slash = backslash;
#endif
    return slash;
}

int is_absolute(const char *path)
{
#ifdef _WIN32
    if (path[0] == '\\' || (path[0] && path[1] == ':'))
        return 1;
#endif
    return path[0] == '/';
}

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

void report_diagnostic(report *r, const char *file, unsigned line,
                       unsigned col, int warning, const char *code,
                       const char *text)
{
    if (warning)
        r->warnings++;
    else
        r->errors++;
    if (!r->json) {
        if (line) /* the form compilers use, for editors and CI */
            fprintf(stderr, "%s:%u:%u: %s: %s\n", file, line, col,
                    warning ? "warning" : "error", text);
        else
            fprintf(stderr, "dosm: error: %s\n", text);
        return;
    }
    printf("%s\n  {\"file\": ", r->first ? "" : ",");
    r->first = 0;
    json_string(file);
    printf(", \"line\": %u, \"column\": %u, \"severity\": \"%s\", "
           "\"code\": \"%s\", \"message\": ",
           line, col, warning ? "warning" : "error", code);
    json_string(text);
    putchar('}');
}

void report_on_diagnostic(void *user, const dosm_diagnostic *d)
{
    report_diagnostic(user, d->source, d->line, d->column,
                      d->severity == DOSM_WARNING, dosm_code_name(d->code),
                      d->text);
}

/* Reading commands print only errors: lint is the place for warnings. */
static void errors_only(void *user, const dosm_diagnostic *d)
{
    if (d->severity == DOSM_ERROR)
        report_on_diagnostic(user, d);
}

static dosm_def *load(const char *path, report *r, int warnings)
{
    dosm_load_options opt;
    dosm_error err;
    dosm_def *def = NULL;
    size_t len = 0;
    char *buf = read_file(path, &len);
    if (!buf) {
        char text[512];
        snprintf(text, sizeof text, "cannot read %s: %s", path,
                 strerror(errno));
        report_diagnostic(r, path, 0, 0, 0, "DOSM_E_ARG", text);
        return NULL;
    }
    dosm_load_options_init(&opt);
    opt.on_diagnostic = warnings ? report_on_diagnostic : errors_only;
    opt.diagnostic_user = r;
    if (warnings) /* lint: the authoring checks too */
        opt.flags = DOSM_LOAD_LINT;
    if (dosm_load(buf, len, path, &opt, &def, &err) == DOSM_E_NOMEM)
        report_diagnostic(r, path, 0, 0, 0, "DOSM_E_NOMEM", err.text);
    free(buf);
    return def;
}

dosm_def *load_workflow(const char *path, report *r)
{
    return load(path, r, 1);
}

dosm_def *load_one(const char *path)
{
    report r = {0, 1, 0, 0};
    return load(path, &r, 0);
}

int pairs_add(pairs *p, const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    char *copy;
    if (!eq || eq == assignment || p->count == MAX_PAIRS)
        return 0;
    copy = malloc(strlen(assignment) + 1);
    if (!copy)
        return 0;
    strcpy(copy, assignment);
    copy[eq - assignment] = '\0';
    p->storage[p->count] = copy;
    p->items[p->count].name = copy;
    p->items[p->count].value = copy + (eq - assignment) + 1;
    p->count++;
    p->values.pairs = p->items;
    p->values.count = p->count;
    return 1;
}

int pairs_set(pairs *p, const char *name, const char *value)
{
    char buf[512];
    size_t i;
    for (i = 0; i < p->count && strcmp(p->items[i].name, name) != 0; i++)
        ;
    if (i < p->count) { /* replace: drop the old one */
        free(p->storage[i]);
        p->storage[i] = p->storage[p->count - 1];
        p->items[i] = p->items[p->count - 1];
        p->count--;
        p->values.count = p->count;
    }
    snprintf(buf, sizeof buf, "%s=%s", name, value);
    return pairs_add(p, buf);
}

void pairs_free(pairs *p)
{
    size_t i;
    for (i = 0; i < p->count; i++)
        free(p->storage[i]);
    p->count = 0;
    p->values.count = 0;
}

int pairs_check_attributes(const pairs *p, const dosm_def *def)
{
    size_t i;
    for (i = 0; i < p->count; i++) {
        int rc = dosm_attribute_check(def, p->items[i].name, p->items[i].value);
        if (rc == DOSM_E_NAME)
            return usage("--set %s: workflow %s has no attribute '%s'",
                         p->items[i].name, dosm_def_name(def),
                         p->items[i].name);
        if (rc != DOSM_OK)
            return usage("--set %s=%s: the value does not fit the "
                         "attribute's type",
                         p->items[i].name, p->items[i].value);
    }
    return 0;
}

/* A named guard answered as the user or the scenario says. */
static int guard_answer(const dosm_callback_info *info, void *user)
{
    const dosm_def *def = info->def;
    const dosm_instance *inst = info->before;
    const dosm_request *req = info->request;
    (void)def;
    (void)inst;
    (void)req;
    return strcmp((const char *)user, "true") == 0;
}

int bind_guards(dosm_host *host, const pairs *guards, char *why, size_t size)
{
    size_t i;
    for (i = 0; i < guards->count; i++) {
        const dosm_pair *g = &guards->items[i];
        if (strcmp(g->value, "true") != 0 && strcmp(g->value, "false") != 0) {
            snprintf(why, size, "guard %s must be true or false", g->name);
            return 0;
        }
        if (dosm_host_bind_guard(host, g->name, guard_answer, (void *)g->value) !=
            DOSM_OK) {
            snprintf(why, size, "the workflow declares no guard '%s'", g->name);
            return 0;
        }
    }
    return 1;
}

dosm_host *args_host(const args *a, const dosm_def *def, int *rc)
{
    char why[256];
    dosm_host *host;
    *rc = 0;
    if (a->guards.count == 0)
        return NULL;
    host = dosm_host_new(def, NULL);
    if (!host) {
        *rc = usage("out of memory");
        return NULL;
    }
    if (!bind_guards(host, &a->guards, why, sizeof why)) {
        dosm_host_free(host);
        *rc = usage("--guard: %s", why);
        return NULL;
    }
    return host;
}

void args_free(args *a)
{
    pairs_free(&a->set);
    pairs_free(&a->guards);
    free(a->operands);
    a->operands = NULL;
}

int state_arg(const dosm_def *def, const char *name)
{
    int s = dosm_state_find(def, name);
    dosm_state_info info;
    if (s < 0) {
        usage("workflow %s has no state '%s'", dosm_def_name(def), name);
        return -1;
    }
    dosm_state_get(def, s, &info);
    if (info.is_parent) {
        usage("%s is a parent state; name one of its children", info.id);
        return -1;
    }
    return s;
}

yaml_node_t *doc_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    yaml_node_pair_t *p;
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE &&
            strcmp((const char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

const char *doc_text(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
                                            : NULL;
}
