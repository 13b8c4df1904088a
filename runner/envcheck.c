/*
 * envcheck.c — see envcheck.h. Every check reads a few small files under the
 * given roots and fills exactly one item; a file that is missing, unreadable
 * or holds something unexpected makes that item UNKNOWN with the file's name,
 * never OK and never a zero. CPU lists are parsed here, strictly, so that a
 * garbled sysfs file cannot pass for a machine with no CPUs.
 */
#include "envcheck.h"

#include "cpulist.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Above this 1-minute load per online CPU, other work is likely to take the
 * CPU from the measured loop or the server now and then. */
#define LOAD_WARN_PER_CPU 0.5

/* Governors tracked by name before the rest are only counted. */
#define MAX_GOVERNORS 8
#define GOVERNOR_NAME_MAX 32

/* Clocksources the vDSO reads in user space (the kernel gives them a vDSO
 * clock mode): tsc, kvm-clock and the Hyper-V TSC page on x86, the arch
 * timer on arm64, the timebase on powerpc, tod on s390, the RISC-V timer.
 * Any other (hpet, acpi_pm, jiffies, xen without a stable TSC, ...) turns
 * every clock_gettime into a system call, about 1 us for hpet and acpi_pm;
 * the runner reads the clock around every call, so that cost lands in every
 * figure. kvm-clock on a host without a stable TSC, or an arm64 timer with
 * an erratum workaround, also falls back to the system call: /sys does not
 * show that, so those stay OK here. */
static const char *const vdso_clocksources[] = {
    "tsc", "kvm-clock", "hyperv_clocksource_tsc_page", "arch_sys_counter",
    "timebase", "tod", "riscv_clocksource",
};

struct ctx {
    const char *proc, *sys;
    const struct envcheck_placement *places;
    size_t n_places;
    bool online_ok;             /* sys/devices/system/cpu/online read and parsed */
    cpu_set_t online;
    char online_why[256];       /* why not, for the items that need it */
    int status_err;             /* 0 when proc/self/status was read */
    char status_path[PATH_MAX];
    bool have_tracer, have_allowed, allowed_ok;
    long tracer;
    cpu_set_t allowed;
    char allowed_text[64];      /* its start, for a message when it does not parse */
    const char *preload;        /* LD_PRELOAD */
};

/* ---- text ---- */

__attribute__((format(printf, 3, 4)))
static void put(char *dst, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, len, fmt, ap);
    va_end(ap);
}

/* Append to what dst already holds; a full buffer stays as it is. */
__attribute__((format(printf, 3, 4)))
static void add(char *dst, size_t len, const char *fmt, ...)
{
    const size_t used = strnlen(dst, len);
    if (used + 1 >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst + used, len - used, fmt, ap);
    va_end(ap);
}

static void trim_right(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
}

/* Read root/rel into buf (NUL-terminated, trailing white space trimmed);
 * path receives the full name for messages. Returns 0 or an errno: ENOENT
 * when absent, EFBIG when longer than buf, EISDIR and the like from read. */
static int read_text(const char *root, const char *rel, char *buf, size_t len,
                     char *path, size_t pathlen)
{
    const int n = snprintf(path, pathlen, "%s/%s", root, rel);
    if (n < 0 || (size_t)n >= pathlen)
        return ENAMETOOLONG;
    FILE *fp = fopen(path, "re");
    if (fp == NULL)
        return errno;
    errno = 0;
    const size_t got = fread(buf, 1, len - 1, fp);
    int rc = 0;
    if (ferror(fp))
        rc = errno != 0 ? errno : EIO;
    else if (got == len - 1 && fgetc(fp) != EOF)
        rc = EFBIG;
    fclose(fp);
    if (rc != 0)
        return rc;
    buf[got] = '\0';
    if (strlen(buf) != got)
        return EILSEQ;          /* a NUL inside: not the text file we expect */
    trim_right(buf);
    return 0;
}

/* A path as messages show it: its last PATH_SHOWN bytes, so that a long
 * root cannot push the reason out of a 256-byte message. */
