/* Prints the version the header says and the one the linked library says,
 * and fails unless the header's macros agree with DOSM_VERSION_NUMBER and
 * with dosm_version_number(). version.sh compares the rest. */
#include <dosm.h>

#include <stdio.h>

int main(void)
{
    if (DOSM_VERSION_NUMBER != DOSM_VERSION_MAJOR * 10000 + DOSM_VERSION_MINOR * 100 +
                                   DOSM_VERSION_PATCH ||
        dosm_version_number() != DOSM_VERSION_NUMBER)
        return 1;
    printf("%d.%d.%d %s\n", DOSM_VERSION_MAJOR, DOSM_VERSION_MINOR, DOSM_VERSION_PATCH,
           dosm_version());
    return 0;
}
