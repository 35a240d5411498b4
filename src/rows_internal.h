/*
 * rows_internal.h
 *		What the row builder (src/rowbuild.c) and the row parser (src/rows.c)
 *		share: the plan for filling rows of one type.
 */
#ifndef ALPACA_ROWS_INTERNAL_H
#define ALPACA_ROWS_INTERNAL_H

#include "access/htup.h"
#include "access/tupdesc.h"
#include "utils/tuplestore.h"

#include "rows.h"
#include "scalars.h"

typedef struct ColInfo
{
	const char *name;
	int			namelen;
	Conv		conv;
	Conv		elem;			/* COL_ARRAY: its elements */
	int16		elmlen;
	bool		elmbyval;
	char		elmalign;
} ColInfo;

/* Everything needed to fill rows of one type, set up once per call. */
typedef struct RowBuilder
{
	TupleDesc	tupdesc;
	int			natts;
	ColInfo    *cols;
	int			raw_att;		/* "raw" jsonb column, or -1 */
	int		   *predict;		/* column that field k matched last time */
	int			npredict;
	Datum	   *values;
	bool	   *nulls;
	bool	   *seen;
	const AlpacaAlias *aliases; /* applied to the columns' names, or NULL */
	bool		nested;			/* some column is a nested object's field */
} RowBuilder;

struct AlpacaRowSink
{
	RowBuilder *rb;
	Tuplestorestate *tupstore;	/* NULL: one row, kept in result */
	HeapTuple	result;
	MemoryContext callcxt;
};

extern RowBuilder *alpaca_make_builder(TupleDesc tupdesc);
/* the column a field of n bytes at s fills, or -1; fieldno: its place in the object */
extern int	alpaca_find_column(RowBuilder *rb, const char *s, int n, int fieldno);
/* columns named by Alpaca's fields of other names (once per builder) */
extern void alpaca_builder_aliases(RowBuilder *rb, const AlpacaAlias *aliases);
/* whether a field of n bytes at s is an object whose fields fill columns */
extern bool alpaca_nested_object(RowBuilder *rb, const char *s, int n);
/* parse one body into the sink; the parse's memory is gone when it returns */
extern void alpaca_parse_into(AlpacaRowSink *sink, char *body, size_t len, const AlpacaRowSpec *spec,
							  AlpacaPage *page);

#endif
