/*
 * segment.c — see segment.h. A named POSIX segment (/dev/shm/NAME) rather
 * than a memfd: a client in another process opens it by name, with no
 * descriptor to pass and no /proc/<pid>/fd to reach. The server unlinks
 * it on stop; the mapping of a client still attached stays valid.
 */
#include "segment.h"

#include "futex.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int segment_parse(const char *address, char *name, char *err, size_t errlen)
{
    if (address == NULL || strncmp(address, "shm:", 4) != 0) {
        snprintf(err, errlen, "shm: address '%s' is not shm:NAME", address ? address : "(none)");
        return -1;
    }
    const char *n = address + 4;
    const size_t len = strlen(n);
    if (len == 0 || len > SHM_NAME_MAX || strchr(n, '/') != NULL ||
        strcmp(n, ".") == 0 || strcmp(n, "..") == 0) {
        snprintf(err, errlen, "shm: address '%s' needs a NAME of 1 to %d characters "
                 "without '/'", address, SHM_NAME_MAX);
        return -1;
    }
    memcpy(name, n, len + 1);
    return 0;
}

static void *map_fd(int fd, size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* What in the mapped header differs from this build's layout; "" if nothing. */
static void layout_differs(const struct shm_header *h, size_t file_size, char *why, size_t len)
{
    why[0] = '\0';
    const uint64_t magic = atomic_load_explicit(&h->magic, memory_order_acquire);
    if (magic != SHM_MAGIC)
        snprintf(why, len, "is not an incbench shm segment (magic 0x%016" PRIx64
                 ", expected 0x%016" PRIx64 ")", magic, SHM_MAGIC);
    else if (h->version != SHM_LAYOUT_VERSION)
        snprintf(why, len, "has layout version %u, this plugin speaks %u",
                 h->version, SHM_LAYOUT_VERSION);
    else if (h->line != SHM_LINE || h->channels != SHM_CHANNELS || h->slots != SHM_SLOTS ||
             h->size != sizeof(struct shm_segment))
        snprintf(why, len, "has %u channels x %u slots of %u-byte lines in %" PRIu64
                 " bytes, this plugin expects %u x %u of %u in %zu",
                 h->channels, h->slots, h->line, h->size,
                 SHM_CHANNELS, SHM_SLOTS, SHM_LINE, sizeof(struct shm_segment));
    else if (file_size != sizeof(struct shm_segment))
        snprintf(why, len, "is %zu bytes, its header says %zu",
                 file_size, sizeof(struct shm_segment));
}

int segment_open(const char *name, struct shm_segment **seg, char *err, size_t errlen)
{
    *seg = NULL;
    char path[SHM_NAME_MAX + 2];
    snprintf(path, sizeof path, "/%s", name);
    const int fd = shm_open(path, O_RDWR | O_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "shm: cannot open shm:%s (/dev/shm/%s): %s%s", name, name,
                 strerror(errno), errno == ENOENT ? " (no server there)" : "");
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "shm: cannot stat shm:%s: %s", name, strerror(errno));
        close(fd);
        return -1;
    }
    const size_t size = (size_t)st.st_size;
    if (size < sizeof(struct shm_header)) {
        snprintf(err, errlen, "shm: shm:%s is %zu bytes, too small for a segment "
                 "(this plugin's is %zu)", name, size, sizeof(struct shm_segment));
        close(fd);
        return -1;
    }
    struct shm_segment *s = map_fd(fd, size);
    const int map_errno = errno;
    close(fd);
    if (s == NULL) {
        snprintf(err, errlen, "shm: cannot map shm:%s: %s", name, strerror(map_errno));
        return -1;
    }
    char why[200];
    layout_differs(&s->head, size, why, sizeof why);
    if (why[0] != '\0') {
        snprintf(err, errlen, "shm: shm:%s %s", name, why);
        munmap(s, size);
        return -1;
    }
    *seg = s;
    return 0;
}

/* True when shm:name is a segment of ours whose server has died. */
static bool left_by_dead_server(const char *name)
{
    struct shm_segment *s = NULL;
    char err[256];
    if (segment_open(name, &s, err, sizeof err) != 0)
        return false;
    const bool dead = !futex_peer_alive((pid_t)s->head.server_pid);
    segment_unmap(s);
    return dead;
}

static void fresh_name(char *name)
{
    uint64_t r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        r = (uint64_t)ts.tv_nsec * UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)ts.tv_sec ^
            (uint64_t)(uintptr_t)name;
    }
    snprintf(name, SHM_NAME_MAX + 1, "incbench-shm-%d-%016" PRIx64, (int)getpid(), r);
}

static int create_fd(const char *name, char *err, size_t errlen)
{
    char path[SHM_NAME_MAX + 2];
    snprintf(path, sizeof path, "/%s", name);
    const int fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno != EEXIST)
            snprintf(err, errlen, "shm: cannot create shm:%s (/dev/shm/%s): %s",
                     name, name, strerror(errno));
        return -1;
    }
    if (ftruncate(fd, (off_t)sizeof(struct shm_segment)) != 0) {
        snprintf(err, errlen, "shm: cannot size shm:%s to %zu bytes: %s",
                 name, sizeof(struct shm_segment), strerror(errno));
        close(fd);
        shm_unlink(path);
        return -1;
    }
    return fd;
}

int segment_create(const char *name, char *name_out, struct shm_segment **seg,
                   char *err, size_t errlen)
{
    *seg = NULL;
    int fd = -1;
    err[0] = '\0';
    /* A fresh name collides only by chance; a given one may be a dead
     * server's leftover, taken over once. */
    for (int attempt = 0; fd < 0 && attempt < 4; attempt++) {
        if (name == NULL)
            fresh_name(name_out);
        else
            snprintf(name_out, SHM_NAME_MAX + 1, "%s", name);
        fd = create_fd(name_out, err, errlen);
        if (fd >= 0 || err[0] != '\0')
            break;
        if (name != NULL) {
            if (attempt > 0 || !left_by_dead_server(name_out)) {
                snprintf(err, errlen, "shm: shm:%s exists already (another server's, or "
                         "not ours: remove /dev/shm/%s)", name_out, name_out);
                return -1;
            }
            segment_unlink(name_out);
        }
    }
    if (fd < 0) {
        if (err[0] == '\0')
            snprintf(err, errlen, "shm: no fresh segment name was free");
        return -1;
    }
    struct shm_segment *s = map_fd(fd, sizeof *s);
    const int map_errno = errno;
    close(fd);
    if (s == NULL) {
        snprintf(err, errlen, "shm: cannot map shm:%s: %s", name_out, strerror(map_errno));
        segment_unlink(name_out);
        return -1;
    }
    s->head.version = SHM_LAYOUT_VERSION;
    s->head.line = SHM_LINE;
    s->head.channels = SHM_CHANNELS;
    s->head.slots = SHM_SLOTS;
    s->head.size = sizeof *s;
    s->head.server_pid = (int32_t)getpid();
    atomic_store_explicit(&s->head.state, SHM_SERVING, memory_order_relaxed);
    *seg = s;
    return 0;
}

void segment_publish(struct shm_segment *seg)
{
    atomic_store_explicit(&seg->head.magic, SHM_MAGIC, memory_order_release);
}

void segment_unmap(struct shm_segment *seg)
{
    if (seg != NULL)
        munmap(seg, sizeof *seg);
}

void segment_unlink(const char *name)
{
    char path[SHM_NAME_MAX + 2];
    snprintf(path, sizeof path, "/%s", name);
    shm_unlink(path);
}