#define PATH_SHOWN 100

static const char *shown(const char *path)
{
    const size_t n = strlen(path);
    return n > PATH_SHOWN ? path + n - PATH_SHOWN : path;
}

static const char *dots(const char *path)
{
    return strlen(path) > PATH_SHOWN ? "..." : "";
}

static void say_unreadable(char *buf, size_t len, const char *path, int err)
{
    put(buf, len, "cannot read %s%s: %s", dots(path), shown(path), strerror(err));
}

static void say_garbled(char *buf, size_t len, const char *path, const char *text)
{
    put(buf, len, "unexpected content in %s%s: '%.60s'", dots(path), shown(path), text);
}

static void set_unreadable(struct envcheck_item *it, const char *path, int err)
{
    it->status = ENVCHECK_UNKNOWN;
    say_unreadable(it->message, sizeof it->message, path, err);
}

static void set_garbled(struct envcheck_item *it, const char *path, const char *text)
{
    it->status = ENVCHECK_UNKNOWN;
    say_garbled(it->message, sizeof it->message, path, text);
}

/* ---- CPU lists ---- */

static const char *cpus_word(const cpu_set_t *set)
{
    return CPU_COUNT(set) == 1 ? "CPU" : "CPUs";
}

/* "cpu" followed by digits only: one CPU's directory in /sys. */
static bool cpu_dirname(const char *name, size_t *cpu)
{
    if (strncmp(name, "cpu", 3) != 0)
        return false;
    const char *digits = name + 3;
    const size_t n = strspn(digits, "0123456789");
    if (n == 0 || n > 4 || digits[n] != '\0')
        return false;
    *cpu = (size_t)strtoul(digits, NULL, 10);
    return *cpu < CPU_SETSIZE;
}

/* out = a minus b */
static void cpus_minus(cpu_set_t *out, const cpu_set_t *a, const cpu_set_t *b)
{
    cpu_set_t both;
    CPU_AND(&both, a, b);
    CPU_XOR(out, a, &both);
}

/* ---- what several checks share ---- */

static void read_online(struct ctx *c)
{
    char text[4096], path[PATH_MAX];
    const int rc = read_text(c->sys, "devices/system/cpu/online", text, sizeof text,
                             path, sizeof path);
    if (rc != 0) {
        say_unreadable(c->online_why, sizeof c->online_why, path, rc);
        return;
    }
    if (cpulist_parse(text, &c->online, NULL, NULL) != CPULIST_OK) {
        say_garbled(c->online_why, sizeof c->online_why, path, text);
        return;
    }
    c->online_ok = true;
}

static bool status_field(const char *line, const char *key, const char **value)
{
    const size_t n = strlen(key);
    if (strncmp(line, key, n) != 0 || line[n] != ':')
        return false;
    const char *v = line + n + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    *value = v;
    return true;
}

/* TracerPid and Cpus_allowed_list from proc/self/status, in one pass. */
static void read_status(struct ctx *c)
{
    const int n = snprintf(c->status_path, sizeof c->status_path, "%s/self/status", c->proc);
    if (n < 0 || (size_t)n >= sizeof c->status_path) {
        c->status_err = ENAMETOOLONG;
        return;
    }
    FILE *fp = fopen(c->status_path, "re");
    if (fp == NULL) {
        c->status_err = errno;
        return;
    }
    char *line = NULL;
    size_t cap = 0;
    errno = 0;
    while (getline(&line, &cap, fp) >= 0) {
        trim_right(line);
        const char *v;
        if (status_field(line, "TracerPid", &v)) {
            char *end;
            errno = 0;
            const long pid = strtol(v, &end, 10);
            c->have_tracer = isdigit((unsigned char)*v) && *end == '\0' && errno == 0;
            c->tracer = pid;
        } else if (status_field(line, "Cpus_allowed_list", &v)) {
            c->have_allowed = true;
            c->allowed_ok = cpulist_parse(v, &c->allowed, NULL, NULL) == CPULIST_OK;
            put(c->allowed_text, sizeof c->allowed_text, "%s", v);
        }
        errno = 0;
    }
    if (ferror(fp))
        c->status_err = errno != 0 ? errno : EIO;
    free(line);
    fclose(fp);
}

