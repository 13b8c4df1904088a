/*
 * contract.h — `runner --check-plugin FILE.so`: the plugin contract of
 * transport.h run against one plugin, one line per rule.
 */
#ifndef INCBENCH_CONTRACT_H
#define INCBENCH_CONTRACT_H

#include <stdio.h>

/* Returns the number of rules that failed (0 = the plugin keeps the contract). */
int contract_check(const char *path, FILE *out);

#endif
