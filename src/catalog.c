/*
 * catalog.c
 *		The declarations of every area, gathered: found by name, and shown
 *		as rows (alpaca_catalog_entries()) from which CREATE and ALTER
 *		EXTENSION write the functions' comments and the alpaca_operations
 *		catalogue.
 *
 * An argument's declaration becomes a JSON Schema property: its JSON type,
 * its SQL type, the valid values, the range, the default, what it is; the
 * shape of legs comes from the declaration itself.  So an agent that reads
 * alpaca_operations, a person reading \df+, and the check that refuses a
 * bad value all read one source.
 */
#include "postgres.h"

#include "funcapi.h"
#include "parser/parse_type.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "catalog.h"

static const AlpacaOperation *const areas[] = {
	alpaca_account_operations,
	alpaca_calendar_operations,
	alpaca_assets_operations,
	alpaca_orders_operations,
	alpaca_positions_operations,
	alpaca_watchlists_operations,
	alpaca_activities_operations,
	alpaca_portfolio_operations,
	alpaca_options_operations,
	alpaca_corporate_actions_operations,
	alpaca_crypto_operations,
	alpaca_locates_operations,
	alpaca_tokenization_operations,
	alpaca_local_operations,
	alpaca_market_stocks_operations,
	alpaca_market_options_operations,
	alpaca_market_crypto_operations,
	alpaca_market_reference_operations,
};

typedef struct ByName
{
	char		name[NAMEDATALEN];
	const AlpacaOperation *op;
} ByName;

static HTAB *by_name = NULL;

