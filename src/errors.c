/*
 * errors.c
 *		Alpaca's error answers as PostgreSQL errors.
 *
 * The SQLSTATE follows the HTTP status, so callers can trap a class of
 * failure (EXCEPTION WHEN insufficient_privilege ...) without parsing text;
 * Alpaca's own code and message go in the detail.  Anything that came from
 * the wire or from a caller is quoted through alpaca_clip() (src/redact.c).
 */
#include "postgres.h"

#include "utils/builtins.h"

#include <limits.h>

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"

#include "encoding.h"
#include "errors.h"
#include "json.h"
#include "redact.h"

void
alpaca_raise_http_error(const char *method, const char *path, AlpacaResponse *resp)
{
	char	   *code = NULL;
	char	   *message = NULL;
	char	   *text;
	int			sqlstate;
	const char *what;
	const char *hint = NULL;
	char	   *detail;

	/*
	 * Alpaca answers {"code", "message"}; a proxy or load balancer in between
	 * may not, and then the body itself (cut short) is the message.  Wire
	 * bytes are made displayable before anything is read from them.
	 */
	text = alpaca_wire_text(resp->body, resp->body_len);
	if (!alpaca_error_body(text, strlen(text), &code, &message))
		message = text[0] ? text : NULL;
	message = message ? alpaca_clip(message, strlen(message)) : pstrdup("(no message)");
	if (code)
		code = alpaca_clip(code, strlen(code));
	path = alpaca_clip(path, strlen(path));

	switch (resp->status)
	{
		case 400:
			sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
			what = "Alpaca rejected the request as malformed";
			break;
		case 401:
			sqlstate = ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION;
			what = "Alpaca did not accept the API key";
			hint = "Check alpaca.key_id and alpaca.secret_key, and that they belong to the environment alpaca.base_url names (paper or live).";
			break;
		case 403:
			sqlstate = ERRCODE_INSUFFICIENT_PRIVILEGE;
			what = "Alpaca refused the request";
			if (strstr(message, "buying power"))
				hint = "The account lacks buying power for this order; see alpaca_account().buying_power.";
			else if (strstr(message, "qty"))
				hint = "The position or its available quantity is smaller than the order; see alpaca_positions().";
			else if (strcmp(message, "forbidden.") == 0)
				hint = "Check alpaca.secret_key.";
			break;
		case 404:
			sqlstate = ERRCODE_NO_DATA_FOUND;
			what = "Alpaca found no such object";
			break;
		case 405:
			sqlstate = ERRCODE_FEATURE_NOT_SUPPORTED;
			what = "Alpaca does not support this method on this path";
			break;
		case 409:
		case 422:
			sqlstate = (resp->status == 409) ? ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE :
				ERRCODE_INVALID_PARAMETER_VALUE;
			what = "Alpaca rejected the request";
			if (strstr(message, "not cancelable") || strstr(message, "not replaceable"))
			{
				sqlstate = ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE;
				hint = "Only open orders can be canceled or replaced; see alpaca_order(id).status.";
			}
			break;
		case 429:
			sqlstate = ERRCODE_CONFIGURATION_LIMIT_EXCEEDED;
			what = "Alpaca rate limit exceeded";
			hint = resp->retry_after >= 0 ?
				psprintf("Retry in %d seconds.", resp->retry_after) :
				"Alpaca allows about 200 requests a minute per account; retry later.";
			break;
		default:
			if (resp->status >= 500)
			{
				sqlstate = ERRCODE_SYSTEM_ERROR;
				what = "Alpaca API server error";
				hint = "The request may be retried later.";
			}
			else
			{
				sqlstate = ERRCODE_EXTERNAL_ROUTINE_EXCEPTION;
				what = "unexpected answer from the Alpaca API";
			}
			break;
	}

	if (code)
		detail = psprintf("%s %s answered HTTP %ld, code %s: %s", method, path, resp->status, code, message);
	else
		detail = psprintf("%s %s answered HTTP %ld: %s", method, path, resp->status, message);

	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("%s", what),
			 errdetail_internal("%s", detail),
			 hint ? errhint("%s", hint) : 0));
}

void
alpaca_raise_transport_error(const char *method, const char *path,
							 AlpacaTransportError err, const char *msg)
{
	char	   *clean = alpaca_clip(msg, strlen(msg));

	path = alpaca_clip(path, strlen(path));
	if (err == ALPACA_TRANSPORT_TOO_LARGE)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the Alpaca API answer is too large"),
				 errdetail_internal("%s %s: %s", method, path, clean),
				 errhint("Narrow the query, or have a superuser raise alpaca.max_response_size.")));

	if (err == ALPACA_TRANSPORT_NOT_SENT)
		ereport(ERROR,
				(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
				 errmsg("could not reach the Alpaca API"),
				 errdetail_internal("%s %s: %s", method, path, clean),
				 errhint("Check alpaca.base_url and the network; the request was not sent.")));
	ereport(ERROR,
			(errcode(ERRCODE_CONNECTION_FAILURE),
			 errmsg("the Alpaca API did not answer"),
			 errdetail_internal("%s %s: %s", method, path, clean),
			 strcmp(method, "GET") == 0 ? 0 :
			 errhint("The request may have reached Alpaca; check its effect before retrying.")));
}
