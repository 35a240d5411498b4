/*
 * jsonb.c
 *		An Alpaca answer as jsonb, for alpaca_request().
 *
 * One strict parse straight into jsonb, the way jsonb_in builds it, but with
 * what jsonb_in lacks for answers from the wire: query cancel at every
 * value, a nesting limit with a clear error, and duplicate keys refused
 * rather than silently collapsed to the last one ({"cash": "1", "cash":
 * "2"} has no right answer).
 */
#include "postgres.h"

#include <limits.h>

#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "errors.h"
#include "rows.h"

typedef struct JsonbBuild
{
	JsonLexContext *lex;
	JsonbParseState *parse;
	JsonbValue *result;
	int			depth;
} JsonbBuild;

static void
jb_push(JsonbBuild *jb, JsonbIteratorToken tok)
{
	CHECK_FOR_INTERRUPTS();
	if (++jb->depth > ALPACA_MAX_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("the Alpaca API answered with JSON nested too deeply"),
				 errdetail("More than %d levels at byte %d.", ALPACA_MAX_DEPTH,
						   (int) (jb->lex->token_start - jb->lex->input))));
	jb->result = pushJsonbValue(&jb->parse, tok, NULL);
}

static void
jb_object_start(void *arg)
{
	jb_push(arg, WJB_BEGIN_OBJECT);
}

static void
jb_array_start(void *arg)
{
	jb_push(arg, WJB_BEGIN_ARRAY);
}

static void
jb_object_end(void *arg)
{
	JsonbBuild *jb = arg;
	int			pairs = jb->parse->contVal.val.object.nPairs;

	jb->depth--;
	jb->result = pushJsonbValue(&jb->parse, WJB_END_OBJECT, NULL);
	/* pushJsonbValue has dropped duplicates; say so instead */
	if (jb->result->val.object.nPairs != pairs)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("the Alpaca API answered with a key twice in one object"),
				 errdetail("The object ending at byte %d.",
						   (int) (jb->lex->prev_token_terminator - jb->lex->input))));
}

static void
jb_array_end(void *arg)
{
	JsonbBuild *jb = arg;

	jb->depth--;
	jb->result = pushJsonbValue(&jb->parse, WJB_END_ARRAY, NULL);
}

static void
jb_field_start(void *arg, char *fname, bool isnull)
{
	JsonbBuild *jb = arg;
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.len = strlen(fname);
	v.val.string.val = fname;
	jb->result = pushJsonbValue(&jb->parse, WJB_KEY, &v);
}

static void
jb_scalar(void *arg, char *token, JsonTokenType tt)
{
	JsonbBuild *jb = arg;
	JsonbValue	v;

	CHECK_FOR_INTERRUPTS();
	switch (tt)
	{
		case JSON_TOKEN_STRING:
			v.type = jbvString;
			v.val.string.len = strlen(token);
			v.val.string.val = token;
			break;
		case JSON_TOKEN_NUMBER:
			v.type = jbvNumeric;
			v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(token),
																ObjectIdGetDatum(InvalidOid),
																Int32GetDatum(-1)));
			break;
		case JSON_TOKEN_TRUE:
		case JSON_TOKEN_FALSE:
			v.type = jbvBool;
			v.val.boolean = (tt == JSON_TOKEN_TRUE);
			break;
		default:
			v.type = jbvNull;
			break;
	}
	if (jb->parse == NULL)
	{
		/* a lone scalar is a one-element "raw scalar" array in jsonb */
		JsonbValue	va;

		va.type = jbvArray;
		va.val.array.rawScalar = true;
		va.val.array.nElems = 1;
		jb->result = pushJsonbValue(&jb->parse, WJB_BEGIN_ARRAY, &va);
		jb->result = pushJsonbValue(&jb->parse, WJB_ELEM, &v);
		jb->result = pushJsonbValue(&jb->parse, WJB_END_ARRAY, NULL);
	}
	else
		jb->result = pushJsonbValue(&jb->parse,
									jb->parse->contVal.type == jbvArray ? WJB_ELEM : WJB_VALUE, &v);
}

Datum
alpaca_jsonb_datum(char *body, size_t len)
{
	JsonbBuild	jb = {0};
	JsonSemAction sem = {0};
	JsonParseErrorType rc;

	if (len > (size_t) INT_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the Alpaca API answer is too large to parse")));
	jb.lex = makeJsonLexContextCstringLen(body, (int) len, GetDatabaseEncoding(), true);
	sem.semstate = &jb;
	sem.object_start = jb_object_start;
	sem.object_end = jb_object_end;
	sem.array_start = jb_array_start;
	sem.array_end = jb_array_end;
	sem.object_field_start = jb_field_start;
	sem.scalar = jb_scalar;
	rc = pg_parse_json(jb.lex, &sem);
	if (rc != JSON_SUCCESS)
		alpaca_json_fail(jb.lex, rc, NULL);
	return JsonbPGetDatum(JsonbValueToJsonb(jb.result));
}

/* j -> key, or 0 when absent or j is not an object (jsonb_object_field would return SQL NULL) */
Datum
alpaca_jsonb_get(Datum j, const char *key)
{
	Jsonb	   *jb = DatumGetJsonbP(j);
	JsonbValue	k;
	JsonbValue *v;

	if (!JB_ROOT_IS_OBJECT(jb))
		return (Datum) 0;
	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	v = findJsonbValueFromContainer(&jb->root, JB_FOBJECT, &k);
	return v ? JsonbPGetDatum(JsonbValueToJsonb(v)) : (Datum) 0;
}

/*
 * The text of the scalar at k1 -> k2 -> k3 (as many as given; strings
 * unquoted, numbers as written), or NULL when absent, null or not a scalar.
 */
char *
alpaca_jsonb_text(Datum j, const char *k1, const char *k2, const char *k3)
{
	const char *keys[] = {k1, k2, k3};
	Jsonb	   *jb;
	JsonbValue	v;

	for (int i = 0; i < 3 && keys[i] && DatumGetPointer(j); i++)
		j = alpaca_jsonb_get(j, keys[i]);
	if (DatumGetPointer(j) == NULL)
		return NULL;
	jb = DatumGetJsonbP(j);
	if (!JsonbExtractScalar(&jb->root, &v))
		return NULL;
	if (v.type == jbvNumeric)
		return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v.val.numeric)));
	if (v.type == jbvString)
		return pnstrdup(v.val.string.val, v.val.string.len);
	if (v.type == jbvBool)
		return pstrdup(v.val.boolean ? "true" : "false");
	return NULL;
}
