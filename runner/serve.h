/*
 * serve.h — `runner --serve SECTION FILE`: the far end of server.c's spawn,
 * one section's plugin server alone in a process of its own.
 */
#ifndef INCBENCH_SERVE_H
#define INCBENCH_SERVE_H

#include "server.h"

/* Serve that section until SIGTERM, SIGINT or SIGHUP. Prints
 * "READY <endpoint>" (what server_start bound) on stdout once it accepts; errors on stderr (this is a
 * program's main: its stderr is the spawning runner's capture file). Exit code. */
int serve_main(const char *section, const struct server_argv *argv);

#endif