/* ---- the checks ---- */

struct governor {
    char name[GOVERNOR_NAME_MAX];
    cpu_set_t cpus;
};

/* Lower-case letters, digits, '_' and '-': what governor names are made of. */
static bool governor_name_ok(const char *s)
{
    if (s[0] == '\0' || strlen(s) >= GOVERNOR_NAME_MAX)
        return false;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

static void check_governor(struct envcheck_item *it, const struct ctx *c)
{
    char path[PATH_MAX];
    const int n = snprintf(path, sizeof path, "%s/devices/system/cpu", c->sys);
    DIR *d = n < 0 || (size_t)n >= sizeof path ? NULL : opendir(path);
    if (d == NULL) {
        set_unreadable(it, path, n < 0 || (size_t)n >= sizeof path ? ENAMETOOLONG : errno);
        return;
    }
    struct governor govs[MAX_GOVERNORS];
    size_t n_govs = 0, n_other_cpus = 0, n_cpufreq = 0;
    char why[sizeof it->message] = "";
    for (const struct dirent *de; (de = readdir(d)) != NULL;) {
        size_t cpu;
        if (!cpu_dirname(de->d_name, &cpu))
            continue;
        char rel[96], text[64];
        snprintf(rel, sizeof rel, "devices/system/cpu/cpu%zu/cpufreq/scaling_governor", cpu);
        const int rc = read_text(c->sys, rel, text, sizeof text, path, sizeof path);
        if (rc == ENOENT) {
            /* No cpufreq directory at all (a VM, an offline CPU): nothing
             * scales this CPU's clock through cpufreq, nothing to warn of. */
            char dir[PATH_MAX];
            struct stat st;
            snprintf(dir, sizeof dir, "%s/devices/system/cpu/cpu%zu/cpufreq", c->sys, cpu);
            if (stat(dir, &st) != 0 && errno == ENOENT)
                continue;
        }
        n_cpufreq++;
        if (rc != 0) {
            if (why[0] == '\0')
                say_unreadable(why, sizeof why, path, rc);
            continue;
        }
        if (!governor_name_ok(text)) {
            if (why[0] == '\0')
                say_garbled(why, sizeof why, path, text);
            continue;
        }
        if (strcmp(text, "performance") == 0)
            continue;
        size_t g = 0;
        while (g < n_govs && strcmp(govs[g].name, text) != 0)
            g++;
        if (g == n_govs) {
            if (n_govs == MAX_GOVERNORS) {
                n_other_cpus++;
                continue;
            }
            put(govs[g].name, sizeof govs[g].name, "%s", text);
            CPU_ZERO(&govs[g].cpus);
            n_govs++;
        }
        CPU_SET(cpu, &govs[g].cpus);
    }
    closedir(d);

    if (n_govs > 0) {
        it->status = ENVCHECK_WARN;
        add(it->message, sizeof it->message, "CPU frequency governor is ");
        for (size_t g = 0; g < n_govs; g++) {
            char list[64];
            cpulist_format(&govs[g].cpus, list, sizeof list);
            add(it->value, sizeof it->value, "%s%s", g > 0 ? "," : "", govs[g].name);
            add(it->message, sizeof it->message, "%s'%s' on %s %s", g > 0 ? ", " : "",
                govs[g].name, cpus_word(&govs[g].cpus), list);
        }
        if (n_other_cpus > 0)
            add(it->message, sizeof it->message, ", another on %zu more CPUs", n_other_cpus);
        add(it->message, sizeof it->message,
            ": figures vary with the clock; use 'performance'");
    } else if (why[0] != '\0') {
        it->status = ENVCHECK_UNKNOWN;
        put(it->message, sizeof it->message, "%s", why);
    } else {
        put(it->value, sizeof it->value, "%s", n_cpufreq == 0 ? "no cpufreq" : "performance");
    }
}

/* Turbo: intel_pstate's no_turbo, else the generic cpufreq boost switch
 * (acpi-cpufreq, amd-pstate). */
static void check_turbo(struct envcheck_item *it, const struct ctx *c)
{
    static const struct {
        const char *rel, *label, *on, *off;
    } knobs[] = {
        { "devices/system/cpu/intel_pstate/no_turbo", "intel_pstate/no_turbo", "0", "1" },
        { "devices/system/cpu/cpufreq/boost", "cpufreq/boost", "1", "0" },
    };
    for (size_t k = 0; k < sizeof knobs / sizeof knobs[0]; k++) {
        char text[64], path[PATH_MAX];
        const int rc = read_text(c->sys, knobs[k].rel, text, sizeof text, path, sizeof path);
        if (rc == ENOENT)
            continue;
        if (rc != 0) {
            set_unreadable(it, path, rc);
        } else if (strcmp(text, knobs[k].off) == 0) {
            put(it->value, sizeof it->value, "off");
        } else if (strcmp(text, knobs[k].on) == 0) {
            it->status = ENVCHECK_WARN;
            put(it->value, sizeof it->value, "on");
            put(it->message, sizeof it->message,
                "turbo boost is on (%s = %s): the clock follows temperature and how many "
                "cores are busy; turn it off for steadier figures", knobs[k].label, text);
        } else {
            set_garbled(it, path, text);
        }
        return;
    }
    /* Neither knob: a VM or a driver without turbo, unless /sys itself is
     * missing, which says nothing about turbo. */
    char path[PATH_MAX];
    struct stat st;
    const int n = snprintf(path, sizeof path, "%s/devices/system/cpu", c->sys);
    if (n < 0 || (size_t)n >= sizeof path)
        set_unreadable(it, path, ENAMETOOLONG);
    else if (stat(path, &st) != 0)
        set_unreadable(it, path, errno);
    else
        put(it->value, sizeof it->value, "no turbo control");
}

static void check_load(struct envcheck_item *it, const struct ctx *c)
{
    char text[256], path[PATH_MAX];
    const int rc = read_text(c->proc, "loadavg", text, sizeof text, path, sizeof path);
    if (rc != 0) {
        set_unreadable(it, path, rc);
        return;
    }
    char *end;
    const double load = strtod(text, &end);
    if (!isdigit((unsigned char)text[0]) || (*end != ' ' && *end != '\0') || !isfinite(load)) {
        set_garbled(it, path, text);
        return;
    }
    if (!c->online_ok) {
        it->status = ENVCHECK_UNKNOWN;
        put(it->message, sizeof it->message, "cannot count online CPUs: %s", c->online_why);
        return;
    }
    const int cpus = CPU_COUNT(&c->online);
    const double per_cpu = load / cpus;
    put(it->value, sizeof it->value, "%.2f per CPU", per_cpu);
    if (per_cpu > LOAD_WARN_PER_CPU) {
        it->status = ENVCHECK_WARN;
        put(it->message, sizeof it->message,
            "load average is %.2f on %d online CPUs (%.2f per CPU): other work competes "
            "for the CPUs; run on an idle machine", load, cpus, per_cpu);
    }
}

static void check_clocksource(struct envcheck_item *it, const struct ctx *c)
{
    char text[128], path[PATH_MAX];
    const int rc = read_text(c->sys, "devices/system/clocksource/clocksource0/current_clocksource",
                             text, sizeof text, path, sizeof path);
    if (rc != 0) {
        set_unreadable(it, path, rc);
        return;
    }
    bool printable = text[0] != '\0';
    for (const char *p = text; *p; p++)
        printable = printable && isgraph((unsigned char)*p);
    if (!printable) {
        set_garbled(it, path, text);
        return;
    }
    put(it->value, sizeof it->value, "%s", text);
    for (size_t i = 0; i < sizeof vdso_clocksources / sizeof vdso_clocksources[0]; i++)
        if (strcmp(text, vdso_clocksources[i]) == 0)
            return;
    it->status = ENVCHECK_WARN;
    put(it->message, sizeof it->message,
        "clocksource is '%.40s', which the vDSO cannot read: every clock read is a system "
        "call (~1 us) and the runner reads the clock on every call; prefer tsc if "
        "available_clocksource lists it", text);
}

/* WARN when a CPU some placement names is outside `ok`: the part of a
 * message naming the sides, e.g. "client CPU 5 and server CPUs 6-7 are". */
static void check_placed_in(struct envcheck_item *it, const struct ctx *c, const cpu_set_t *ok,
                            const char *what, const char *ok_label, const char *ok_text)
{
    cpu_set_t bad[2], tmp;
    CPU_ZERO(&bad[0]);
    CPU_ZERO(&bad[1]);
    for (size_t i = 0; i < c->n_places; i++) {
        const cpu_set_t *side[2] = { c->places[i].client, c->places[i].server };
        for (size_t s = 0; s < 2; s++) {
            if (side[s] == NULL)
                continue;
            cpus_minus(&tmp, side[s], ok);
            CPU_OR(&bad[s], &bad[s], &tmp);
        }
    }
    const int n_bad = CPU_COUNT(&bad[0]) + CPU_COUNT(&bad[1]);
    if (n_bad == 0)
        return;
    static const char *const side_name[2] = { "client", "server" };
    it->status = ENVCHECK_WARN;
    for (size_t s = 0, named = 0; s < 2; s++) {
        if (CPU_COUNT(&bad[s]) == 0)
            continue;
        char list[64];
        cpulist_format(&bad[s], list, sizeof list);
        add(it->message, sizeof it->message, "%s%s %s %s", named++ > 0 ? " and " : "",
            side_name[s], cpus_word(&bad[s]), list);
    }
    add(it->message, sizeof it->message,
        " %s %s (%s: %s): pinning there fails or silently narrows to the other CPUs",
        n_bad == 1 ? "is" : "are", what, ok_label, ok_text);
}

static void check_cpus_online(struct envcheck_item *it, const struct ctx *c)
{
    if (!c->online_ok) {
        it->status = ENVCHECK_UNKNOWN;
        put(it->message, sizeof it->message, "%s", c->online_why);
        return;
    }
    cpulist_format(&c->online, it->value, sizeof it->value);
    check_placed_in(it, c, &c->online, "not online", "online", it->value);
}

/* Online is not enough: a cpuset (container) or taskset may forbid a CPU. */
static void check_cpus_allowed(struct envcheck_item *it, const struct ctx *c)
{
    if (c->status_err != 0) {
        set_unreadable(it, c->status_path, c->status_err);
        return;
    }
    if (!c->have_allowed) {
        it->status = ENVCHECK_UNKNOWN;
        put(it->message, sizeof it->message, "no Cpus_allowed_list line in %s%s",
            dots(c->status_path), shown(c->status_path));
        return;
    }
    if (!c->allowed_ok) {
        set_garbled(it, c->status_path, c->allowed_text);
        return;
    }
    cpulist_format(&c->allowed, it->value, sizeof it->value);
    check_placed_in(it, c, &c->allowed, "not allowed to this process", "Cpus_allowed_list",
                    it->value);
}

/* The CPUs sharing a core with cpu (itself included): thread_siblings_list,
 * or core_cpus_list, its newer name, when a kernel drops the old one. */
static int read_siblings(const struct ctx *c, size_t cpu, cpu_set_t *sib, char *why, size_t len)
{
    char rel[96], text[4096], path[PATH_MAX], text2[4096], path2[PATH_MAX];
    snprintf(rel, sizeof rel, "devices/system/cpu/cpu%zu/topology/thread_siblings_list", cpu);
    int rc = read_text(c->sys, rel, text, sizeof text, path, sizeof path);
    if (rc == ENOENT) {
        snprintf(rel, sizeof rel, "devices/system/cpu/cpu%zu/topology/core_cpus_list", cpu);
        const int rc2 = read_text(c->sys, rel, text2, sizeof text2, path2, sizeof path2);
        if (rc2 != ENOENT) {
            rc = rc2;
            memcpy(text, text2, sizeof text);
            memcpy(path, path2, sizeof path);
        }
    }
    if (rc != 0) {
        say_unreadable(why, len, path, rc);
        return rc;
    }
    if (cpulist_parse(text, sib, NULL, NULL) != CPULIST_OK) {
        say_garbled(why, len, path, text);
        return EILSEQ;
    }
    return 0;
}

static void check_smt(struct envcheck_item *it, const struct ctx *c)
{
    bool paired = false;
    char why[sizeof it->message] = "";
    size_t n_pairs = 0, first_client = 0, first_server = 0;
    for (size_t i = 0; i < c->n_places; i++) {
        const cpu_set_t *client = c->places[i].client, *server = c->places[i].server;
        if (client == NULL || server == NULL)
            continue;
        paired = true;
        for (size_t cpu = 0; cpu < CPU_SETSIZE; cpu++) {
            if (!CPU_ISSET(cpu, client))
                continue;
            if (c->online_ok && !CPU_ISSET(cpu, &c->online))
                continue;       /* cpus_online says so; it has no topology to read */
            cpu_set_t sib;
            char one_why[sizeof why];
            if (read_siblings(c, cpu, &sib, one_why, sizeof one_why) != 0) {
                if (why[0] == '\0')
                    put(why, sizeof why, "%s", one_why);
                continue;
            }
            CPU_CLR(cpu, &sib);
            CPU_AND(&sib, &sib, server);
            for (size_t s = 0; s < CPU_SETSIZE; s++) {
                if (!CPU_ISSET(s, &sib))
                    continue;
                if (n_pairs++ == 0) {
                    first_client = cpu;
                    first_server = s;
                }
            }
        }
    }
    if (n_pairs > 0) {
        it->status = ENVCHECK_WARN;
        put(it->value, sizeof it->value, "%zu,%zu share a core", first_client, first_server);
        put(it->message, sizeof it->message,
            "client CPU %zu and server CPU %zu are SMT siblings: they share one core's "
            "execution units, so each slows the other; pin them to different cores",
            first_client, first_server);
        if (n_pairs > 1)
            add(it->message, sizeof it->message, " (%zu more such pairs)", n_pairs - 1);
    } else if (why[0] != '\0') {
        it->status = ENVCHECK_UNKNOWN;
        put(it->message, sizeof it->message, "%s", why);
    } else {
        put(it->value, sizeof it->value, "%s",
            paired ? "no shared cores" : "no pinned client/server pair");
    }
}

static void check_tracer(struct envcheck_item *it, const struct ctx *c)
{
    if (c->status_err != 0) {
        set_unreadable(it, c->status_path, c->status_err);
        return;
    }
    if (!c->have_tracer) {
        it->status = ENVCHECK_UNKNOWN;
        put(it->message, sizeof it->message, "no readable TracerPid line in %s%s",
            dots(c->status_path), shown(c->status_path));
        return;
    }
    if (c->tracer == 0) {
        put(it->value, sizeof it->value, "none");
        return;
    }
    char rel[64], comm[64], path[PATH_MAX];
    snprintf(rel, sizeof rel, "%ld/comm", c->tracer);
    if (read_text(c->proc, rel, comm, sizeof comm, path, sizeof path) != 0 || comm[0] == '\0')
        put(comm, sizeof comm, "strace/gdb?");
    it->status = ENVCHECK_WARN;
    put(it->value, sizeof it->value, "%ld", c->tracer);
    put(it->message, sizeof it->message,
        "the runner is being traced by PID %ld (%s): every syscall is slowed; "
        "run it without a tracer", c->tracer, comm);
}

/* Valgrind preloads vgpreload_*.so through LD_PRELOAD (checked on
 * valgrind 3.19, --tool=none and memcheck); the maps catch a process whose
 * LD_PRELOAD was cleared after start. Its TracerPid stays 0. */
static void check_valgrind(struct envcheck_item *it, const struct ctx *c)
{
    const char *const preload = c->preload;
    const char *found = NULL;
    if (preload != NULL && strstr(preload, "vgpreload") != NULL) {
        found = "vgpreload in LD_PRELOAD";
    } else {
        char path[PATH_MAX];
        const int n = snprintf(path, sizeof path, "%s/self/maps", c->proc);
        FILE *fp = n < 0 || (size_t)n >= sizeof path ? NULL : fopen(path, "re");
        if (fp == NULL) {
            set_unreadable(it, path, n < 0 || (size_t)n >= sizeof path ? ENAMETOOLONG : errno);
            return;
        }
        char *line = NULL;
        size_t cap = 0;
        errno = 0;
        while (found == NULL && getline(&line, &cap, fp) >= 0)
            if (strstr(line, "vgpreload") != NULL)
                found = "vgpreload mapped";
        const int err = ferror(fp) ? (errno != 0 ? errno : EIO) : 0;
        free(line);
        fclose(fp);
        if (found == NULL && err != 0) {
            set_unreadable(it, path, err);
            return;
        }
    }
    if (found == NULL) {
        put(it->value, sizeof it->value, "no");
        return;
    }
    it->status = ENVCHECK_WARN;
    put(it->value, sizeof it->value, "%s", found);
    put(it->message, sizeof it->message,
        "the runner runs under valgrind (%s): every instruction is translated, figures "
        "are several to tens of times slower; run it natively", found);
}

/* ---- the door ---- */

/* Every check, in the order of the items; a name is a stable JSON key. */
static const struct {
    const char *name;
    void (*run)(struct envcheck_item *it, const struct ctx *c);
} checks[] = {
    { "cpufreq_governor", check_governor },
    { "turbo", check_turbo },
    { "load", check_load },
    { "clocksource", check_clocksource },
    { "cpus_online", check_cpus_online },
    { "cpus_allowed", check_cpus_allowed },
    { "smt_siblings", check_smt },
    { "tracer", check_tracer },
    { "valgrind", check_valgrind },
};
_Static_assert(sizeof checks / sizeof checks[0] <= ENVCHECK_MAX_ITEMS,
               "more checks than ENVCHECK_MAX_ITEMS");

void envcheck_run(struct envcheck *out, const char *proc_root, const char *sys_root,
                  const struct envcheck_placement *places, size_t n_places,
                  const char *env_preload)
{
    memset(out, 0, sizeof *out);
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.proc = proc_root != NULL ? proc_root : "/proc";
    c.sys = sys_root != NULL ? sys_root : "/sys";
    c.places = places;
    c.n_places = places != NULL ? n_places : 0;
    c.preload = env_preload;
    read_online(&c);
    read_status(&c);
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        struct envcheck_item *it = &out->items[out->n++];
        it->name = checks[i].name;
        it->status = ENVCHECK_OK;
        checks[i].run(it, &c);
    }
}

const char *envcheck_status_name(enum envcheck_status s)
{
    switch (s) {
    case ENVCHECK_OK:
        return "ok";
    case ENVCHECK_WARN:
        return "warning";
    case ENVCHECK_UNKNOWN:
        return "unknown";
    }
    return "invalid";
}

const struct envcheck_item *envcheck_find(const struct envcheck *e, const char *name)
{
    for (size_t i = 0; i < e->n; i++)
        if (strcmp(e->items[i].name, name) == 0)
            return &e->items[i];
    return NULL;
}

size_t envcheck_count(const struct envcheck *e, enum envcheck_status s)
{
    size_t n = 0;
    for (size_t i = 0; i < e->n; i++)
        n += e->items[i].status == s;
    return n;
}
