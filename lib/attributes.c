/* Prepared attributes: an order's attribute values read once, by the
 * definition's attribute index, for guards to read without text. */
#include "model.h"

#include <string.h>

int dosm_attributes_prepare(const dosm_def *def, const dosm_values *values,
                            const dosm_allocator *allocator,
                            dosm_attributes **out)
{
    dosm_attributes *a;
    size_t i;
    if (out)
        *out = NULL;
    if (!def || !out)
        return DOSM_E_ARG;
    a = dosm__mem_alloc(allocator ? allocator : &def->mem.alloc,
                        sizeof *a + def->attr_count * sizeof *a->values);
    if (!a)
        return DOSM_E_NOMEM;
    memset(a, 0, sizeof *a + def->attr_count * sizeof *a->values);
    a->as_values.lookup = dosm__prepared_lookup;
    a->as_values.lookup_user = a;
    a->def = def;
    a->alloc = allocator ? *allocator : def->mem.alloc;
    a->values = (prepared_value *)(void *)(a + 1);
    /* Each attribute is looked up once and copied at once: a lookup
     * callback's answer may live only until its next call. */
    for (i = 0; i < def->attr_count; i++) {
        prepared_value *p = &a->values[i];
        const char *text = dosm__values_get(values, def->attrs[i].name);
        size_t len;
        char *copy;
        if (!text)
            continue;
        len = strlen(text) + 1;
        copy = dosm__mem_alloc(&a->alloc, len);
        if (!copy) {
            dosm_attributes_free(a);
            return DOSM_E_NOMEM;
        }
        memcpy(copy, text, len);
        p->text = copy;
        p->readable = dosm__value_read(&def->attrs[i], copy, &p->v);
    }
    *out = a;
    return DOSM_OK;
}

const char *dosm__prepared_lookup(void *set, const char *name)
{
    const dosm_attributes *a = set;
    int i;
    if (!a) /* a host may call a values' lookup itself */
        return NULL;
    i = dosm_attribute_find(a->def, name);
    return i < 0 ? NULL : a->values[i].text;
}

const dosm_values *dosm_attributes_values(const dosm_attributes *a)
{
    return a ? &a->as_values : NULL;
}

void dosm_attributes_free(dosm_attributes *a)
{
    size_t i;
    if (!a)
        return;
    for (i = 0; i < a->def->attr_count; i++)
        dosm__mem_free(&a->alloc, a->values[i].text);
    dosm__mem_free(&a->alloc, a);
}
