/*
 * json.c
 *		Alpaca's JSON where no row type is wanted: an answer as jsonb, the
 *		few fields a check needs, and the one error for JSON that is not.
 *
 * As jsonb (alpaca_request(), stream messages, the limits' look-ups): one
 * strict parse straight into jsonb, the way jsonb_in builds it, but with
 * what jsonb_in lacks for answers from the wire: query cancel at every
 * value, a nesting limit with a clear error, and duplicate keys refused
 * rather than silently collapsed to the last one ({"cash": "1", "cash":
 * "2"} has no right answer).  Two top-level fields of an object (is this
 * our order? Alpaca's error code and message?) are read without building
 * anything, and never raise: the caller decides what a malformed body means.
 */
#include "postgres.h"

#include <limits.h>

#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "json.h"
#include "redact.h"
#include "scalars.h"

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

void
alpaca_json_fail(void *lexp, int error, const char *field)
{
	JsonLexContext *lex = lexp;
	char	   *what = json_errdetail((JsonParseErrorType) error, lex);
	int			at;

	/* the answer stopped short: say where it stopped */
	if (error == JSON_EXPECTED_MORE || lex->token_start == NULL)
		at = lex->input_length;
	else
		at = (int) (lex->token_start - lex->input);
	/* json_errdetail quotes the offending token: clip it */
	what = alpaca_clip(what, strlen(what));
	if (what[0] && what[strlen(what) - 1] == '.')
		what[strlen(what) - 1] = '\0';
	ereport(ERROR,
			(errcode(ERRCODE_PROTOCOL_VIOLATION),
			 errmsg("the Alpaca API answered with invalid JSON"),
			 errdetail("%s, at byte %d of %d%s%s%s.",
					   what, at, lex->input_length,
					   field ? " (field \"" : "", field ? field : "", field ? "\")" : "")));
}


/* ---- two top-level fields, without building anything ---- */

typedef struct TopFields
{
	JsonLexContext *lex;
	int			depth;
	const char *want[2];
	char	   *text[2];		/* scalar text, or JSON text of a container */
	JsonTokenType type[2];
	int			cur;
	char	   *start;
} TopFields;

static void
tf_push(void *arg)
{
	TopFields  *tf = arg;

	CHECK_FOR_INTERRUPTS();
	if (++tf->depth > ALPACA_MAX_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("the Alpaca API answered with JSON nested too deeply")));
}

static void
tf_pop(void *arg)
{
	((TopFields *) arg)->depth--;
}

static void
tf_field_start(void *arg, char *fname, bool isnull)
{
	TopFields  *tf = arg;

	tf->cur = -1;
	if (tf->depth != 1)
		return;
	for (int i = 0; i < 2; i++)
		if (tf->want[i] && strcmp(fname, tf->want[i]) == 0)
		{
			tf->cur = i;
			tf->start = tf->lex->token_start;
			tf->text[i] = NULL;
		}
}

static void
tf_field_end(void *arg, char *fname, bool isnull)
{
	TopFields  *tf = arg;

	if (tf->depth == 1 && tf->cur >= 0 && tf->text[tf->cur] == NULL && !isnull)
	{
		tf->text[tf->cur] = pnstrdup(tf->start, tf->lex->prev_token_terminator - tf->start);
		tf->type[tf->cur] = JSON_TOKEN_OBJECT_START;
	}
	if (tf->depth == 1)
		tf->cur = -1;
}

static void
tf_scalar(void *arg, char *token, JsonTokenType tt)
{
	TopFields  *tf = arg;

	if (tf->depth == 1 && tf->cur >= 0 && tt != JSON_TOKEN_NULL)
	{
		tf->text[tf->cur] = token;
		tf->type[tf->cur] = tt;
	}
	else if (tf->depth == 0)
		tf->depth = -1;			/* a bare scalar: not an object */
}

/*
 * Parse a body for two top-level fields; false if it is not a JSON object.
 * Never raises for a malformed body: callers decide what that means.
 */
static bool
top_fields(char *body, size_t len, TopFields *tf)
{
	JsonSemAction sem;

	if (len == 0 || len > (size_t) INT_MAX)
		return false;
	while (len > 0 && isspace((unsigned char) *body))
		body++, len--;
	if (len == 0 || *body != '{')
		return false;
	tf->lex = makeJsonLexContextCstringLen(body, (int) len, GetDatabaseEncoding(), true);
	memset(&sem, 0, sizeof(sem));
	sem.semstate = tf;
	sem.object_start = tf_push;
	sem.object_end = tf_pop;
	sem.array_start = tf_push;
	sem.array_end = tf_pop;
	sem.object_field_start = tf_field_start;
	sem.object_field_end = tf_field_end;
	sem.scalar = tf_scalar;
	return pg_parse_json(tf->lex, &sem) == JSON_SUCCESS;
}

/*
 * Is this Alpaca's answer to placing our order: an object with a uuid id
 * and our client_order_id?  Anything else leaves placement ambiguous.
 */
bool
alpaca_body_is_order(char *body, size_t len, const char *client_order_id)
{
	TopFields	tf = {0};

	tf.want[0] = "id";
	tf.want[1] = "client_order_id";
	return top_fields(body, len, &tf) &&
		tf.text[0] && tf.type[0] == JSON_TOKEN_STRING && alpaca_is_uuid(tf.text[0]) &&
		tf.text[1] && tf.type[1] == JSON_TOKEN_STRING && strcmp(tf.text[1], client_order_id) == 0;
}

/* The "id" of an object answer (an order), or NULL. */
char *
alpaca_order_id_of(char *body, size_t len)
{
	TopFields	tf = {0};

	tf.want[0] = "id";
	if (top_fields(body, len, &tf) && tf.text[0] && tf.type[0] == JSON_TOKEN_STRING && alpaca_is_uuid(tf.text[0]))
		return tf.text[0];
	return NULL;
}

/*
 * Alpaca's error body: {"code": 40010001, "message": "..."}.  True when the
 * body is such an object with a string message; code and message are
 * returned as found (code may be any JSON value, as its text).
 */
bool
alpaca_error_body(char *body, size_t len, char **code, char **message)
{
	TopFields	tf = {0};
	bool		ok;

	tf.want[0] = "code";
	tf.want[1] = "message";
	ok = top_fields(body, len, &tf);
	*code = ok ? tf.text[0] : NULL;
	*message = ok && tf.type[1] == JSON_TOKEN_STRING ? tf.text[1] : NULL;
	return ok && *message != NULL;
}
