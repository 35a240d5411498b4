/*
 * guc.c
 *		Server settings of the alpaca extension.
 *
 * The keys are the account: whoever holds them can trade.  So they are
 * superuser-only (hidden from SHOW and pg_settings for other roles), they
 * may only come from postgresql.conf or ALTER SYSTEM (per-database and
 * per-role settings are stored in pg_db_role_setting, which every role can
 * read), and the base URL they are sent to is superuser-only too, or a role
 * could point it at its own server and collect them.
 */
#include "postgres.h"

#include <curl/curl.h>

#include "utils/guc.h"

#include "guc.h"

char	   *alpaca_key_id = NULL;
char	   *alpaca_secret_key = NULL;
char	   *alpaca_base_url = NULL;
bool		alpaca_allow_live = false;
int			alpaca_timeout_ms = 10000;

#define ALPACA_PAPER_HOST "paper-api.alpaca.markets"

static bool
check_secret(char **newval, void **extra, GucSource source)
{
	if (*newval == NULL || (*newval)[0] == '\0')
		return true;
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
			return true;
	}
}

void
alpaca_define_gucs(void)
{
	DefineCustomStringVariable("alpaca.key_id",
							   "Alpaca API key id (APCA-API-KEY-ID).",
							   "Superuser-only; set in postgresql.conf or with ALTER SYSTEM.",
							   &alpaca_key_id, "",
							   PGC_SUSET,
							   GUC_SUPERUSER_ONLY | GUC_NOT_IN_SAMPLE | GUC_NO_SHOW_ALL,
							   check_secret, NULL, NULL);

	DefineCustomStringVariable("alpaca.secret_key",
							   "Alpaca API secret key (APCA-API-SECRET-KEY).",
							   "Superuser-only; set in postgresql.conf or with ALTER SYSTEM.",
							   &alpaca_secret_key, "",
							   PGC_SUSET,
							   GUC_SUPERUSER_ONLY | GUC_NOT_IN_SAMPLE | GUC_NO_SHOW_ALL,
							   check_secret, NULL, NULL);

	DefineCustomStringVariable("alpaca.base_url",
							   "Base URL of the Alpaca Trading API.",
							   "The paper API by default; any host other than the paper API or loopback needs alpaca.allow_live.",
							   &alpaca_base_url, "https://" ALPACA_PAPER_HOST,
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

	MarkGUCPrefixReserved("alpaca");
}

void
alpaca_require_keys(void)
{
	if (alpaca_key_id == NULL || alpaca_key_id[0] == '\0' ||
		alpaca_secret_key == NULL || alpaca_secret_key[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
				 errmsg("Alpaca API keys are not configured"),
				 errdetail("alpaca.key_id and alpaca.secret_key must both be set."),
				 errhint("As a superuser: ALTER SYSTEM SET alpaca.key_id = '...'; "
						 "ALTER SYSTEM SET alpaca.secret_key = '...'; SELECT pg_reload_conf();")));
}

static bool
is_loopback(const char *host)
{
	return strcmp(host, "localhost") == 0 ||
		strncmp(host, "127.", 4) == 0 ||
		strcmp(host, "::1") == 0 ||
		strcmp(host, "[::1]") == 0;
}

/*
 * Refuse to send keys anywhere but the paper API or loopback unless the
 * superuser has said live trading is meant.  Checked per request rather than
 * in a GUC hook, since the two settings may be changed in either order.
 */
void
alpaca_check_base_url(void)
{
	CURLU	   *url = curl_url();
	char	   *host = NULL;
	char	   *scheme = NULL;
	char		hostbuf[256];
	char		schemebuf[16];
	CURLUcode	rc;

	if (url == NULL)
		elog(ERROR, "out of memory");
	rc = curl_url_set(url, CURLUPART_URL, alpaca_base_url, 0);
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
				 errmsg("alpaca.base_url is not a valid http or https URL: \"%s\"", alpaca_base_url)));

	if (is_loopback(hostbuf))
		return;
	if (strcmp(schemebuf, "https") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("alpaca.base_url must use https for host \"%s\"", hostbuf),
				 errdetail("The API keys would cross the network in clear text.")));
	if (strcmp(hostbuf, ALPACA_PAPER_HOST) != 0 && !alpaca_allow_live)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("alpaca.base_url points at \"%s\", which is not the paper trading API", hostbuf),
				 errhint("To trade with real money, a superuser must set alpaca.allow_live = on.")));
}
