/* Result codes, the caller's error struct, and the diagnostic sink that
 * collects a load's findings. */
#include "load.h"

#include <string.h>

typedef struct code_entry {
    int code;
    const char *name, *text;
} code_entry;

static const code_entry codes[] = {
#define DOSM_CODE_ROW_(name, value, text) {value, #name, text},
    DOSM_CODES(DOSM_CODE_ROW_)
#undef DOSM_CODE_ROW_
};

static const code_entry *code_find(int code)
{
    size_t i;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (codes[i].code == code)
            return &codes[i];
    return NULL;
}

const char *dosm_code_name(int code)
{
    const code_entry *e = code_find(code);
    return e ? e->name : "DOSM_UNKNOWN";
}

const char *dosm_code_text(int code)
{
    const code_entry *e = code_find(code);
    return e ? e->text : "unknown code";
}

void dosm__error_set(dosm_error *e, int code, const char *fmt, ...)
{
    va_list ap;
    if (!e)
        return;
    e->code = code;
    e->line = e->column = 0;
    e->source[0] = '\0';
    va_start(ap, fmt);
    dosm__text_vformat(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
}

void dosm__diag_init(diag_sink *s, const char *source, dosm_error *error,
               const dosm_load_options *opt)
{
    memset(s, 0, sizeof *s);
    s->source = source ? source : "";
    s->error = error;
    s->max_errors = opt->max_errors;
    s->on_diagnostic = opt->on_diagnostic;
    s->user = opt->diagnostic_user;
    memset(error, 0, sizeof *error);
    dosm__text_format(error->source, sizeof error->source, "%s", s->source);
}

void dosm__diag_report(diag_sink *s, dosm_severity sev, int code, mark at,
                 const char *fmt, ...)
{
    char text[DOSM_TEXT_MAX];
    va_list ap;

    if (code == DOSM_E_NOMEM && !s->nomem) {
        /* Out of memory overrides whatever was found before. */
        s->nomem = 1;
        s->errors++;
        dosm__error_set(s->error, DOSM_E_NOMEM, "out of memory");
        dosm__text_format(s->error->source, sizeof s->error->source, "%s",
                    s->source);
        return;
    }
    if (dosm__diag_full(s))
        return;
    va_start(ap, fmt);
    dosm__text_vformat(text, sizeof text, fmt, ap);
    va_end(ap);
    if (sev == DOSM_ERROR) {
        if (s->errors++ == 0) {
            s->error->code = code;
            s->error->line = at.line;
            s->error->column = at.col;
            memcpy(s->error->text, text, sizeof text);
        }
    } else {
        s->warnings++;
    }
    if (s->on_diagnostic) {
        dosm_diagnostic d;
        d.severity = sev;
        d.code = code;
        d.source = s->source;
        d.line = at.line;
        d.column = at.col;
        d.text = text;
        s->on_diagnostic(s->user, &d);
    }
}

int dosm__diag_full(const diag_sink *s)
{
    return s->nomem || s->errors >= s->max_errors;
}
