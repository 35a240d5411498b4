/*
 * guc.c
 *		Server settings of the alpaca extension.
 *
 * The keys are the account: whoever holds them can trade.  GUC_SUPERUSER_ONLY
 * alone is not enough (it lets members of pg_read_all_settings, and so
 * pg_monitor, read a value), so a key never is a setting's value at all:
 * the check hook moves it into the setting's private "extra" and leaves a
 * fingerprint as the value ("PK...0001" for the key id, "********" for the
 * secret).  SHOW, current_setting(), pg_settings (reset_val included) and
 * every other way a value is shown see only that.  The keys may only come
 * from postgresql.conf or ALTER SYSTEM (per-database and per-role settings
 * are stored in pg_db_role_setting, which every role can read), and the
 * base URL they are sent to is superuser-only too, or a role could point it
 * at its own server and collect them.
 *
 * Every setting of the extension is defined here, in one place; the modules
 * that use them read the variables guc.h declares.
 */
#include "postgres.h"

#include "common/hashfn.h"

#include "utils/builtins.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include "pgstat.h"
#include "tcop/tcopprot.h"
#include "utils/guc.h"

#include "errors.h"
#include "guc.h"

/* The keys themselves, for the transport; never a setting's value. */
char	   *alpaca_key_id = "";
char	   *alpaca_secret_key = "";

/* What the settings show. */
static char *key_id_shown = NULL;
static char *secret_key_shown = NULL;

char	   *alpaca_base_url = NULL;
char	   *alpaca_data_url = NULL;
bool		alpaca_allow_live = false;
int			alpaca_timeout_ms = 10000;
int			alpaca_max_response_kb = 64 * 1024;
int			alpaca_max_pages = 1000;

/* the limits the owner sets per role (src/risk.c) */
bool		alpaca_trading_enabled = true;
char	   *alpaca_max_order_notional = NULL;
char	   *alpaca_max_order_qty = NULL;
char	   *alpaca_max_position_notional = NULL;
char	   *alpaca_allowed_symbols = NULL;
char	   *alpaca_denied_symbols = NULL;
char	   *alpaca_allowed_asset_classes = NULL;
bool		alpaca_allow_short = true;
bool		alpaca_allow_options = true;
int			alpaca_max_orders_per_day = 0;
char	   *alpaca_approval_above_notional = NULL;

/* the audit trail and the workers */
bool		alpaca_audit_enabled = true;
char	   *alpaca_database = NULL;
int			alpaca_audit_timeout_ms = 5000;
int			alpaca_outbox_max_attempts = 5;
bool		alpaca_mirror_enabled = false;
int			alpaca_mirror_reconcile_interval_s = 300;
int			alpaca_mirror_days = 7;
int			alpaca_mirror_ping_interval_s = 30;

/* live prices */
bool		alpaca_live_prices_enabled = false;
char	   *alpaca_data_stream_url = NULL;
char	   *alpaca_live_prices_feed = NULL;
char	   *alpaca_live_prices_watchlist = NULL;
int			alpaca_live_prices_interval_ms = 1000;
int			alpaca_live_prices_max_age_s = 10;

/* the request budget */
int			alpaca_requests_per_minute = 200;
int			alpaca_data_requests_per_minute = 0;
int			alpaca_reserved_requests_per_minute = -1;
int			alpaca_settle_interval_s = 30;
int			alpaca_role_requests_per_minute = 0;
int			alpaca_max_retries = 2;

#define ALPACA_PAPER_HOST "paper-api.alpaca.markets"
#define ALPACA_DATA_HOST "data.alpaca.markets"
#define ALPACA_DATA_STREAM_HOST "stream.data.alpaca.markets"

/* The stock feeds of market-data-streaming-stocks.md. */
static bool
check_feed(char **newval, void **extra, GucSource source)
{
	static const char *const feeds[] = {"iex", "sip", "delayed_sip", "boats", "overnight", "otc", "test", NULL};

	for (const char *const *f = feeds; *f; f++)
		if (strcmp(*newval, *f) == 0)
			return true;
	GUC_check_errdetail("The feeds are iex, sip, delayed_sip, boats, overnight, otc and test.");
	return false;
}

