/*
 * account.h
 *		Which Alpaca account this server's keys are for (src/account.c).
 */
#ifndef ALPACA_ACCOUNT_H
#define ALPACA_ACCOUNT_H

/* Alpaca's account id (a uuid), asked once per process and keys */
extern const char *alpaca_account_id(void);

#endif
