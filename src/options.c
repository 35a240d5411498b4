/*
 * options.c
 *		Option contracts, all pages.
 *
 * Exercise and do-not-exercise act on positions and live in positions.c;
 * multi-leg orders are alpaca_place_order(order_class => 'mleg', legs => ...).
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "utils/date.h"

#include "api.h"

PG_FUNCTION_INFO_V1(alpaca_option_contracts);
PG_FUNCTION_INFO_V1(alpaca_option_contract);

static const char *const statuses[] = {"active", "inactive", NULL};
static const char *const types[] = {"call", "put", NULL};
static const char *const styles[] = {"american", "european", NULL};

static const AlpacaRowSpec contract_pages = {ALPACA_FIELD_LIST, "option_contracts", "next_page_token"};

/*
 * alpaca_option_contracts(underlying_symbols text[], status,
 * expiration_date, expiration_date_gte, expiration_date_lte, root_symbol,
 * type, style, strike_price_gte, strike_price_lte, show_deliverables,
 * ppind, page_limit): every page, following next_page_token.
 */
Datum
alpaca_option_contracts(PG_FUNCTION_ARGS)
{
	AlpacaRowSink *sink;
	char	   *underlying = alpaca_arg_list(fcinfo, 0, "underlying_symbols", NULL);
	char	   *status = alpaca_arg_enum(fcinfo, 1, "status", statuses);
	char	   *exp = alpaca_arg_date(fcinfo, 2);
	char	   *exp_gte = alpaca_arg_date(fcinfo, 3);
	char	   *exp_lte = alpaca_arg_date(fcinfo, 4);
	char	   *root = alpaca_arg_text(fcinfo, 5);
	char	   *type = alpaca_arg_enum(fcinfo, 6, "type", types);
	char	   *style = alpaca_arg_enum(fcinfo, 7, "style", styles);
	char	   *strike_gte = alpaca_arg_numeric(fcinfo, 8, "strike_price_gte", false);
	char	   *strike_lte = alpaca_arg_numeric(fcinfo, 9, "strike_price_lte", false);
	char	   *deliverables = alpaca_arg_bool(fcinfo, 10);
	char	   *ppind = alpaca_arg_bool(fcinfo, 11);
	char	   *limit = alpaca_arg_int(fcinfo, 12, "page_limit", 1, 10000);
	const char *token = NULL;
	AlpacaPager pager;
	AlpacaPage	page;

	alpaca_require(!(exp && (exp_gte || exp_lte)),
				   "expiration_date cannot be combined with expiration_date_gte or expiration_date_lte", NULL);
	alpaca_require(PG_ARGISNULL(3) || PG_ARGISNULL(4) || PG_GETARG_DATEADT(3) <= PG_GETARG_DATEADT(4),
				   "expiration_date_gte must not be after expiration_date_lte", NULL);

	sink = alpaca_rows_begin(fcinfo);
	alpaca_pager_init(&pager, "option contracts");
	do
	{
		AlpacaRequest req;

		alpaca_request_init(&req, "GET", "/v2/options/contracts");
		alpaca_query(&req, "underlying_symbols", underlying);
		alpaca_query(&req, "status", status);
		alpaca_query(&req, "expiration_date", exp);
		alpaca_query(&req, "expiration_date_gte", exp_gte);
		alpaca_query(&req, "expiration_date_lte", exp_lte);
		alpaca_query(&req, "root_symbol", root);
		alpaca_query(&req, "type", type);
		alpaca_query(&req, "style", style);
		alpaca_query(&req, "strike_price_gte", strike_gte);
		alpaca_query(&req, "strike_price_lte", strike_lte);
		alpaca_query(&req, "show_deliverables", deliverables);
		alpaca_query(&req, "ppind", ppind);
		alpaca_query(&req, "limit", limit);
		alpaca_query(&req, "page_token", token);
		alpaca_fetch_page(sink, &req, &contract_pages, &page);
		token = page.token;
	} while (alpaca_pager_next(&pager, token, page.added));
	return (Datum) 0;
}

Datum
alpaca_option_contract(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	alpaca_request_init(&req, "GET", "/v2/options/contracts");
	alpaca_path_segment(&req, "symbol_or_id", alpaca_arg_text(fcinfo, 0));
	return alpaca_send_object(fcinfo, &req);
}