/* "PK...0001": enough to tell keys apart, too little to use one. */
static char *
fingerprint(const char *key, bool secret)
{
	size_t		n = strlen(key);
	char		buf[32];

	if (n == 0)
		buf[0] = '\0';
	else if (secret || n < 12)
		strlcpy(buf, "********", sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "%.2s...%s", key, key + n - 4);
	return strdup(buf);
}

/*
 * Every value this process has seen set as a key (the new key of a
 * rotation, a refused one, one a session set), so the log filter scrubs
 * them wherever they appear, not only the keys in force.  malloc'd: the
 * check hook runs where palloc is not the GUC machinery's way.
 */
#define KEYS_SEEN 8
static char *keys_seen[KEYS_SEEN];
static int	keys_seen_next = 0;

static void
remember_key(const char *key)
{
	char	   *copy;

	if (strlen(key) < 4)
		return;
	for (int i = 0; i < KEYS_SEEN; i++)
		if (keys_seen[i] && strcmp(keys_seen[i], key) == 0)
			return;
	copy = strdup(key);
	if (copy == NULL)
		return;
	if (keys_seen[keys_seen_next])
	{
		explicit_bzero(keys_seen[keys_seen_next], strlen(keys_seen[keys_seen_next]));
		free(keys_seen[keys_seen_next]);
	}
	keys_seen[keys_seen_next] = copy;
	keys_seen_next = (keys_seen_next + 1) % KEYS_SEEN;
}

const char *
alpaca_key_seen(int i)
{
	return i >= 0 && i < KEYS_SEEN ? keys_seen[i] : NULL;
}

int
alpaca_keys_seen_max(void)
{
	return KEYS_SEEN;
}

static bool
check_key(char **newval, void **extra, GucSource source, bool secret)
{
	char	   *key = *newval ? *newval : "";
	char	   *shown;

	if (key[0] != '\0')
	{
		remember_key(key);

		/*
		 * A statement setting a key is what pg_stat_activity shows of the
		 * session until its next statement, to every role with
		 * pg_read_all_stats: it shows this instead.
		 */
		if (debug_query_string != NULL)
			pgstat_report_activity(STATE_RUNNING, "-- a statement that sets an Alpaca key (not shown)");
		switch (source)
		{
			case PGC_S_TEST:
			case PGC_S_DATABASE:
			case PGC_S_USER:
			case PGC_S_DATABASE_USER:
				GUC_check_errmsg("Alpaca keys cannot be stored per database, per role or per function");
				GUC_check_errdetail("Such settings are kept in catalogs that every role can read.");
				GUC_check_errhint("Set them in postgresql.conf or with ALTER SYSTEM, then SELECT pg_reload_conf().");
				return false;
			default:
				break;
		}
	}
	/* extra and *newval are malloc'd: the GUC machinery free()s them */
	*extra = strdup(key);
	shown = fingerprint(key, secret);
	if (*extra == NULL || shown == NULL)
	{
		free(*extra);
		free(shown);
		GUC_check_errcode(ERRCODE_OUT_OF_MEMORY);
		GUC_check_errmsg("out of memory");
		return false;
	}
	if (*newval)
	{
		explicit_bzero(*newval, strlen(*newval));
		free(*newval);
	}
	*newval = shown;
	return true;
}

static bool
check_key_id(char **newval, void **extra, GucSource source)
{
	return check_key(newval, extra, source, false);
}

static bool
check_secret_key(char **newval, void **extra, GucSource source)
{
	return check_key(newval, extra, source, true);
}

static void
assign_key_id(const char *newval, void *extra)
{
	alpaca_key_id = extra ? (char *) extra : "";
}

static void
assign_secret_key(const char *newval, void *extra)
{
	alpaca_secret_key = extra ? (char *) extra : "";
}

/* a limit that is a decimal amount: empty (no limit) or a number >= 0 */
static bool
check_amount(char **newval, void **extra, GucSource source)
{
	const char *s = *newval;

	if (s == NULL || s[0] == '\0')
		return true;
	if (strspn(s, "0123456789.") != strlen(s) || strchr(s, '.') != strrchr(s, '.') ||
		strspn(s, ".") == strlen(s))
	{
		GUC_check_errdetail("The limit must be a decimal number, e.g. '1000' or '2.5', or empty for none.");
		return false;
	}
	return true;
}

