/*
 * rows.h
 *		Alpaca's JSON answers as PostgreSQL rows, built while the body is parsed.
 *
 * Area files describe what an answer must look like (an AlpacaRowSpec) and
 * get rows; they never see a JSON value.
 */
#ifndef ALPACA_ROWS_H
#define ALPACA_ROWS_H

#include "fmgr.h"
#include "access/htup.h"
#include "access/tupdesc.h"

/* What an answer must look like; anything else is an error naming the shape. */
typedef enum AlpacaShape
{
	ALPACA_OBJECT,				/* one object: one row */
	ALPACA_LIST,				/* an array of objects: one row each */
	ALPACA_OBJECT_OR_LIST,		/* either (crypto wallets) */
	ALPACA_FIELD_LIST,			/* an object whose field list_field holds the
								 * array of row objects (null: no rows) */
	ALPACA_COLUMNS,				/* an object of parallel arrays: row k takes
								 * element k of each, and every scalar field */
	ALPACA_FIELD_OBJECT,		/* an object whose field list_field holds the
								 * one row object (the latest trade of one
								 * symbol) */
	ALPACA_KEYED_LISTS,			/* list_field (or, without one, the answer
								 * itself) is an object whose every field
								 * holds an array of row objects, its name
								 * going into key_column: {"bars": {"AAPL":
								 * [...], "MSFT": [...]}} */
	ALPACA_KEYED_OBJECTS,		/* ... whose every field holds one row
								 * object: {"trades": {"AAPL": {...}}} */
	ALPACA_MAP					/* an object of scalars: a row per field,
								 * its name into key_column, its value into
								 * value_column ({"A": "NYSE American"}) */
} AlpacaShape;

/*
 * A column filled from a field of another name: Alpaca's market data uses
 * one-letter names ("t", "o", "bp"), and a snapshot's nested objects give
 * columns of their own ("latestTrade.p" into latest_trade_price: one level
 * of nesting, named by the object's field and the field within it).
 */
typedef struct AlpacaAlias
{
	const char *column;			/* the row type's column */
	const char *field;			/* Alpaca's name: "t", or "latestTrade.p" */
} AlpacaAlias;

typedef struct AlpacaRowSpec
{
	AlpacaShape shape;
	const char *list_field;		/* ALPACA_FIELD_LIST */
	const char *token_field;	/* a top-level string to report, e.g.
								 * next_page_token */
	const char *key_field;		/* a column whose text is reported per row */
	const char *order_field;	/* a column whose text in the last row is
								 * reported */
	/* called with key_field's text for every row; false skips the row */
	bool		(*keep) (void *arg, const char *key);
	void	   *keep_arg;

	const AlpacaAlias *aliases; /* ending with {NULL}, or NULL */
	const char *key_column;		/* KEYED_*, MAP: the column a field's name
								 * goes into */
	const char *key_value;		/* ... or the text it takes in every row (the
								 * symbol of a one-symbol answer) */
	const char *value_column;	/* MAP: the column a field's value goes into */
	/* called with every row before it is kept: columns derived from others */
	void		(*finish) (TupleDesc tupdesc, Datum *values, bool *nulls);
} AlpacaRowSpec;

/* What one answer held, for pagers. Strings are in the caller's context. */
typedef struct AlpacaPage
{
	int			parsed;			/* row objects in the answer */
	int			added;			/* rows kept */
	char	   *token;			/* token_field, or NULL */
	char	   *last_key;		/* key_field of the last row object, or NULL */
	char	   *last_order;		/* order_field of the last row object, or
								 * NULL */
} AlpacaPage;

typedef struct AlpacaRowSink AlpacaRowSink;

/* Set-returning functions: rows go into the tuplestore (spills past work_mem). */
extern AlpacaRowSink *alpaca_rows_begin(FunctionCallInfo fcinfo);
extern void alpaca_rows_parse(AlpacaRowSink *sink, char *body, size_t len,
							  const AlpacaRowSpec *spec, AlpacaPage *page);

/* One object as the composite result of a function. */
extern Datum alpaca_object_datum(FunctionCallInfo fcinfo, char *body, size_t len);
/* ... or the one row the spec describes (OBJECT or FIELD_OBJECT) */
extern Datum alpaca_row_datum(FunctionCallInfo fcinfo, char *body, size_t len, const AlpacaRowSpec *spec);

/* One object as a row of the given type (the mirror's stream messages). */
extern HeapTuple alpaca_row_from_json(TupleDesc tupdesc, char *body, size_t len);

#endif
