/*
 * symbols.c
 *		What Alpaca will trade under a name: a symbol, an asset id, a
 *		contract id or another spelling, resolved to Alpaca's canonical
 *		symbol and asset class (and an option's multiplier).
 *
 * The limits a role is given name symbols and classes ("GME" denied,
 * "BTC/USD" allowed, us_equity only, no options).  Alpaca takes other
 * names for the same thing: GME by its asset id, BTC/USD as BTCUSD, an
 * option by its contract id.  A limit checked against the name the caller
 * chose is a limit with a second road around it, so the limits judge what
 * Alpaca resolves the name to: GET /v2/assets/{symbol_or_asset_id}, or for
 * an option GET /v2/options/contracts/{symbol_or_id}, asked once per name
 * and kept (per backend, for ASSET_TTL_S, and forgotten when the server or
 * the keys change).  A name Alpaca cannot resolve is refused while a limit
 * that depends on it is set.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "api.h"
#include "encoding.h"
#include "errors.h"
#include "guc.h"
#include "json.h"
#include "scalars.h"
#include "symbols.h"

#define ASSET_TTL_S 600
#define ASSET_CACHE_MAX 4096
#define NAME_MAX_LEN 64

typedef struct CachedAsset
{
	char		name[NAME_MAX_LEN]; /* the key: the name as given */
	bool		found;
	char		symbol[NAME_MAX_LEN];
	char		asset_class[16];
	char		multiplier[16];
	TimestampTz at;
} CachedAsset;

static HTAB *cache = NULL;
static uint64 cache_for = 0;	/* the server and keys it was filled for */

/* An option's OCC symbol: root, YYMMDD, C or P, strike in 8 digits. */
bool
alpaca_is_option_symbol(const char *s)
{
	size_t		n = strlen(s);

	if (n < 16 || n > 21)
		return false;
	for (size_t i = n - 15; i < n; i++)
		if (i == n - 9 ? (s[i] != 'C' && s[i] != 'P') : (s[i] < '0' || s[i] > '9'))
			return false;
	return true;
}

/* The class a symbol's own form tells, without asking: crypto pairs have a slash. */
const char *
alpaca_asset_class_of(const char *symbol)
{
	if (strchr(symbol, '/'))
		return "crypto";
	return alpaca_is_option_symbol(symbol) ? "us_option" : "us_equity";
}

static HTAB *
asset_cache(void)
{
	uint64		keys;
	HASHCTL		info;

	keys = hash_bytes_extended((const unsigned char *) alpaca_base_url, strlen(alpaca_base_url), 3);
	keys = hash_bytes_extended((const unsigned char *) alpaca_key_id, strlen(alpaca_key_id), keys);
	if (cache && (cache_for != keys || hash_get_num_entries(cache) >= ASSET_CACHE_MAX))
	{
		hash_destroy(cache);
		cache = NULL;
	}
	if (cache == NULL)
	{
		memset(&info, 0, sizeof(info));
		info.keysize = NAME_MAX_LEN;
		info.entrysize = sizeof(CachedAsset);
		info.hcxt = TopMemoryContext;
		cache = hash_create("alpaca assets", 256, &info, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
		cache_for = keys;
	}
	return cache;
}

/* One look-up: the object at path/name as jsonb, or 0 when Alpaca has none (404). */
static Datum
ask(const char *path, const char *name, bool for_change)
{
	AlpacaRequest req;
	AlpacaResponse resp;
	AlpacaTransportError err;
	char	   *msg;

	alpaca_request_init(&req, "GET", path);
	req.for_change = for_change;
	alpaca_symbol_segment(&req, "symbol_or_id", name);
	err = alpaca_try_send(&req, &resp, &msg);
	if (err == ALPACA_TRANSPORT_OK && (resp.status == 404 || resp.status == 422 || resp.status == 400))
		return (Datum) 0;
	if (err != ALPACA_TRANSPORT_OK)
		alpaca_raise_transport_error(req.method, req.path.data, err, msg);
	if (resp.status < 200 || resp.status > 299)
		alpaca_raise_http_error(req.method, alpaca_request_target(&req), &resp);
	alpaca_answer_text(&resp);
	return alpaca_jsonb_datum(resp.body, resp.body_len);
}

static bool
looks_like_uuid(const char *s)
{
	return strlen(s) == 36 && alpaca_is_uuid(s);
}

/*
 * Resolve name to what Alpaca trades under it.  false when Alpaca knows no
 * such asset or contract.  Raises when Alpaca cannot be asked.
 */
bool
alpaca_resolve_symbol(const char *name, AlpacaAsset *out, bool for_change)
{
	CachedAsset *e;
	bool		hit;
	char		key[NAME_MAX_LEN];
	Datum		j = (Datum) 0;
	bool		option = false;

	memset(out, 0, sizeof(*out));
	if (name == NULL || name[0] == '\0' || strlen(name) >= NAME_MAX_LEN)
		return false;
	strlcpy(key, name, sizeof(key));
	e = hash_search(asset_cache(), key, HASH_FIND, &hit);
	if (e && TimestampDifferenceExceeds(e->at, GetCurrentTimestamp(), ASSET_TTL_S * 1000))
		e = NULL;
	if (e == NULL)
	{
		/* an option by its OCC symbol or a contract id; everything else is an asset */
		if (alpaca_is_option_symbol(name))
		{
			j = ask("/v2/options/contracts", name, for_change);
			option = true;
		}
		else
		{
			j = ask("/v2/assets", name, for_change);
			if (j == (Datum) 0 && looks_like_uuid(name))
			{
				j = ask("/v2/options/contracts", name, for_change);
				option = true;
			}
		}
		e = hash_search(asset_cache(), key, HASH_ENTER, &hit);
		memset(e->symbol, 0, sizeof(e->symbol));
		e->found = false;
		e->at = GetCurrentTimestamp();
		if (j != (Datum) 0)
		{
			char	   *sym = alpaca_jsonb_text(j, "symbol", NULL, NULL);
			char	   *cls = option ? "us_option" : alpaca_jsonb_text(j, "class", NULL, NULL);
			char	   *mult = option ? alpaca_jsonb_text(j, "multiplier", NULL, NULL) : NULL;

			if (cls == NULL)
				cls = alpaca_jsonb_text(j, "asset_class", NULL, NULL);
			/* an option found as an asset: its contract says the multiplier */
			if (!option && cls && strcmp(cls, "us_option") == 0 && sym)
			{
				Datum		contract = ask("/v2/options/contracts", sym, for_change);

				option = true;
				mult = contract ? alpaca_jsonb_text(contract, "multiplier", NULL, NULL) : NULL;
			}
			if (sym && cls && strlen(sym) < NAME_MAX_LEN && strlen(cls) < sizeof(e->asset_class))
			{
				e->found = true;
				strlcpy(e->symbol, sym, sizeof(e->symbol));
				strlcpy(e->asset_class, cls, sizeof(e->asset_class));
				/* an option's contract is 100 shares unless Alpaca says otherwise */
				strlcpy(e->multiplier, option ? (mult && alpaca_is_decimal(mult, strlen(mult)) ? mult : "100") : "1",
						sizeof(e->multiplier));
			}
		}
	}
	if (!e->found)
		return false;
	out->symbol = pstrdup(e->symbol);
	out->asset_class = pstrdup(e->asset_class);
	out->multiplier = pstrdup(e->multiplier);
	return true;
}
