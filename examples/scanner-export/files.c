/* The POSIX file primitives the queue and the lab share, and the crash hook
 * the tests use to kill the program at each step in turn. */
#define _POSIX_C_SOURCE 200809L
#include "scanner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int path_join(char *buf, size_t size, const char *dir, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

char *read_whole_file(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t room = 0, n = 0, got;
    if (!f)
        return NULL;
    do {
        if (n == room) {
            char *bigger = realloc(buf, (room = room ? room * 2 : 4096) + 1);
            if (!bigger) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            buf = bigger;
        }
        got = fread(buf + n, 1, room - n, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        free(buf);
        fclose(f);
        errno = EIO;
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *length = n;
    return buf;
}

int write_all(int fd, const char *data, size_t length)
{
    while (length > 0) {
        ssize_t n = write(fd, data, length);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        data += n;
        length -= (size_t)n;
    }
    return 0;
}

/* rename() and link() change the directory: until the directory itself is
 * synced, a power cut may forget them even though the file's data is on
 * disk. */
int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY), rc;
    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

static unsigned long crash_at, crash_count;

void crash_point_arm(unsigned long n)
{
    crash_at = n;
}

/* SIGKILL, not exit(): nothing is flushed or cleaned up, as when the
 * scanner's power goes or the operating system kills it. */
void crash_point(void)
{
    if (crash_at && ++crash_count == crash_at)
        raise(SIGKILL);
}
