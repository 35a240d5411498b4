/*
 * extension.h
 *		Where the extension lives, found by its OID, and SQL run under a
 *		search path the extension fixes.
 */
#ifndef ALPACA_EXTENSION_H
#define ALPACA_EXTENSION_H

typedef struct AlpacaExtension
{
	Oid			oid;
	Oid			schema;			/* extnamespace */
	Oid			owner;			/* extowner */
	const char *schema_name;	/* quoted, for SQL text */
} AlpacaExtension;

/* false (missing_ok) or an error when the extension is not in this database */
extern bool alpaca_extension_find(AlpacaExtension *ext, bool missing_ok);
/* "schema".name, for SQL text */
extern char *alpaca_extension_object(const AlpacaExtension *ext, const char *name);
/* the extension's type name (a row type) in its own schema, or an error */
extern Oid	alpaca_extension_type(const AlpacaExtension *ext, const char *name);

/*
 * SPI with search_path = pg_catalog, pg_temp until alpaca_spi_end(): what
 * alpaca_spi_begin() returns is the GUC nest level to give back.  An error
 * in between restores the caller's path with the (sub)transaction.
 */
extern int	alpaca_spi_begin(void);
extern void alpaca_spi_end(int level);
/* the same fixed path for a whole worker session */
extern void alpaca_fix_search_path(void);

/*
 * One SPI statement as another role (the extension's owner: its tables are
 * written only through its functions; or the role a queued order belongs
 * to), with SECURITY_RESTRICTED_OPERATION, as PostgreSQL itself runs code
 * as another role.  Returns SPI_execute_with_args()'s result.
 */
extern int	alpaca_spi_execute_as(Oid role, const char *sql, int nargs, Oid *types, Datum *values,
								  const char *nulls, bool read_only, long count);

#endif
