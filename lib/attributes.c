/* Prepared attributes: an order's attribute values read once, by the
 * definition's attribute index, for guards to read without text. */
#include "model.h"

#include <string.h>

int dosm_attributes_prepare(const dosm_def *def, const dosm_values *values,
                            const dosm_allocator *allocator,
                            dosm_attributes **out)
{
    dosm_attributes *a;
    size_t bytes = 0, i;
    char *at;
    if (out)
        *out = NULL;
    if (!def || !out)
        return DOSM_E_ARG;
    a = dosm__mem_alloc(allocator ? allocator : &def->mem.alloc,
                        sizeof *a + def->attr_count * sizeof *a->values);
    if (!a)
        return DOSM_E_NOMEM;
    a->as_values.pairs = NULL;
    a->as_values.count = 0;
    a->as_values.lookup = dosm__prepared_lookup;
    a->as_values.lookup_user = a;
    a->def = def;
    a->alloc = allocator ? *allocator : def->mem.alloc;
    a->values = (prepared_value *)(void *)(a + 1);
    /* each attribute looked up once (a lookup callback may answer anew
     * each time), its text kept until copied below */
    for (i = 0; i < def->attr_count; i++) {
        a->values[i].text = dosm__values_get(values, def->attrs[i].name);
        if (a->values[i].text)
            bytes += strlen(a->values[i].text) + 1;
    }
    a->text = dosm__mem_alloc(&a->alloc, bytes ? bytes : 1);
    if (!a->text) {
        dosm__mem_free(&a->alloc, a);
        return DOSM_E_NOMEM;
    }
    for (at = a->text, i = 0; i < def->attr_count; i++) {
        prepared_value *p = &a->values[i];
        size_t len;
        if (!p->text) {
            p->readable = 0;
            continue;
        }
        len = strlen(p->text) + 1;
        memcpy(at, p->text, len);
        p->text = at;
        at += len;
        p->readable = dosm__value_read(&def->attrs[i], p->text, &p->v);
    }
    *out = a;
    return DOSM_OK;
}

const char *dosm__prepared_lookup(void *set, const char *name)
{
    const dosm_attributes *a = set;
    int i = dosm_attribute_find(a->def, name);
    return i < 0 ? NULL : a->values[i].text;
}

const dosm_values *dosm_attributes_values(const dosm_attributes *a)
{
    return a ? &a->as_values : NULL;
}

void dosm_attributes_free(dosm_attributes *a)
{
    if (!a)
        return;
    dosm__mem_free(&a->alloc, a->text);
    dosm__mem_free(&a->alloc, a);
}
