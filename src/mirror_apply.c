/*
 * mirror_apply.c
 *		One message of Alpaca's streams applied to the mirror, by the same
 *		strict rules as every answer.
 *
 * A stream message is wire text like any answer: it is parsed strictly as
 * JSON (the mirror worker already made it verified text without a key),
 * and the order or activity event it carries becomes a row through the row
 * parser every function uses (src/rows.c), so "infinity", "NaN", an
 * impossible date or a field twice is refused, never written.  The row is
 * then written by the SQL functions the extension keeps for it
 * (alpaca_mirror_order, alpaca_mirror_positions_refresh), named by the
 * extension's schema under the fixed search path.
 */
#include "postgres.h"

#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "extension.h"
#include "json.h"
#include "rows.h"
#include "scalars.h"

PG_FUNCTION_INFO_V1(alpaca_mirror_message);
PG_FUNCTION_INFO_V1(alpaca_mirror_activity);

static void pg_attribute_noreturn()
refuse(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROTOCOL_VIOLATION),
			 errmsg("%s", why)));
}

/* The jsonb value j as a row of the extension's type, through the strict row parser. */
static Datum
as_row(const AlpacaExtension *ext, const char *type, Datum j, Oid *typid)
{
	char	   *text = DatumGetCString(DirectFunctionCall1(jsonb_out, j));
	TupleDesc	desc;
	HeapTuple	tup;

	*typid = alpaca_extension_type(ext, type);
	desc = lookup_rowtype_tupdesc_copy(*typid, -1);
	tup = alpaca_row_from_json(desc, text, strlen(text));
	return HeapTupleGetDatum(tup);
}

static bool
is_kind(Datum j, enum jbvType kind)
{
	Jsonb	   *jb;
	JsonbValue	v;

	if (j == (Datum) 0)
		return false;
	jb = DatumGetJsonbP(j);
	if (kind == jbvObject)
		return JB_ROOT_IS_OBJECT(jb);
	return JsonbExtractScalar(&jb->root, &v) && v.type == kind;
}

/*
 * alpaca_mirror_message(msg jsonb): what the message was (authorized,
 * unauthorized, listening, not listening, applied, ignored).
 */
Datum
alpaca_mirror_message(PG_FUNCTION_ARGS)
{
	Datum		msg = PG_GETARG_DATUM(0);
	Datum		data = alpaca_jsonb_get(msg, "data");
	char	   *stream;
	const char *result = "ignored";

	if (!is_kind(msg, jbvObject) || !is_kind(alpaca_jsonb_get(msg, "stream"), jbvString) || !is_kind(data, jbvObject))
		refuse("a stream message must be {\"stream\": ..., \"data\": {...}}");
	stream = alpaca_jsonb_text(msg, "stream", NULL, NULL);
	if (strcmp(stream, "authorization") == 0)
	{
		char	   *status = alpaca_jsonb_text(data, "status", NULL, NULL);

		result = status && strcmp(status, "authorized") == 0 ? "authorized" : "unauthorized";
	}
	else if (strcmp(stream, "listening") == 0)
	{
		Datum		streams = alpaca_jsonb_get(data, "streams");

		result = streams && DatumGetBool(DirectFunctionCall2(jsonb_exists, streams,
															 CStringGetTextDatum("trade_updates"))) ?
			"listening" : "not listening";
	}
	else if (strcmp(stream, "trade_updates") == 0)
	{
		AlpacaExtension ext;
		Datum		order = alpaca_jsonb_get(data, "order");
		char	   *event = alpaca_jsonb_text(data, "event", NULL, NULL);
		char	   *at = alpaca_jsonb_text(data, "timestamp", NULL, NULL);
		Datum		values[3];
		char		nulls[3] = {' ', ' ', ' '};
		Oid			types[3] = {InvalidOid, TEXTOID, TIMESTAMPTZOID};
		int			level;

		if (!is_kind(alpaca_jsonb_get(data, "event"), jbvString) || !is_kind(order, jbvObject))
			refuse("a trade update needs an event and an order");
		if (at && !alpaca_is_rfc3339(at))
			refuse("a trade update's timestamp must be an RFC 3339 time");
		alpaca_extension_find(&ext, false);
		values[0] = as_row(&ext, "alpaca_order", order, &types[0]);
		values[1] = CStringGetTextDatum(event);
		if (at)
			values[2] = DirectFunctionCall3(timestamptz_in, CStringGetDatum(at), ObjectIdGetDatum(InvalidOid),
											Int32GetDatum(-1));
		else
			nulls[2] = 'n';
		level = alpaca_spi_begin();
		if (SPI_execute_with_args(psprintf("SELECT %s($1, $2, $3)", alpaca_extension_object(&ext, "alpaca_mirror_order")),
								  3, types, values, nulls, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not mirror an order");
		if (strcmp(event, "fill") == 0 || strcmp(event, "partial_fill") == 0)
		{
			if (SPI_execute(psprintf("SELECT %s()", alpaca_extension_object(&ext, "alpaca_mirror_positions_refresh")),
							false, 1) != SPI_OK_SELECT)
				elog(ERROR, "could not refresh the mirror's positions");
		}
		alpaca_spi_end(level);
		result = "applied";
	}
	PG_RETURN_TEXT_P(cstring_to_text(result));
}

/* alpaca_mirror_activity(e jsonb): one activity event, added unless it is there. */
Datum
alpaca_mirror_activity(PG_FUNCTION_ARGS)
{
	AlpacaExtension ext;
	Datum		row;
	Oid			typid;
	bool		added;
	int			level;

	if (!is_kind(PG_GETARG_DATUM(0), jbvObject))
		refuse("an activity event must be a JSON object");
	if (!is_kind(alpaca_jsonb_get(PG_GETARG_DATUM(0), "event_id"), jbvString))
		refuse("an activity event without an event_id");
	alpaca_extension_find(&ext, false);
	row = as_row(&ext, "alpaca_activity_event", PG_GETARG_DATUM(0), &typid);
	level = alpaca_spi_begin();
	if (SPI_execute_with_args(psprintf("INSERT INTO %s SELECT ($1).*, pg_catalog.clock_timestamp() "
									   "ON CONFLICT (event_id) DO NOTHING",
									   alpaca_extension_object(&ext, "alpaca_mirror_activities")),
							  1, &typid, &row, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not mirror an activity event");
	added = SPI_processed > 0;
	alpaca_spi_end(level);
	PG_RETURN_BOOL(added);
}
