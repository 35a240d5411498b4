/*
 * alpaca.c
 *		Module entry point of the alpaca extension.
 *
 * Load it through shared_preload_libraries: then the key settings exist,
 * superuser-only, before any session starts.  Loaded later, a session that
 * has not yet called an alpaca function would see them as plain
 * placeholders, readable by any role.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/guc.h"

#include "guc.h"
#include "http.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	alpaca_define_gucs();
	alpaca_install_log_filter();
	alpaca_http_init();

	if (!process_shared_preload_libraries_in_progress)
		ereport(WARNING,
				(errmsg("alpaca is not in shared_preload_libraries"),
				 errdetail("Until the library is loaded, alpaca.key_id and alpaca.secret_key are visible to every role."),
				 errhint("Add alpaca to shared_preload_libraries and restart the server.")));
}
