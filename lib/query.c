/* Reading a compiled definition: states, events, transitions, tags, ranks,
 * sort keys and rollups. None of these allocate. */
#include "model.h"

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
name_table dosm__table_of_ids(const dosm_def *d)
{
    return table(d->hot, sizeof(hot_state), offsetof(hot_state, id),
                 (size_t)-1);
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

/* The state that called itself id (len bytes) in an older revision
 * (`renamed_from`), or -1: a linear search, for snapshots and records of
 * older revisions only. */
static NOINLINE int32_t state_by_old_id(const dosm_def *d, const char *id,
                                        size_t len)
{
    uint32_t i, j;
    for (i = 0; i < d->state_count; i++)
        for (j = 0; !d->states[i].is_parent && j < d->states[i].renamed_count;
             j++)
            if (strncmp(d->states[i].renamed[j], id, len) == 0 &&
                d->states[i].renamed[j][len] == '\0')
                return (int32_t)i;
    return -1;
}

int32_t dosm__state_by_id(const dosm_def *d, const char *id, size_t len,
                          int renamed)
{
    name_table t;
    int32_t s;
    if (!id || len == 0 || len > 64)
        return -1;
    t = dosm__table_of_ids(d);
    s = dosm__names_find_n(&d->id_ix, &t, id, len);
    if (s >= 0 && !d->states[s].is_parent)
        return s;
    return renamed ? state_by_old_id(d, id, len) : -1;
}

int dosm_state_get(const dosm_def *d, int state, dosm_state_info *info)
{
    const state_def *st;
    int32_t s = state_arg(d, state);
    if (s < 0 || !info)
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

const char *dosm_state_id(const dosm_def *d, int state)
{
    int32_t s = state_arg(d, state);
    return s >= 0 ? d->states[s].id : NULL;
}

int dosm_state_has_tag(const dosm_def *d, int state, const char *tag)
{
    uint32_t i;
    int32_t s = state_arg(d, state);
    if (s < 0 || !tag)
        return 0;
    for (i = 0; i < d->states[s].tag_count; i++)
        if (strcmp(d->states[s].tags[i], tag) == 0)
            return 1;
    return 0;
}

/* The leaf states in rank order, those carrying tag when it is given. */
static size_t ranked(const dosm_def *d, const char *tag, int *out,
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

size_t dosm_states_tagged(const dosm_def *d, const char *tag, int *out,
                          size_t capacity)
{
    return tag ? ranked(d, tag, out, capacity) : 0;
}

size_t dosm_states_ranked(const dosm_def *d, int *out, size_t capacity)
{
    return ranked(d, NULL, out, capacity);
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
    info->to_previous = t->to == TO_PREVIOUS;
    info->target = t->to; /* TO_PREVIOUS is DOSM_NO_STATE */
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
    /* without a definition: a state no definition has (at most 32767) */
    inst.state = d ? (uint16_t)d->initial : 0x7FFFu;
    inst.previous = DOSM_NO_STATE;
    inst.seq = 0;
    return inst;
}

uint32_t dosm_sort_key(const dosm_def *d, const dosm_instance *inst)
{
    dosm_instance here;
    return instance_read(d, inst, &here) ? d->states[here.state].order
                                         : UINT32_MAX;
}

int dosm_rollup(const dosm_def *d, const dosm_instance *items, size_t count)
{
    size_t i;
    int32_t first = -1, least = -1;
    int same = 1;
    dosm_instance here;
    if (!items || count == 0)
        return -1;
    for (i = 0; i < count; i++) {
        const state_def *s, *l;
        if (!instance_read(d, &items[i], &here))
            return -1;
        if (i == 0) {
            first = least = here.state;
            continue;
        }
        s = &d->states[here.state];
        l = &d->states[least];
        same &= here.state == first;
        /* the least advanced; of equals, the lower sort key: order-free */
        if (s->distance < l->distance ||
            (s->distance == l->distance && s->order < l->order))
            least = here.state;
    }
    if (same)
        return first;
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

int dosm_deadline_get(const dosm_def *d, const dosm_instance *inst,
                      int64_t since, dosm_deadline *deadline)
{
    dosm_instance here;
    if (!d || !inst || !deadline)
        return DOSM_E_ARG;
    if (!instance_read(d, inst, &here)) {
        memset(deadline, 0, sizeof *deadline);
        return DOSM_E_STATE;
    }
    dosm__deadline(d, &here, since, deadline);
    return DOSM_OK;
}

const char *dosm_type_name(int type)
{
    static const char *const names[] = {"string", "enum", "integer",
                                        "boolean", "version"};
    return type >= 0 && type < 5 ? names[type] : "";
}

/* i as an index of n things, or -1 */
static int32_t index_of(const dosm_def *d, int i, uint32_t n)
{
    return d && i >= 0 && (uint32_t)i < n ? (int32_t)i : -1;
}

static int field_get(const field *f, dosm_field_info *info)
{
    info->name = f->name;
    info->description = f->description;
    info->type = (int)f->type;
    info->required = f->required;
    info->value_count = f->value_count;
    info->values = f->values;
    return DOSM_OK;
}

static int named_get(const named *n, dosm_name_info *info)
{
    info->name = n->name;
    info->description = n->description;
    return DOSM_OK;
}

size_t dosm_attribute_count(const dosm_def *d)
{
    return d ? d->attr_count : 0;
}

int dosm_attribute_find(const dosm_def *d, const char *name)
{
    name_table t;
    if (!d || !name)
        return -1;
    t = dosm__table_of_attrs(d);
    return dosm__names_find(&d->attr_ix, &t, name);
}

int dosm_attribute_get(const dosm_def *d, int attribute,
                       dosm_field_info *info)
{
    int32_t a = d ? index_of(d, attribute, d->attr_count) : -1;
    if (a < 0 || !info)
        return DOSM_E_ARG;
    field_get(&d->attrs[a], info);
    info->required = 0; /* the loader's default is the payload's */
    return DOSM_OK;
}

size_t dosm_effect_count(const dosm_def *d)
{
    return d ? d->effect_count : 0;
}

int dosm_effect_get(const dosm_def *d, int effect, dosm_name_info *info)
{
    int32_t e = d ? index_of(d, effect, d->effect_count) : -1;
    return e < 0 || !info ? DOSM_E_ARG : named_get(&d->effects[e], info);
}

size_t dosm_guard_count(const dosm_def *d)
{
    return d ? d->guard_count : 0;
}

int dosm_guard_get(const dosm_def *d, int guard, dosm_name_info *info)
{
    int32_t g = d ? index_of(d, guard, d->guard_count) : -1;
    return g < 0 || !info ? DOSM_E_ARG : named_get(&d->guards[g], info);
}

int dosm_event_get(const dosm_def *d, int event, dosm_event_info *info)
{
    const event_def *e;
    int32_t i = d ? index_of(d, event, d->event_count) : -1;
    if (i < 0 || !info)
        return DOSM_E_ARG;
    e = &d->events[i];
    info->name = e->name;
    info->label = e->label;
    info->description = e->description;
    info->field_count = e->payload_count;
    return DOSM_OK;
}

int dosm_event_field(const dosm_def *d, int event, int field_index,
                     dosm_field_info *info)
{
    int32_t i = d ? index_of(d, event, d->event_count) : -1, f;
    if (i < 0 || !info)
        return DOSM_E_ARG;
    f = index_of(d, field_index, d->events[i].payload_count);
    return f < 0 ? DOSM_E_ARG : field_get(&d->events[i].payload[f], info);
}
