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

/* the limits the owner sets per role */
extern bool alpaca_trading_enabled;
extern char *alpaca_max_order_notional;
extern char *alpaca_max_order_qty;
extern char *alpaca_max_position_notional;
extern char *alpaca_allowed_symbols;
extern char *alpaca_denied_symbols;
extern char *alpaca_allowed_asset_classes;
extern bool alpaca_allow_short;
extern bool alpaca_allow_options;
extern int	alpaca_max_orders_per_day;
extern char *alpaca_approval_above_notional;

/* the audit trail and the workers */
extern bool alpaca_audit_enabled;
extern char *alpaca_database;
extern int	alpaca_audit_timeout_ms;
extern int	alpaca_outbox_max_attempts;
extern int	alpaca_settle_interval_s;
extern bool alpaca_mirror_enabled;
extern int	alpaca_mirror_reconcile_interval_s;
extern int	alpaca_mirror_days;
extern int	alpaca_mirror_ping_interval_s;
extern bool alpaca_live_prices_enabled;
extern char *alpaca_data_stream_url;
extern char *alpaca_live_prices_feed;
extern char *alpaca_live_prices_watchlist;
extern int	alpaca_live_prices_interval_ms;
extern int	alpaca_live_prices_max_age_s;

/* the request budget */
#define ALPACA_BUDGET_MAX 100000	/* the largest requests_per_minute */
extern int	alpaca_requests_per_minute;
extern int	alpaca_data_requests_per_minute;
extern int	alpaca_reserved_requests_per_minute;
extern int	alpaca_role_requests_per_minute;
extern int	alpaca_max_retries;

extern void alpaca_define_gucs(void);
extern void alpaca_require_keys(void);
/* a hash of the key id in hex: which keys a record was made under */
extern char *alpaca_keys_id(void);
/* values seen set as keys in this process, for the log filter (NULL: none in slot i) */
extern const char *alpaca_key_seen(int i);
extern int	alpaca_keys_seen_max(void);
extern void alpaca_check_base_url(void);
extern void alpaca_check_data_url(void);
extern void alpaca_check_data_stream_url(void);

/* log_filter.c */
extern void alpaca_install_log_filter(void);

#endif
