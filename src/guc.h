/*
 * guc.h
 *		Server settings of the alpaca extension: API keys, base URL, limits.
 */
#ifndef ALPACA_GUC_H
#define ALPACA_GUC_H

extern char *alpaca_key_id;
extern char *alpaca_secret_key;
extern char *alpaca_base_url;
extern bool alpaca_allow_live;
extern int	alpaca_timeout_ms;

extern void alpaca_define_gucs(void);
extern void alpaca_require_keys(void);
extern void alpaca_check_base_url(void);

#endif
