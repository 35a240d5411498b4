/*
 * symbols.h
 *		What Alpaca trades under a name (src/symbols.c).
 */
#ifndef ALPACA_SYMBOLS_H
#define ALPACA_SYMBOLS_H

typedef struct AlpacaAsset
{
	char	   *symbol;			/* Alpaca's canonical symbol: BTC/USD, AAPL,
								 * an OCC contract symbol */
	char	   *asset_class;	/* us_equity, crypto, us_option, or what
								 * Alpaca adds */
	char	   *multiplier;		/* units per contract: 100 for most options,
								 * 1 otherwise */
} AlpacaAsset;

extern bool alpaca_resolve_symbol(const char *name, AlpacaAsset *out, bool for_change);
extern bool alpaca_is_option_symbol(const char *s);
extern const char *alpaca_asset_class_of(const char *symbol);

#endif
