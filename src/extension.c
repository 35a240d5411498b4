/*
 * extension.c
 *		Where the extension lives, found by its OID, and SQL run under a
 *		search path the extension fixes.
 *
 * Every role is an attacker.  A query the extension runs for a caller is
 * parsed with the caller's search_path, whose temp schema comes first unless
 * it is named, and a schema PUBLIC may write (the default before 15) can
 * hold a better-matching overload of any function or operator
 * (CVE-2018-1058; "Writing SECURITY DEFINER Functions Safely" in
 * PostgreSQL's documentation).  So nothing here resolves a name through a
 * path a caller shapes: the extension's schema and owner come from a scan of
 * pg_extension by the extension's OID (get_extension_oid() scans by name;
 * PostgreSQL 15 does not export get_extension_schema()), the role a query
 * runs as is the extension's owner from that scan or the caller, never a
 * value a query returned, and SQL runs with search_path = pg_catalog,
 * pg_temp, naming the extension's own objects by that schema.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_extension.h"
#include "commands/dbcommands.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "extension.h"

#define FIXED_SEARCH_PATH "pg_catalog, pg_temp"

bool
alpaca_extension_find(AlpacaExtension *ext, bool missing_ok)
{
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	Oid			oid = get_extension_oid("alpaca", true);
	bool		found = false;

	if (OidIsValid(oid))
	{
		rel = table_open(ExtensionRelationId, AccessShareLock);
		ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(oid));
		scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
		tup = systable_getnext(scan);
		if (HeapTupleIsValid(tup))
		{
			Form_pg_extension form = (Form_pg_extension) GETSTRUCT(tup);
			char	   *nsp;

			ext->oid = oid;
			ext->schema = form->extnamespace;
			ext->owner = form->extowner;
			nsp = get_namespace_name(form->extnamespace);
			found = nsp != NULL;
			if (found)
				ext->schema_name = quote_identifier(nsp);
		}
		systable_endscan(scan);
		table_close(rel, AccessShareLock);
	}
	if (!found && !missing_ok)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the alpaca extension is not installed in database \"%s\"",
						get_database_name(MyDatabaseId))));
	return found;
}

char *
alpaca_extension_object(const AlpacaExtension *ext, const char *name)
{
	return psprintf("%s.%s", ext->schema_name, quote_identifier(name));
}

Oid
alpaca_extension_type(const AlpacaExtension *ext, const char *name)
{
	Oid			typid = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum(name),
										ObjectIdGetDatum(ext->schema));

	if (!OidIsValid(typid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("type %s of the alpaca extension does not exist", name),
				 errhint("ALTER EXTENSION alpaca UPDATE brings the extension to the library's version.")));
	return typid;
}

int
alpaca_spi_begin(void)
{
	int			level;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* as ri_triggers.c does: a GUC level of our own, unwound by alpaca_spi_end() or an abort */
	level = NewGUCNestLevel();
	(void) set_config_option("search_path", FIXED_SEARCH_PATH, PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	return level;
}

void
alpaca_spi_end(int level)
{
	AtEOXact_GUC(true, level);
	if (SPI_finish() != SPI_OK_FINISH)
		elog(ERROR, "SPI_finish failed");
}

void
alpaca_fix_search_path(void)
{
	SetConfigOption("search_path", FIXED_SEARCH_PATH, PGC_SUSET, PGC_S_OVERRIDE);
}

int
alpaca_spi_execute_as(Oid role, const char *sql, int nargs, Oid *types, Datum *values,
					  const char *nulls, bool read_only, long count)
{
	Oid			save_user;
	int			save_context;
	volatile int rc = 0;

	GetUserIdAndSecContext(&save_user, &save_context);
	SetUserIdAndSecContext(role, save_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	PG_TRY();
	{
		rc = SPI_execute_with_args(sql, nargs, types, values, nulls, read_only, count);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_user, save_context);
	}
	PG_END_TRY();
	return rc;
}
