/*
 * prices.h
 *		Live prices (src/prices.c): the alpaca prices worker, and what it
 *		tells backends of its streams.
 */
#ifndef ALPACA_PRICES_H
#define ALPACA_PRICES_H

extern Size alpaca_prices_shmem_size(void);
extern void alpaca_prices_shmem_startup(void);

/*
 * The stream of an asset class (us_equity, crypto) now authenticated, by
 * when it was (its id in alpaca_live_prices.stream_connection); 0 when
 * none is.  A row written on the connection still open is that symbol's
 * latest trade however old: a newer one would have come on it.
 */
extern int64 alpaca_prices_connection(const char *asset_class);

#endif
