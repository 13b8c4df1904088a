/*
 * segment.h — the shared segment's life: parse `shm:NAME`, create it under
 * /dev/shm (shm_open) with the layout of layout.h, open and check an
 * existing one, unmap, unlink. Errors are one sentence naming shm:NAME and
 * what is wrong with it; nothing printed, no state of its own.
 */
#ifndef INCBENCH_SHM_SEGMENT_H
#define INCBENCH_SHM_SEGMENT_H

#include "layout.h"

#include <stddef.h>

/* Longest NAME: "shm:" + NAME must fit INCBENCH_MIN_BOUNDLEN with room. */
#define SHM_NAME_MAX 200

/* NAME of "shm:NAME" into name[SHM_NAME_MAX + 1]; -1 when the address is
 * not of that form (no NAME, a '/', too long). */
int segment_parse(const char *address, char *name, char *err, size_t errlen);

/* Create and map a zeroed segment with its layout written, but not its
 * magic (segment_publish). name NULL: a fresh unique name. The name used
 * goes into name_out[SHM_NAME_MAX + 1]. A name held by a live server is
 * refused; one left by a server that died is taken over. */
int segment_create(const char *name, char *name_out, struct shm_segment **seg,
                   char *err, size_t errlen);

/* The segment is ready: clients may attach from now on. */
void segment_publish(struct shm_segment *seg);

/* Map the segment NAME and check its magic, version and layout. */
int segment_open(const char *name, struct shm_segment **seg, char *err, size_t errlen);

/* Accept NULL. */
void segment_unmap(struct shm_segment *seg);
void segment_unlink(const char *name);

#endif
