/*
 * audit_slots.h
 *		The shared-memory slots through which backends hand the audit worker
 *		their records: the one thing audit.c (the caller's half) and
 *		audit_worker.c (the worker's half) share.
 */
#ifndef ALPACA_AUDIT_SLOTS_H
#define ALPACA_AUDIT_SLOTS_H

#include "storage/latch.h"
#include "storage/lwlock.h"

#define AUDIT_SLOTS 64
#define AUDIT_DATA 12288		/* one record as JSON */

typedef enum SlotState
{
	SLOT_FREE,
	SLOT_INTENT,				/* an intent to write; a backend waits */
	SLOT_COMPLETE,				/* an answer to add to record id; kept until
								 * written */
	SLOT_DONE					/* the intent is written (or failed): the
								 * backend takes the result */
} SlotState;

typedef struct AuditSlot
{
	SlotState	state;
	bool		waited;			/* a backend waits for the result */
	bool		abandoned;		/* ... and gave up: the worker frees it, and
								 * records that the call was not sent */
	Latch	   *owner;
	int64		id;				/* the record; set by the worker for an
								 * intent */
	bool		failed;
	int			tries;			/* of a completion, to write it */
	char		error[256];
	int			len;
	char		data[AUDIT_DATA];
} AuditSlot;

typedef struct AuditShared
{
	LWLock	   *lock;
	AuditSlot	slots[AUDIT_SLOTS];
} AuditShared;

extern AuditShared *alpaca_audit_slots;

#endif
