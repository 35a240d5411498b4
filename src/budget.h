/*
 * budget.h
 *		One request budget for the cluster; per-endpoint statistics; backoff.
 */
#ifndef ALPACA_BUDGET_H
#define ALPACA_BUDGET_H

extern int	alpaca_requests_per_minute;
extern int	alpaca_max_retries;

extern Size alpaca_budget_shmem_size(void);
extern void alpaca_budget_shmem_startup(void);
extern void alpaca_define_budget_gucs(void);
extern void alpaca_budget_take(void);
extern void alpaca_budget_record(const char *method, const char *template, long status,
								 bool failed, bool retry, double ms);
extern int64 alpaca_backoff_us(int attempt, int retry_after_s, int64 reset_epoch_s, int remaining);
extern int64 alpaca_statement_time_left(void);
extern void alpaca_sleep_us(int64 us);

#endif
