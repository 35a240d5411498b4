/*
 * guc.h
 *		Server settings of the alpaca extension: API keys, base URL, limits.
 */
#ifndef ALPACA_GUC_H
#define ALPACA_GUC_H

extern char *alpaca_key_id;		/* the keys themselves, never shown */
extern char *alpaca_secret_key;
extern char *alpaca_base_url;
extern char *alpaca_data_url;
extern bool alpaca_allow_live;
extern int	alpaca_timeout_ms;
extern int	alpaca_max_response_kb;
extern int	alpaca_max_pages;

extern void alpaca_define_gucs(void);
extern void alpaca_require_keys(void);
extern void alpaca_check_base_url(void);
extern void alpaca_check_data_url(void);

/* log_filter.c */
extern void alpaca_install_log_filter(void);

#endif
