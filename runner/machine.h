/*
 * machine.h — what the figures were measured on (CPU model, cores, kernel),
 * read from /proc and uname for the report.
 */
#ifndef INCBENCH_MACHINE_H
#define INCBENCH_MACHINE_H

struct machine {
    char cpu_model[128];
    long cores;
    char kernel[128];
    char hostname[64];
};

void machine_read(struct machine *m);

#endif
