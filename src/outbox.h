/*
 * outbox.h
 *		Orders queued in a transaction and sent by a worker after COMMIT.
 */
#ifndef ALPACA_OUTBOX_H
#define ALPACA_OUTBOX_H

extern Size alpaca_outbox_shmem_size(void);
extern void alpaca_outbox_shmem_startup(void);
extern void alpaca_define_outbox_gucs(void);

#endif
