/*
 * machine.c — see machine.h. Missing files leave "unknown", never an error:
 * a report without a CPU model is still a report.
 */
#include "machine.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

void machine_read(struct machine *m)
{
    memset(m, 0, sizeof *m);
    snprintf(m->cpu_model, sizeof m->cpu_model, "unknown");
    FILE *fp = fopen("/proc/cpuinfo", "r");
    if (fp != NULL) {
        char line[512];
        while (fgets(line, sizeof line, fp) != NULL) {
            if (strncmp(line, "model name", 10) != 0)
                continue;
            const char *colon = strchr(line, ':');
            if (colon == NULL)
                continue;
            colon++;
            while (*colon == ' ' || *colon == '\t')
                colon++;
            snprintf(m->cpu_model, sizeof m->cpu_model, "%s", colon);
            m->cpu_model[strcspn(m->cpu_model, "\n")] = '\0';
            break;
        }
        fclose(fp);
    }
    m->cores = sysconf(_SC_NPROCESSORS_ONLN);
    struct utsname u;
    if (uname(&u) == 0) {
        snprintf(m->kernel, sizeof m->kernel, "%s %s %s", u.sysname, u.release, u.machine);
        snprintf(m->hostname, sizeof m->hostname, "%s", u.nodename);
    }
}
