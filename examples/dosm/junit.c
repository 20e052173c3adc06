/* JUnit XML for dosm test --junit: the form Jenkins, GitLab and GitHub
 * read. One testsuite per scenario file, one testcase per scenario (or
 * per file that could not be run), the failure's message in it. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct junit_case {
    char *suite, *name, *classname, *failure; /* failure: NULL when passed */
    double seconds;
} junit_case;

struct junit {
    junit_case *cases;
    size_t count, cap;
};

junit *junit_new(void)
{
    return calloc(1, sizeof(junit));
}

static char *copy(const char *s)
{
    char *c = s ? malloc(strlen(s) + 1) : NULL;
    if (c)
        strcpy(c, s);
    return c;
}

int junit_add(junit *j, const char *suite, const char *name,
              const char *classname, const char *failure, double seconds)
{
    junit_case *c;
    if (j->count == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 16;
        junit_case *bigger = realloc(j->cases, cap * sizeof *bigger);
        if (!bigger)
            return 0;
        j->cases = bigger;
        j->cap = cap;
    }
    c = &j->cases[j->count];
    c->suite = copy(suite);
    c->name = copy(name);
    c->classname = copy(classname);
    c->failure = copy(failure);
    c->seconds = seconds;
    if (!c->suite || !c->name || !c->classname || (failure && !c->failure)) {
        free(c->suite);
        free(c->name);
        free(c->classname);
        free(c->failure);
        return 0;
    }
    j->count++;
    return 1;
}

void junit_free(junit *j)
{
    size_t i;
    for (i = 0; j && i < j->count; i++) {
        free(j->cases[i].suite);
        free(j->cases[i].name);
        free(j->cases[i].classname);
        free(j->cases[i].failure);
    }
    if (j)
        free(j->cases);
    free(j);
}

/* Text as XML 1.0 character data or attribute value. XML 1.0 cannot
 * carry most control characters even as references, nor U+FFFE and
 * U+FFFF: those are written as \uXXXX so the message still says what
 * was there. Tab, newline and carriage return are references, which
 * attribute values keep. (The strings are UTF-8: libyaml checked them.) */
static void xml_text(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        case '\t': fputs("&#9;", f); break;
        case '\n': fputs("&#10;", f); break;
        case '\r': fputs("&#13;", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
                fprintf(f, "\\u%s", p[2] == 0xBE ? "fffe" : "ffff"), p += 2;
            else
                fputc(*p, f);
        }
    }
}

static void counts(const junit *j, size_t from, size_t to, size_t *failures,
                   double *seconds)
{
    size_t i;
    *failures = 0;
    *seconds = 0;
    for (i = from; i < to; i++) {
        *failures += j->cases[i].failure != NULL;
        *seconds += j->cases[i].seconds;
    }
}

int junit_write(const junit *j, FILE *f)
{
    size_t i, end, failures;
    double seconds;
    counts(j, 0, j->count, &failures, &seconds);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuites name=\"dosm test\" tests=\"%lu\" failures=\"%lu\" "
               "time=\"%.3f\">\n",
            (unsigned long)j->count, (unsigned long)failures, seconds);
    for (i = 0; i < j->count; i = end) {
        size_t k;
        for (end = i + 1; end < j->count &&
                          strcmp(j->cases[end].suite, j->cases[i].suite) == 0;
             end++)
            ;
        counts(j, i, end, &failures, &seconds);
        fputs("  <testsuite name=\"", f);
        xml_text(f, j->cases[i].suite);
        fprintf(f, "\" tests=\"%lu\" failures=\"%lu\" errors=\"0\" "
                   "skipped=\"0\" time=\"%.3f\">\n",
                (unsigned long)(end - i), (unsigned long)failures, seconds);
        for (k = i; k < end; k++) {
            const junit_case *c = &j->cases[k];
            fputs("    <testcase name=\"", f);
            xml_text(f, c->name);
            fputs("\" classname=\"", f);
            xml_text(f, c->classname);
            fprintf(f, "\" time=\"%.3f\"", c->seconds);
            if (!c->failure) {
                fputs("/>\n", f);
                continue;
            }
            fputs(">\n      <failure message=\"", f);
            xml_text(f, c->failure);
            fputs("\">", f);
            xml_text(f, c->failure);
            fputs("</failure>\n    </testcase>\n", f);
        }
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    return ferror(f) ? 0 : 1;
}