static bool
check_classes(char **newval, void **extra, GucSource source)
{
	static const char *const classes[] = {"us_equity", "us_option", "crypto", NULL};
	char	   *copy = pstrdup(*newval ? *newval : "");

	for (char *tok = strtok(copy, ", "); tok; tok = strtok(NULL, ", "))
	{
		bool		known = false;

		for (const char *const *c = classes; *c; c++)
			known |= strcmp(tok, *c) == 0;
		if (!known)
		{
			GUC_check_errdetail("Unknown asset class \"%s\"; the classes are us_equity, us_option and crypto.", tok);
			return false;
		}
	}
	return true;
}

void
alpaca_define_gucs(void)
{
	DefineCustomStringVariable("alpaca.key_id",
							   "Alpaca API key id (APCA-API-KEY-ID).",
							   "Superuser-only; set in postgresql.conf or with ALTER SYSTEM. Shown as a fingerprint.",
							   &key_id_shown, "",
							   PGC_SUSET,
							   GUC_SUPERUSER_ONLY | GUC_NOT_IN_SAMPLE | GUC_NO_SHOW_ALL,
							   check_key_id, assign_key_id, NULL);

	DefineCustomStringVariable("alpaca.secret_key",
							   "Alpaca API secret key (APCA-API-SECRET-KEY).",
							   "Superuser-only; set in postgresql.conf or with ALTER SYSTEM. Shown as ********.",
							   &secret_key_shown, "",
							   PGC_SUSET,
							   GUC_SUPERUSER_ONLY | GUC_NOT_IN_SAMPLE | GUC_NO_SHOW_ALL,
							   check_secret_key, assign_secret_key, NULL);

	DefineCustomStringVariable("alpaca.base_url",
							   "Base URL of the Alpaca Trading API.",
							   "The paper API by default; any host other than the paper API or loopback needs alpaca.allow_live.",
							   &alpaca_base_url, "https://" ALPACA_PAPER_HOST,
							   PGC_SUSET, 0,
							   NULL, NULL, NULL);

	DefineCustomStringVariable("alpaca.data_url",
							   "Base URL of the Alpaca Market Data API, used for the price of a market order under a notional limit.",
							   "The same for paper and live accounts; any host other than it or loopback needs alpaca.allow_live.",
							   &alpaca_data_url, "https://" ALPACA_DATA_HOST,
							   PGC_SUSET, 0,
							   NULL, NULL, NULL);

	DefineCustomBoolVariable("alpaca.allow_live",
							 "Allow alpaca.base_url to name a host other than the paper API or loopback.",
							 "Live trading spends real money; it must be switched on deliberately.",
							 &alpaca_allow_live, false,
							 PGC_SUSET, 0,
							 NULL, NULL, NULL);

	DefineCustomIntVariable("alpaca.timeout_ms",
							"Longest time one Alpaca API request may take.",
							NULL,
							&alpaca_timeout_ms, 10000, 1, 3600 * 1000,
							PGC_USERSET, GUC_UNIT_MS,
							NULL, NULL, NULL);

	DefineCustomIntVariable("alpaca.max_response_size",
							"Largest Alpaca API answer accepted.",
							"A larger answer is refused before it is read; the body is held in memory while it is parsed.",
							&alpaca_max_response_kb, 64 * 1024, 64, 1024 * 1024,
							PGC_SUSET, GUC_UNIT_KB,
							NULL, NULL, NULL);

	DefineCustomIntVariable("alpaca.max_pages",
							"Most pages one list function follows before it stops with an error.",
							NULL,
							&alpaca_max_pages, 1000, 1, 1000000,
							PGC_USERSET, 0,
							NULL, NULL, NULL);

	/* the limits: superuser-only, so they can be set per role and the role cannot lift them */
	DefineCustomBoolVariable("alpaca.trading_enabled",
							 "Allow calls that change the account (orders, closes, watchlists, transfers ...); reads go on.",
							 "The kill switch: off refuses every state-changing call.",
							 &alpaca_trading_enabled, true, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("alpaca.max_order_notional",
							   "Largest value of one order, in dollars; empty for no limit.",
							   NULL, &alpaca_max_order_notional, "", PGC_SUSET, 0, check_amount, NULL, NULL);
	DefineCustomStringVariable("alpaca.max_order_qty",
							   "Largest quantity of one order (shares, contracts, coins); empty for no limit.",
							   NULL, &alpaca_max_order_qty, "", PGC_SUSET, 0, check_amount, NULL, NULL);
	DefineCustomStringVariable("alpaca.max_position_notional",
							   "Largest value a position may reach through an order, in dollars; empty for no limit.",
							   NULL, &alpaca_max_position_notional, "", PGC_SUSET, 0, check_amount, NULL, NULL);
	DefineCustomStringVariable("alpaca.allowed_symbols",
							   "The only symbols that may be traded, comma-separated; empty for any.",
							   NULL, &alpaca_allowed_symbols, "", PGC_SUSET, GUC_LIST_INPUT, NULL, NULL, NULL);
	DefineCustomStringVariable("alpaca.denied_symbols",
							   "Symbols that may not be traded, comma-separated.",
							   NULL, &alpaca_denied_symbols, "", PGC_SUSET, GUC_LIST_INPUT, NULL, NULL, NULL);
	DefineCustomStringVariable("alpaca.allowed_asset_classes",
							   "Asset classes that may be traded (us_equity, us_option, crypto), comma-separated; empty for any.",
							   NULL, &alpaca_allowed_asset_classes, "", PGC_SUSET, GUC_LIST_INPUT, check_classes, NULL, NULL);
	DefineCustomBoolVariable("alpaca.allow_short",
							 "Allow orders that open or grow a short position.",
							 NULL, &alpaca_allow_short, true, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomBoolVariable("alpaca.allow_options",
							 "Allow option orders, exercise and do-not-exercise.",
							 NULL, &alpaca_allow_options, true, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("alpaca.max_orders_per_day",
							"Most orders one role may place per trading day (New York time); 0 for no limit.",
							"Counted from alpaca_audit.",
							&alpaca_max_orders_per_day, 0, 0, 1000000, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("alpaca.approval_above_notional",
							   "A queued order worth more than this, in dollars, waits for approval; empty for none.",
							   "An order whose value is not known (an mleg order, no price) waits too while it is set.",
							   &alpaca_approval_above_notional, "", PGC_SUSET, 0, check_amount, NULL, NULL);

	/* the audit trail and the workers */
	DefineCustomBoolVariable("alpaca.audit",
							 "Record every state-changing call in alpaca_audit before it is sent.",
							 "When on, a call whose intent cannot be recorded is not sent.",
							 &alpaca_audit_enabled, true, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("alpaca.database",
							   "The database the extension's workers connect to: its alpaca_audit, outbox and mirror.",
							   "The extension must be installed there.",
							   &alpaca_database, "postgres", PGC_POSTMASTER, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("alpaca.audit_timeout_ms",
							"Longest wait for the audit worker to record an intent.",
							NULL, &alpaca_audit_timeout_ms, 5000, 100, 600000, PGC_SUSET, GUC_UNIT_MS,
							NULL, NULL, NULL);
	DefineCustomIntVariable("alpaca.outbox_max_attempts",
							"Times the outbox worker sends a queued order before it only looks it up.",
							"An order still unsettled after this many sends is looked up by client_order_id: "
							"found, it is placed; absent, it is marked failed and never sent again.",
							&alpaca_outbox_max_attempts, 5, 1, 100, PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("alpaca.settle_interval",
							"Time between the outbox worker's looks at audit records a stop left unsettled.",
							"Records whose call ended without an answer are settled by client_order_id, at start and then at this interval.",
							&alpaca_settle_interval_s, 30, 1, 3600, PGC_SIGHUP, GUC_UNIT_S, NULL, NULL, NULL);
	DefineCustomBoolVariable("alpaca.mirror",
							 "Keep alpaca_mirror_orders, _positions and _activities current from Alpaca's streams.",
							 "The alpaca mirror worker connects when on and disconnects when off.",
							 &alpaca_mirror_enabled, false, PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("alpaca.mirror_reconcile_interval",
							"Time between full comparisons of the mirror with Alpaca.",
							"They also run at start and after every reconnect.",
							&alpaca_mirror_reconcile_interval_s, 300, 1, 86400, PGC_SIGHUP, GUC_UNIT_S, NULL, NULL, NULL);
	DefineCustomIntVariable("alpaca.mirror_ping_interval",
							"Silence on the trade_updates stream after which the mirror pings Alpaca.",
							"A stream that stays silent for twice this long (no answer to the ping either) is given up and opened again.",
							&alpaca_mirror_ping_interval_s, 30, 1, 3600, PGC_SIGHUP, GUC_UNIT_S, NULL, NULL, NULL);
	DefineCustomIntVariable("alpaca.mirror_days",
							"Days of orders the mirror keeps reconciled (open orders always).",
							NULL, &alpaca_mirror_days, 7, 1, 3650, PGC_SIGHUP, 0, NULL, NULL, NULL);

	/* live prices (src/prices.c) */
	DefineCustomBoolVariable("alpaca.live_prices",
							 "Keep alpaca_live_prices current from Alpaca's market data streams.",
							 "The alpaca prices worker streams the symbols of open positions, open orders and alpaca.live_prices_watchlist.",
							 &alpaca_live_prices_enabled, false, PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("alpaca.data_stream_url",
							   "Base URL of Alpaca's market data streams (https:// means wss://).",
							   "Any host other than Alpaca's or loopback needs alpaca.allow_live.",
							   &alpaca_data_stream_url, "https://" ALPACA_DATA_STREAM_HOST,
							   PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("alpaca.live_prices_feed",
							   "The stock feed alpaca_live_prices streams: iex (Alpaca's basic plan), sip, delayed_sip, boats, overnight, otc or test.",
							   NULL, &alpaca_live_prices_feed, "iex", PGC_SIGHUP, 0, check_feed, NULL, NULL);
	DefineCustomStringVariable("alpaca.live_prices_watchlist",
							   "A watchlist (by name) whose symbols alpaca_live_prices streams too.",
							   NULL, &alpaca_live_prices_watchlist, "", PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("alpaca.live_prices_interval",
							"Each symbol of alpaca_live_prices is written at most once in this long.",
							NULL, &alpaca_live_prices_interval_ms, 1000, 50, 3600 * 1000, PGC_SIGHUP, GUC_UNIT_MS,
							NULL, NULL, NULL);
	DefineCustomIntVariable("alpaca.live_prices_max_age",
							"How old a trade of alpaca_live_prices may be for the limits to price an order from it (0: never; they ask the Market Data API).",
							"Its age is since the worker wrote it.",
							&alpaca_live_prices_max_age_s, 10, 0, 3600, PGC_SIGHUP, GUC_UNIT_S, NULL, NULL, NULL);

	/* the request budget (src/budget.c) */
	DefineCustomIntVariable("alpaca.requests_per_minute",
							"Most requests the whole cluster sends to the Trading API in any 60 seconds.",
							"Alpaca allows about 200 a minute per account. A request past it waits, then fails with 53400.",
							&alpaca_requests_per_minute, 200, 1, ALPACA_BUDGET_MAX, PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("alpaca.data_requests_per_minute",
							"Most requests the whole cluster sends to the Market Data API in any 60 seconds; 0 for no cap of its own.",
							"Alpaca's own limit (200 a minute on the basic plan, 10,000 on the paid one) is learned from its answers either way.",
							&alpaca_data_requests_per_minute, 0, 0, ALPACA_BUDGET_MAX, PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("alpaca.reserved_requests_per_minute",
							"Of each budget of this server's, the requests a minute that reads may not take; -1 for a tenth of it.",
							"Kept for calls that change the account (and the look-ups their checks make) and for the extension's workers.",
							&alpaca_reserved_requests_per_minute, -1, -1, ALPACA_BUDGET_MAX, PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("alpaca.role_requests_per_minute",
							"Most requests one role's sessions may send in any 60 seconds; 0 for no cap.",
							"Superuser-only: set it per role (ALTER ROLE ... SET), and the role cannot lift it.",
							&alpaca_role_requests_per_minute, 0, 0, ALPACA_BUDGET_MAX, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("alpaca.max_retries",
							"How often a read answered 429, 502, 503 or 504 is tried again, with backoff.",
							NULL, &alpaca_max_retries, 2, 0, 10, PGC_USERSET, 0, NULL, NULL, NULL);
}

/*
 * Which keys these are, to tell records made under other keys apart (an
 * audit record restored into a server with another account's keys): a
 * 64-bit hash of the key id, in hex.  Never the key: the key id has some
 * twenty random characters, so the hash gives nothing to guess it by.
 */
char *
alpaca_keys_id(void)
{
	return psprintf("%016llx", (unsigned long long)
					hash_bytes_extended((const unsigned char *) alpaca_key_id, strlen(alpaca_key_id), 0x616c70));
}

void
alpaca_require_keys(void)
{
	if (alpaca_key_id[0] == '\0' || alpaca_secret_key[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
				 errmsg("Alpaca API keys are not configured"),
				 errdetail("alpaca.key_id and alpaca.secret_key must both be set."),
				 errhint("As a superuser: ALTER SYSTEM SET alpaca.key_id = '...'; "
						 "ALTER SYSTEM SET alpaca.secret_key = '...'; SELECT pg_reload_conf();")));
}

/*
 * Loopback is 127.0.0.0/8, ::1 or the name localhost: literal addresses
 * only, so no DNS answer can make another host count as this one.
 */
static bool
is_loopback(const char *host)
{
	char		buf[64];
	size_t		n = strlen(host);
	struct in_addr a4;
	struct in6_addr a6;

	if (pg_strcasecmp(host, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (n >= 2 && n < sizeof(buf) && host[0] == '[' && host[n - 1] == ']')
	{
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = '\0';
		host = buf;
	}
	return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

/*
 * Refuse to send keys anywhere but Alpaca's own host for this setting or
 * loopback unless the superuser has said live trading is meant.  Checked per
 * request rather than in a GUC hook, since the settings may be changed in
 * either order.
 */
static void
check_url(const char *setting, const char *value, const char *own_host, const char *what)
{
	CURLU	   *url = curl_url();
	char	   *host = NULL;
	char	   *scheme = NULL;
	char		hostbuf[256];
	char		schemebuf[16];
	CURLUcode	rc;

	if (url == NULL)
		elog(ERROR, "out of memory");
	rc = curl_url_set(url, CURLUPART_URL, value, 0);
	if (rc == CURLUE_OK)
		rc = curl_url_get(url, CURLUPART_HOST, &host, 0);
	if (rc == CURLUE_OK)
		rc = curl_url_get(url, CURLUPART_SCHEME, &scheme, 0);
	strlcpy(hostbuf, host ? host : "", sizeof(hostbuf));
	strlcpy(schemebuf, scheme ? scheme : "", sizeof(schemebuf));
	curl_free(host);
	curl_free(scheme);
	curl_url_cleanup(url);

	if (rc != CURLUE_OK || (strcmp(schemebuf, "http") != 0 && strcmp(schemebuf, "https") != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is not a valid http or https URL: %s", setting, alpaca_quote(value, strlen(value)))));

	if (is_loopback(hostbuf))
		return;
	if (strcmp(schemebuf, "https") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must use https for host %s", setting, alpaca_quote(hostbuf, strlen(hostbuf))),
				 errdetail("The API keys would cross the network in clear text; only 127.0.0.0/8, ::1 and localhost may use http.")));
	if (strcmp(hostbuf, own_host) != 0 && !alpaca_allow_live)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s points at %s, which is not %s", setting, alpaca_quote(hostbuf, strlen(hostbuf)), what),
				 errhint("To trade with real money, a superuser must set alpaca.allow_live = on.")));
}

void
alpaca_check_base_url(void)
{
	check_url("alpaca.base_url", alpaca_base_url, ALPACA_PAPER_HOST, "the paper trading API");
}

void
alpaca_check_data_url(void)
{
	check_url("alpaca.data_url", alpaca_data_url, ALPACA_DATA_HOST, "Alpaca's market data API");
}

void
alpaca_check_data_stream_url(void)
{
	check_url("alpaca.data_stream_url", alpaca_data_stream_url, ALPACA_DATA_STREAM_HOST, "Alpaca's market data streams");
}
