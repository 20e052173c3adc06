/* The linked library's version, the runtime twin of the header's macros. */
#include "dosm.h"

#define STR_(x) #x
#define STR(x) STR_(x)

int dosm_version_number(void)
{
    return DOSM_VERSION_NUMBER;
}

const char *dosm_version(void)
{
    return STR(DOSM_VERSION_MAJOR) "." STR(DOSM_VERSION_MINOR) "." STR(
        DOSM_VERSION_PATCH);
}
