/* Typed values: an attribute's or payload field's text read as its
 * field's type, and a value looked up by name in a host's dosm_values.
 * The guard parser reads literals with it, evaluation reads requests. */
#include "model.h"

#include <string.h>

int dosm__value_read(const field *f, const char *text, value *out)
{
    uint32_t i;
    out->type = f->type;
    out->str = text;
    switch (f->type) {
    case TYPE_STRING:
        return 1;
    case TYPE_ENUM:
        for (i = 0; i < f->value_count; i++)
            if (strcmp(f->values[i], text) == 0) {
                out->num = i;
                return 1;
            }
        return 0;
    case TYPE_INTEGER:
        return dosm__text_parse_int(text, &out->num);
    case TYPE_BOOLEAN:
        out->num = strcmp(text, "true") == 0;
        return out->num || strcmp(text, "false") == 0;
    case TYPE_VERSION:
        return dosm__text_parse_version(text, &out->version);
    }
    return 0;
}

const char *dosm__values_get(const dosm_values *v, const char *name)
{
    size_t i;
    if (!v)
        return NULL;
    for (i = 0; v->pairs && i < v->count; i++) {
        const char *n = v->pairs[i].name;
        /* the first letter rules out most names without a call */
        if (n && n[0] == name[0] && strcmp(n, name) == 0)
            return v->pairs[i].value;
    }
    return v->lookup ? v->lookup(v->lookup_user, name) : NULL;
}
