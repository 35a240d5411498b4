/*
 * orders.h
 *		Placing an order, shared by alpaca_place_order() and the outbox that
 *		sends queued orders after COMMIT.
 */
#ifndef ALPACA_ORDERS_H
#define ALPACA_ORDERS_H

#include "utils/jsonb.h"

#include "api.h"
#include "risk.h"

typedef enum AlpacaSubmitResult
{
	ALPACA_SUBMIT_PLACED,		/* the answer (or a lookup) is the order */
	ALPACA_SUBMIT_REFUSED,		/* Alpaca's own 4xx error */
	ALPACA_SUBMIT_ABSENT,		/* looked up, and Alpaca has no such order */
	ALPACA_SUBMIT_REUSED_ID		/* Alpaca has a different order with this
								 * client_order_id (resp: its 422) */
} AlpacaSubmitResult;

extern char *alpaca_new_client_order_id(void);

/* alpaca_place_order's arguments as a request, checked for shape */
extern void alpaca_build_order(FunctionCallInfo fcinfo, AlpacaRequest *req,
							   char **client_order_id, AlpacaOrderCheck *check);
extern char *alpaca_check_order_limits(AlpacaOrderCheck *order, Jsonb *legs, bool want_value);
extern void alpaca_check_order_body(const char *what, Jsonb *body);
extern AlpacaResponse *alpaca_find_order(const char *cid, const char *failure);
extern AlpacaSubmitResult alpaca_submit_order(AlpacaRequest *req, const char *cid, bool maybe_sent,
											  AlpacaResponse *resp, const char **recovered);

/* the argument that holds an mleg order's legs */
#define ALPACA_PLACE_ORDER_LEGS 17

#endif
