/*
 * budget.h
 *		The request budgets (this server's and the account's), per-endpoint
 *		statistics, backoff.
 */
#ifndef ALPACA_BUDGET_H
#define ALPACA_BUDGET_H

#include "http.h"

typedef enum AlpacaApi
{
	ALPACA_API_TRADING,			/* alpaca.base_url */
	ALPACA_API_DATA,			/* alpaca.data_url */
	ALPACA_APIS
} AlpacaApi;

extern Size alpaca_budget_shmem_size(void);
extern void alpaca_budget_shmem_startup(void);
extern void alpaca_budget_take(AlpacaApi api, bool change);
extern void alpaca_budget_answered(AlpacaApi api, const AlpacaResponse *resp);
extern void alpaca_budget_record(const char *method, const char *template, long status,
								 bool failed, bool retry, double ms);
extern int64 alpaca_backoff_us(int attempt, int retry_after_s, int64 reset_epoch_s, int remaining);
extern int64 alpaca_statement_time_left(void);
extern void alpaca_sleep_us(int64 us);

#endif