const AlpacaOperation *
alpaca_operation(const char *name)
{
	ByName	   *e;
	char		key[NAMEDATALEN];

	if (by_name == NULL)
	{
		HASHCTL		info;

		memset(&info, 0, sizeof(info));
		info.keysize = NAMEDATALEN;
		info.entrysize = sizeof(ByName);
		info.hcxt = TopMemoryContext;
		by_name = hash_create("alpaca operations", 256, &info, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
		for (size_t a = 0; a < lengthof(areas); a++)
			for (const AlpacaOperation *op = areas[a]; op->name; op++)
			{
				bool		found;

				e = hash_search(by_name, op->name, HASH_ENTER, &found);
				if (found)
					elog(ERROR, "alpaca: %s is declared twice", op->name);
				e->op = op;
			}
	}
	strlcpy(key, name, sizeof(key));
	e = hash_search(by_name, key, HASH_FIND, NULL);
	return e ? e->op : NULL;
}

const AlpacaArg *
alpaca_operation_arg(const AlpacaOperation *op, const char *name)
{
	for (const AlpacaArg *a = op->args; a && a->name; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

static const char *const effects[] = {"read", "change", "order", "transfer"};

/* the SQL signature, as regprocedure prints it: alpaca_orders(text, integer, ...) */
static char *
signature(const AlpacaOperation *op)
{
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfo(&s, "%s(", op->name);
	for (const AlpacaArg *a = op->args; a && a->name; a++)
		appendStringInfo(&s, "%s%s", a == op->args ? "" : ", ", a->type);
	appendStringInfoChar(&s, ')');
	return s.data;
}

/* a type as format_type() writes it (timestamptz is "timestamp with time zone") */
static const char *
type_as_shown(const char *type)
{
	Oid			typid;
	int32		typmod;

	parseTypeString(type, &typid, &typmod, true);
	if (!OidIsValid(typid))
		return type;
	return format_type_be(typid);
}

/* the arguments as pg_get_function_arguments() shows them */
static char *
arguments_text(const AlpacaOperation *op)
{
	StringInfoData s;

	initStringInfo(&s);
	for (const AlpacaArg *a = op->args; a && a->name; a++)
	{
		appendStringInfo(&s, "%s%s %s", a == op->args ? "" : ", ", quote_identifier(a->name), type_as_shown(a->type));
		if (a->def && strcmp(a->def, "NULL") == 0)
			appendStringInfo(&s, " DEFAULT NULL::%s", type_as_shown(a->type));
		else if (a->def)
			appendStringInfo(&s, " DEFAULT %s", a->def);
	}
	return s.data;
}

static void
json_key(StringInfo s, const char *key)
{
	escape_json(s, key);
	appendStringInfoChar(s, ':');
}

/* A default as JSON: 'market'::text is "market"; NULL has none */
static void
json_default(StringInfo s, const AlpacaArg *a)
{
	const char *d = a->def;
	const char *end;

	if (d == NULL || strcmp(d, "NULL") == 0)
		return;
	appendStringInfoString(s, ",\"default\":");
	if (d[0] == '\'' && (end = strchr(d + 1, '\'')) != NULL)
		escape_json(s, pnstrdup(d + 1, end - d - 1));
	else if (strcmp(d, "true") == 0 || strcmp(d, "false") == 0 || strspn(d, "0123456789.") == strlen(d))
		appendStringInfoString(s, d);
	else
		escape_json(s, d);
}

static void
json_values(StringInfo s, const char *const *values)
{
	appendStringInfoString(s, ",\"enum\":[");
	for (const char *const *v = values; *v; v++)
	{
		if (v != values)
			appendStringInfoChar(s, ',');
		escape_json(s, *v);
	}
	appendStringInfoChar(s, ']');
}

/* One argument as a JSON Schema property. */
static void
json_property(StringInfo s, const AlpacaArg *a)
{
	const char *t = a->type;
	const char *json = "string";
	const char *format = NULL;

	if (a->schema)
	{
		appendStringInfoString(s, a->schema);
		return;
	}
	if (strcmp(t, "numeric") == 0)
		json = "number";
	else if (strcmp(t, "integer") == 0 || strcmp(t, "bigint") == 0)
		json = "integer";
	else if (strcmp(t, "boolean") == 0)
		json = "boolean";
	else if (strcmp(t, "date") == 0)
		format = "date";
	else if (strcmp(t, "timestamptz") == 0)
		format = "date-time";
	else if (strcmp(t, "uuid") == 0)
		format = "uuid";
	else if (strcmp(t, "jsonb") == 0)
		json = NULL;
	appendStringInfoChar(s, '{');
	if (strcmp(t, "text[]") == 0)
	{
		appendStringInfoString(s, "\"type\":\"array\",\"items\":{\"type\":\"string\"");
		if (a->values)
			json_values(s, a->values);
		appendStringInfoChar(s, '}');
	}
	else if (json)
	{
		appendStringInfo(s, "\"type\":\"%s\"", json);
		if (format)
			appendStringInfo(s, ",\"format\":\"%s\"", format);
		if (a->values)
			json_values(s, a->values);
	}
	else
		appendStringInfoString(s, "\"type\":[\"object\",\"array\"]");
	appendStringInfo(s, ",\"x-sql-type\":");
	escape_json(s, t);
	if (a->max > a->min)
		appendStringInfo(s, ",\"minimum\":%d,\"maximum\":%d", a->min, a->max);
	if (a->positive)
		appendStringInfoString(s, ",\"exclusiveMinimum\":0");
	if (a->maxlen)
		appendStringInfo(s, ",\"maxLength\":%d", a->maxlen);
	json_default(s, a);
	if (a->doc)
	{
		appendStringInfoString(s, ",\"description\":");
		escape_json(s, a->doc);
	}
	appendStringInfoChar(s, '}');
}

static char *
arguments_schema(const AlpacaOperation *op)
{
	StringInfoData s;
	bool		any = false;

	initStringInfo(&s);
	appendStringInfoString(&s, "{\"type\":\"object\",\"properties\":{");
	for (const AlpacaArg *a = op->args; a && a->name; a++)
	{
		if (a != op->args)
			appendStringInfoChar(&s, ',');
		json_key(&s, a->name);
		json_property(&s, a);
	}
	appendStringInfoString(&s, "},\"required\":[");
	for (const AlpacaArg *a = op->args; a && a->name; a++)
		if (a->def == NULL)
		{
			if (any)
				appendStringInfoChar(&s, ',');
			escape_json(&s, a->name);
			any = true;
		}
	appendStringInfoString(&s, "],\"additionalProperties\":false}");
	return s.data;
}

/* The function's comment: its summary, its request, the valid values, an example. */
static char *
comment(const AlpacaOperation *op)
{
	StringInfoData s;
	bool		values = false;

	initStringInfo(&s);
	/* "GET /v2/clock: ..." (sql/spec_coverage.sql reads the operation from it) */
	if (op->method && op->path && op->path[0] == '/')
		appendStringInfo(&s, "%s%s %s: ", op->market_data ? "Market Data API " : "", op->method, op->path);
	appendStringInfoString(&s, op->summary);
	for (const AlpacaArg *a = op->args; a && a->name; a++)
		if (a->values)
		{
			appendStringInfo(&s, "%s %s: ", values ? ";" : " Valid values:", a->name);
			for (const char *const *v = a->values; *v; v++)
				appendStringInfo(&s, "%s%s", v == a->values ? "" : ", ", *v);
			values = true;
		}
	if (values)
		appendStringInfoChar(&s, '.');
	if (op->example)
		appendStringInfo(&s, " Example: %s", op->example);
	return s.data;
}

PG_FUNCTION_INFO_V1(alpaca_catalog_entries);

/*
 * alpaca_catalog_entries(): one row per declared function: its name,
 * signature, effect, method, path, summary, arguments (a JSON Schema),
 * example, keywords, comment, whether it is a helper of the extension's
 * own, and for a function made from its declaration what it returns and
 * the version that made it.  Read at CREATE and ALTER EXTENSION.
 */
Datum
alpaca_catalog_entries(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (size_t a = 0; a < lengthof(areas); a++)
		for (const AlpacaOperation *op = areas[a]; op->name; op++)
		{
			Datum		values[14];
			bool		nulls[14] = {0};

			values[0] = CStringGetTextDatum(op->name);
			values[1] = CStringGetTextDatum(signature(op));
			values[2] = CStringGetTextDatum(arguments_text(op));
			values[3] = CStringGetTextDatum(effects[op->effect]);
			values[4] = op->method ? CStringGetTextDatum(op->method) : (Datum) 0;
			nulls[4] = op->method == NULL;
			values[5] = op->path ? CStringGetTextDatum(op->path) : (Datum) 0;
			nulls[5] = op->path == NULL;
			values[6] = CStringGetTextDatum(op->summary);
			values[7] = DirectFunctionCall1(jsonb_in, CStringGetDatum(arguments_schema(op)));
			values[8] = op->example ? CStringGetTextDatum(op->example) : (Datum) 0;
			nulls[8] = op->example == NULL;
			values[9] = CStringGetTextDatum(op->keywords ? op->keywords : "");
			values[10] = CStringGetTextDatum(comment(op));
			values[11] = BoolGetDatum(op->internal);
			values[12] = op->returns ? CStringGetTextDatum(op->returns) : (Datum) 0;
			nulls[12] = op->returns == NULL;
			values[13] = op->since ? CStringGetTextDatum(op->since) : (Datum) 0;
			nulls[13] = op->since == NULL;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	return (Datum) 0;
}
