/*
 * mirror.h
 *		The mirror worker: orders, positions and activities from Alpaca's streams.
 */
#ifndef ALPACA_MIRROR_H
#define ALPACA_MIRROR_H

extern Size alpaca_mirror_shmem_size(void);
extern void alpaca_mirror_shmem_startup(void);

#endif
