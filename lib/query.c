/* Reading a compiled definition: states, events, transitions, tags, ranks,
 * sort keys and rollups. None of these allocate. */
#include "internal.h"

#include <stddef.h>
#include <string.h>

static name_table table(const void *base, size_t stride, size_t off,
                        size_t off2)
{
    name_table t;
    t.table = base;
    t.stride = stride;
    t.offset = off;
    t.offset2 = off2;
    return t;
}

name_table dosm__table_of_states(const dosm_def *d)
{
    return table(d->states, sizeof(state_def), offsetof(state_def, id),
                 offsetof(state_def, label));
}
name_table dosm__table_of_events(const dosm_def *d)
{
    return table(d->events, sizeof(event_def), offsetof(event_def, name), (size_t)-1);
}
name_table dosm__table_of_attrs(const dosm_def *d)
{
    return table(d->attrs, sizeof(field), offsetof(field, name), (size_t)-1);
}
name_table dosm__table_of_guards(const dosm_def *d)
{
    return table(d->guards, sizeof(named), offsetof(named, name), (size_t)-1);
}
name_table dosm__table_of_effects(const dosm_def *d)
{
    return table(d->effects, sizeof(named), offsetof(named, name), (size_t)-1);
}

static int valid_state(const dosm_def *d, int s)
{
    return d && s >= 0 && (uint32_t)s < d->state_count;
}

size_t dosm_state_count(const dosm_def *d)
{
    return d ? d->state_count : 0;
}

int dosm_state_find(const dosm_def *d, const char *name)
{
    name_table t;
    if (!d || !name)
        return -1;
    t = dosm__table_of_states(d);
    return dosm__names_find(&d->state_ix, &t, name);
}

int32_t dosm__state_by_id(const dosm_def *d, const char *id, size_t len,
                    int renamed)
{
    uint32_t i, j;
    char name[65];
    int32_t s;
    if (!id || len == 0 || len > 64)
        return -1;
    memcpy(name, id, len);
    name[len] = '\0';
    s = dosm_state_find(d, name);
    if (s >= 0 && strcmp(d->states[s].id, name) == 0 &&
        !d->states[s].is_parent)
        return s;
    for (i = 0; renamed && i < d->state_count; i++)
        for (j = 0; !d->states[i].is_parent && j < d->states[i].renamed_count;
             j++)
            if (strcmp(d->states[i].renamed[j], name) == 0)
                return (int32_t)i;
    return -1;
}

int dosm_state_get(const dosm_def *d, int s, dosm_state_info *info)
{
    const state_def *st;
    if (!valid_state(d, s) || !info)
        return DOSM_E_ARG;
    st = &d->states[s];
    info->id = st->id;
    info->label = st->label;
    info->description = st->description;
    info->attention = st->attention;
    info->rank = st->rank;
    info->final = st->final;
    info->is_parent = st->is_parent;
    info->parent = st->parent;
    info->fallback = st->fallback;
    info->timeout = st->timeout;
    info->timeout_event = st->timeout_event;
    info->tag_count = st->tag_count;
    info->tags = st->tags;
    return DOSM_OK;
}

const char *dosm_state_id(const dosm_def *d, int s)
{
    return valid_state(d, s) ? d->states[s].id : NULL;
}

int dosm_state_has_tag(const dosm_def *d, int s, const char *tag)
{
    uint32_t i;
    if (!valid_state(d, s) || !tag)
        return 0;
    for (i = 0; i < d->states[s].tag_count; i++)
        if (strcmp(d->states[s].tags[i], tag) == 0)
            return 1;
    return 0;
}

size_t dosm_states_tagged(const dosm_def *d, const char *tag, int *out,
                          size_t capacity)
{
    size_t n = 0;
    uint32_t i;
    if (!d)
        return 0;
    for (i = 0; i < d->ranked_count; i++) {
        int s = d->ranked[i];
        if (tag && !dosm_state_has_tag(d, s, tag))
            continue;
        if (out && n < capacity)
            out[n] = s;
        n++;
    }
    return n;
}

size_t dosm_states_ranked(const dosm_def *d, int *out, size_t capacity)
{
    return dosm_states_tagged(d, NULL, out, capacity);
}

const char *dosm_attention_name(int attention)
{
    static const char *const names[] = {"red", "yellow", "green", "white"};
    return attention >= 0 && attention < 4 ? names[attention] : "";
}

size_t dosm_event_count(const dosm_def *d)
{
    return d ? d->event_count : 0;
}

int dosm_event_find(const dosm_def *d, const char *name)
{
    name_table t;
    if (!d || !name)
        return -1;
    t = dosm__table_of_events(d);
    return dosm__names_find(&d->event_ix, &t, name);
}

const char *dosm_event_name(const dosm_def *d, int e)
{
    return d && e >= 0 && (uint32_t)e < d->event_count ? d->events[e].name
                                                        : NULL;
}

size_t dosm_transition_count(const dosm_def *d)
{
    return d ? d->trans_count : 0;
}

int dosm_transition_get(const dosm_def *d, int i, dosm_transition_info *info)
{
    const transition_def *t;
    if (!d || i < 0 || (uint32_t)i >= d->trans_count || !info)
        return DOSM_E_ARG;
    t = &d->trans[i];
    info->event = t->event;
    info->target = t->to;
    info->guard = t->guard ? t->guard->text : NULL;
    info->effect_count = t->effect_count;
    info->effects = t->effect_names;
    info->from_count = t->from_count;
    info->from = t->from;
    info->line = t->at.line;
    return DOSM_OK;
}

dosm_instance dosm_instance_initial(const dosm_def *d)
{
    dosm_instance inst;
    inst.state = (uint16_t)d->initial;
    inst.previous = DOSM_NO_STATE;
    inst.seq = 0;
    return inst;
}

uint32_t dosm_sort_key(const dosm_def *d, const dosm_instance *inst)
{
    return instance_valid(d, inst) ? d->states[inst->state].order
                                   : UINT32_MAX;
}

int dosm_rollup(const dosm_def *d, const dosm_instance *items, size_t count)
{
    size_t i;
    int32_t least;
    int same = 1;
    if (!d || !items || count == 0)
        return -1;
    for (i = 0; i < count; i++)
        if (!instance_valid(d, &items[i]))
            return -1;
    least = items[0].state;
    for (i = 1; i < count; i++) {
        int32_t s = items[i].state;
        same &= s == items[0].state;
        if (d->states[s].distance < d->states[least].distance)
            least = s;
    }
    if (same)
        return items[0].state;
    return d->mixed >= 0 ? d->mixed : least;
}

int dosm_attribute_check(const dosm_def *d, const char *name,
                         const char *text)
{
    name_table t;
    int32_t a;
    value v;
    if (!d || !name || !text)
        return DOSM_E_ARG;
    t = dosm__table_of_attrs(d);
    a = dosm__names_find(&d->attr_ix, &t, name);
    if (a < 0)
        return DOSM_E_NAME;
    return dosm__value_read(&d->attrs[a], text, &v) ? DOSM_OK : DOSM_E_ARG;
}
