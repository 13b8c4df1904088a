/*
 * serve.c — test stand-in for `runner --serve`: start PLUGIN's server on
 * 127.0.0.1:0 with key=value options, print "READY host:port", serve until
 * SIGTERM or SIGINT, stop the server, exit 0. Lets Python grpcio clients
 * call our servers. Usage: serve PLUGIN [key=value...]
 */
#include "tool.h"

#include <signal.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: serve PLUGIN [key=value...]\n");
        return 2;
    }
    /* Block the stop signals before any gRPC thread exists, so they inherit
     * the mask and only sigwait below sees them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    const struct incbench_transport *t = tool_load(argv[1]);
    struct tool_params tp;
    if (t == NULL || tool_params(&tp, "127.0.0.1:0", 5000, argv + 2, argc - 2) != 0)
        return 2;
    void *server = NULL;
    char bound[128] = "", err[256] = "";
    if (t->server_start(&server, &tp.p, bound, sizeof bound, err, sizeof err) != 0) {
        fprintf(stderr, "server_start: %s\n", err);
        t->server_stop(server);
        return 1;
    }
    printf("READY %s\n", bound);
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    t->server_stop(server);
    return 0;
}
