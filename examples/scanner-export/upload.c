/* The lab, standing in for DWOS Connect: the directory DIR/lab, where a
 * delivered case is the file DIR/lab/CASE.
 *
 * The scanner can die after the lab has the whole case but before the
 * queue file says EXPORTED. On restart the case is back IN_UPLOAD_QUEUE and
 * is uploaded again, so the lab must recognise a retry: the case id is the
 * idempotency key. An upload goes to CASE.part, and the lab accepts it with
 * link(CASE.part, CASE), which fails with EEXIST when CASE is already there:
 * the second copy is dropped and the scanner is told the lab has it. The
 * check is the lab's, in one atomic call, not a question the scanner asks
 * first: between the question and the upload the answer could change. */
#define _POSIX_C_SOURCE 200809L
#include "scanner.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int lab_path(char *buf, size_t size, const char *dir, const char *id,
                    const char *suffix)
{
    int n = snprintf(buf, size, "%s/lab/%s%s", dir, id, suffix);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

int lab_create(const char *dir)
{
    char path[4096];
    if (path_join(path, sizeof path, dir, "lab") != 0 ||
        (mkdir(path, 0755) != 0 && errno != EEXIST)) {
        fprintf(stderr, "scanner-export: cannot create %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    return 0;
}

int lab_has(const char *dir, const char *id)
{
    char path[4096];
    struct stat st;
    return lab_path(path, sizeof path, dir, id, "") == 0 &&
           stat(path, &st) == 0;
}

static void pause_ms(unsigned ms)
{
    struct timespec t;
    t.tv_sec = (time_t)(ms / 1000);
    t.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

/* Sends the chunks (their bytes stand for the scan) and makes them durable
 * at the lab: crash_point after each chunk lets the tests die mid-upload.
 * A CASE.part left by a crash just after the lab accepted it is the
 * accepted file itself (a second link to it): writing into it would change
 * the delivered case, so it is unlinked and the retry starts a new file. */
static int send_chunks(const char *part, unsigned delay_ms)
{
    char chunk[UPLOAD_CHUNK_SIZE];
    int fd, i;
    if (unlink(part) != 0 && errno != ENOENT)
        return -1;
    fd = open(part, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0)
        return -1;
    for (i = 0; i < UPLOAD_CHUNKS; i++) {
        memset(chunk, 'a' + i, sizeof chunk);
        pause_ms(delay_ms);
        if (write_all(fd, chunk, sizeof chunk) != 0)
            break;
        crash_point();
    }
    if (i < UPLOAD_CHUNKS || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return close(fd);
}

int upload_case(const char *dir, const char *id, unsigned delay_ms)
{
    char lab[4096], part[4096], whole[4096];
    int already;
    if (path_join(lab, sizeof lab, dir, "lab") != 0 ||
        lab_path(part, sizeof part, dir, id, ".part") != 0 ||
        lab_path(whole, sizeof whole, dir, id, "") != 0 ||
        send_chunks(part, delay_ms) != 0)
        goto fail;
    already = link(part, whole) != 0;
    if ((already && errno != EEXIST) || sync_dir(lab) != 0)
        goto fail;
    crash_point(); /* the lab has the case; the queue does not know yet */
    unlink(part);
    return already ? UPLOAD_ALREADY_THERE : UPLOAD_SENT;
fail:
    fprintf(stderr, "scanner-export: case %s: the upload to %s failed: %s\n",
            id, lab, strerror(errno));
    return UPLOAD_FAILED;
}
