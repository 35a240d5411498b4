/*
 * catalog.h
 *		One declaration per SQL function meant for callers: what it does,
 *		its arguments, and (for the endpoints without checks of their own)
 *		how it becomes a request.
 *
 * The declarations live beside the code of their area (src/orders.c holds
 * the orders', src/market_data.c the market data's ...), and src/catalog.c
 * gathers them.  From them come: the functions' comments and the
 * alpaca_operations view (written at CREATE/ALTER EXTENSION from
 * alpaca_catalog_entries()), the argument checks and their messages, and
 * alpaca_declared(), the one C entry point of every declared endpoint.
 * sql/declarations.sql fails if a declaration and its SQL function
 * disagree (names, types, defaults, what it returns).
 */
#ifndef ALPACA_CATALOG_H
#define ALPACA_CATALOG_H

#include "fmgr.h"

#include "rows.h"

typedef enum AlpacaEffect
{
	ALPACA_READ,				/* reads only */
	ALPACA_CHANGE,				/* settings, watchlists, the database's own
								 * state */
	ALPACA_ORDER,				/* places, replaces, cancels, closes or
								 * exercises */
	ALPACA_TRANSFER				/* money or coins leaving */
} AlpacaEffect;

typedef enum AlpacaWhere
{
	ARG_QUERY,					/* ?name=value (lists comma-separated) */
	ARG_PATH,					/* {name} in the path */
	ARG_SYMBOL,					/* {name} in the path, a symbol: BTC/USD goes
								 * as BTCUSD */
	ARG_BODY,					/* a JSON body's field */
	ARG_LOCAL					/* not sent: a hand-written function reads it */
} AlpacaWhere;

typedef enum AlpacaPaging
{
	PAGES_NONE,
	PAGES_TOKEN,				/* token_field in the answer, page_token back */
	PAGES_LAST_ID,				/* a full page's last id is the next token
								 * (activities) */
	PAGES_EVENTS				/* a server-sent event stream, read to its end */
} AlpacaPaging;

typedef struct AlpacaArg
{
	const char *name;			/* the SQL argument's name, and Alpaca's */
	const char *type;			/* its SQL type: text, numeric, integer,
								 * boolean, date, timestamptz, uuid, text[],
								 * jsonb, interval ... */
	AlpacaWhere where;
	const char *def;			/* its SQL default (NULL: none, a required
								 * argument; "NULL": DEFAULT NULL; else the
								 * expression as pg_get_function_arguments
								 * shows it) */
	const char *doc;			/* a phrase: what it is, its unit */
	const char *const *values;	/* the valid values, NULL-terminated, or NULL */
	int			min;			/* integers: the range, when max > min */
	int			max;
	bool		positive;		/* numbers: greater than zero */
	bool		codes;			/* text[]: Alpaca's codes (letters, digits,
								 * _), new ones accepted */
	bool		upper;			/* ... made upper case */
	bool		nonempty;		/* text: not "" */
	int			maxlen;			/* text: at most so many characters */
	bool		number;			/* in a body: a JSON number, not a string */
	bool		array;			/* text[] in a body: a JSON array ([] for
								 * NULL) */
	const char *wire;			/* Alpaca's name, when it is not the SQL
								 * argument's */
	const char *or_else;		/* when NULL, send the value of this argument */
	const char *schema;			/* a JSON Schema of its own (legs), or NULL */
} AlpacaArg;

typedef struct AlpacaOperation AlpacaOperation;

/* cross-argument checks of a declared call, before it is sent */
typedef void (*AlpacaCheckArgs) (FunctionCallInfo fcinfo, const AlpacaOperation *op);

struct AlpacaOperation
{
	const char *name;			/* the SQL function */
	AlpacaEffect effect;
	const char *method;			/* NULL: no request of its own */
	const char *path;			/* "{name}" segments come from arguments */
	const char *summary;		/* one line, for people and agents */
	const AlpacaArg *args;		/* ending with {NULL} */
	const char *example;		/* a call that works */
	const char *keywords;		/* words a sentence asking for it may use */
	bool		internal;		/* a helper of the extension's own */

	/* how a declared endpoint is sent (declared: alpaca_declared) */
	bool		declared;
	bool		market_data;	/* to alpaca.data_url */
	AlpacaShape shape;
	const char *list_field;
	AlpacaPaging paging;
	const char *token_field;
	const char *listing;		/* paged: "activities", for messages */
	const char *what;			/* a change: "creating a watchlist" */
	AlpacaCheckArgs check;

	/* answers whose rows are not Alpaca's objects field for field (rows.h) */
	const AlpacaAlias *aliases;
	const char *key_column;
	const char *key_arg;		/* the argument whose value fills key_column
								 * (a one-symbol answer) */
	const char *value_column;
	void		(*finish) (TupleDesc tupdesc, Datum *values, bool *nulls);

	/*
	 * Functions whose SQL is made from the declaration itself, by the
	 * upgrade script of the version named (CREATE FUNCTION ... RETURNS
	 * returns AS 'alpaca_declared'): nothing to keep in step by hand.
	 */
	const char *since;
	const char *returns;
};

/* the end of an area's list of operations */
#define ALPACA_END_OF_OPERATIONS {NULL}

extern const AlpacaOperation *alpaca_operation(const char *name);
extern const AlpacaArg *alpaca_operation_arg(const AlpacaOperation *op, const char *name);

/* every area's declarations (src/<area>.c), gathered by src/catalog.c */
extern const AlpacaOperation alpaca_account_operations[];
extern const AlpacaOperation alpaca_calendar_operations[];
extern const AlpacaOperation alpaca_assets_operations[];
extern const AlpacaOperation alpaca_orders_operations[];
extern const AlpacaOperation alpaca_positions_operations[];
extern const AlpacaOperation alpaca_watchlists_operations[];
extern const AlpacaOperation alpaca_activities_operations[];
extern const AlpacaOperation alpaca_portfolio_operations[];
extern const AlpacaOperation alpaca_options_operations[];
extern const AlpacaOperation alpaca_corporate_actions_operations[];
extern const AlpacaOperation alpaca_crypto_operations[];
extern const AlpacaOperation alpaca_locates_operations[];
extern const AlpacaOperation alpaca_tokenization_operations[];
extern const AlpacaOperation alpaca_local_operations[];
extern const AlpacaOperation alpaca_market_stocks_operations[];
extern const AlpacaOperation alpaca_market_options_operations[];
extern const AlpacaOperation alpaca_market_crypto_operations[];
extern const AlpacaOperation alpaca_market_reference_operations[];

extern Datum alpaca_declared(PG_FUNCTION_ARGS);

/*
 * A function of an earlier version, declared now: its C symbol (which
 * CREATE EXTENSION ... VERSION '1.0' names) forwards to alpaca_declared().
 */
#define ALPACA_DECLARED_SYMBOL(fn) \
	PG_FUNCTION_INFO_V1(fn); \
	Datum fn(PG_FUNCTION_ARGS) { return alpaca_declared(fcinfo); } \
	extern int no_such_variable

/* the argument SQL declared under a name, as the text Alpaca wants (NULL for NULL) */
extern char *alpaca_declared_arg(FunctionCallInfo fcinfo, const char *name);
/* ... and its position among the SQL function's arguments (for PG_GETARG_*) */
extern int	alpaca_declared_position(FunctionCallInfo fcinfo, const char *name);

#endif
