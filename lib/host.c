/* The host's callbacks and named guards, kept apart from the immutable
 * definition so one definition serves many hosts and threads. */
#include "model.h"

#include <string.h>

dosm_host *dosm_host_new(const dosm_def *def, const dosm_allocator *allocator)
{
    dosm_host *h;
    size_t size;
    if (!def)
        return NULL;
    /* One block: the host, then its effect slots, then its guard slots. */
    const dosm_allocator *a =
        allocator && allocator->alloc && allocator->free ? allocator
                                                         : &def->mem.alloc;
    size = sizeof *h + def->effect_count * sizeof(callback_slot) +
           def->guard_count * sizeof(guard_binding);
    h = dosm__mem_alloc(a, size); /* and freed with the same allocator */
    if (!h)
        return NULL;
    memset(h, 0, size);
    h->def = def;
    h->alloc = *a;
    h->effects = (callback_slot *)(void *)(h + 1);
    h->guards = (guard_binding *)(void *)(h->effects + def->effect_count);
    return h;
}

void dosm_host_free(dosm_host *h)
{
    if (h) {
        dosm_allocator a = h->alloc;
        dosm__mem_free(&a, h);
    }
}

int dosm_host_on(dosm_host *h, dosm_hook hook, dosm_callback fn, void *user)
{
    if (!h || (int)hook < 0 || (int)hook > DOSM_ON_REJECT)
        return DOSM_E_ARG;
    h->hooks[hook].fn = fn;
    h->hooks[hook].user = user;
    return DOSM_OK;
}

/* The index of a declared effect or guard, or a DOSM_E_* code (< 0). */
static int32_t declared(const dosm_host *h, const name_index *ix,
                        name_table t, const char *name)
{
    int32_t i;
    if (!h || !name)
        return -DOSM_E_ARG;
    i = dosm__names_find(ix, &t, name);
    return i < 0 ? -DOSM_E_NAME : i;
}

int dosm_host_bind_effect(dosm_host *h, const char *name, dosm_callback fn,
                          void *user)
{
    int32_t i = h ? declared(h, &h->def->effect_ix,
                             dosm__table_of_effects(h->def), name)
                  : -DOSM_E_ARG;
    if (i < 0)
        return (int)-i;
    h->effects[i].fn = fn;
    h->effects[i].user = user;
    return DOSM_OK;
}

int dosm_host_bind_guard(dosm_host *h, const char *name, dosm_guard_fn fn,
                         void *user)
{
    int32_t i = h ? declared(h, &h->def->guard_ix, dosm__table_of_guards(h->def),
                             name)
                  : -DOSM_E_ARG;
    if (i < 0)
        return (int)-i;
    h->guards[i].fn = fn;
    h->guards[i].user = user;
    return DOSM_OK;
}

int dosm_host_check(const dosm_host *h, dosm_error *error)
{
    uint32_t i;
    if (!h)
        return DOSM_E_ARG;
    for (i = 0; i < h->def->effect_count; i++)
        if (!h->effects[i].fn) {
            dosm__error_set(error, DOSM_E_UNBOUND,
                      "effect '%s' of workflow %s has no callback",
                      h->def->effects[i].name, h->def->name);
            return DOSM_E_UNBOUND;
        }
    for (i = 0; i < h->def->guard_count; i++)
        if (!h->guards[i].fn) {
            dosm__error_set(error, DOSM_E_UNBOUND,
                      "guard '%s' of workflow %s has no callback",
                      h->def->guards[i].name, h->def->name);
            return DOSM_E_UNBOUND;
        }
    return DOSM_OK;
}

/* What callbacks and guards see when the caller gave no request. */
static const dosm_request no_request = {0};

const dosm_request *dosm__request_or_empty(const dosm_request *req)
{
    return req ? req : &no_request;
}

/* Each call gets a copy of the order of its own: what a guard writes
 * there (through a cast) changes nothing. */
int dosm__host_guard_holds(const eval_ctx *ctx, int32_t guard)
{
    const dosm_host *h = ctx->host;
    const dosm_def *d = ctx->def;
    const dosm_request *req = dosm__request_or_empty(ctx->request);
    dosm_instance copy;
    dosm_callback_info info;
    if (!h || !h->guards[guard].fn)
        return 0;
    copy = *ctx->inst;
    memset(&info, 0, sizeof info);
    info.def = d;
    info.before = info.after = &copy;
    info.event = d->trans[ctx->trans].event_name;
    info.guard = d->guards[guard].name;
    info.transition = ctx->trans;
    info.context = req->context;
    info.request = req;
    return h->guards[guard].fn(&info, h->guards[guard].user) != 0;
}

void dosm__host_call(const dosm_host *h, dosm_hook hook, const dosm_callback_info *info)
{
    if (h && h->hooks[hook].fn)
        h->hooks[hook].fn(info, h->hooks[hook].user);
}

void dosm__host_effect(const dosm_host *h, int32_t effect,
                 const dosm_callback_info *info)
{
    if (h && h->effects[effect].fn)
        h->effects[effect].fn(info, h->effects[effect].user);
}
