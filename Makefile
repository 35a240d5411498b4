# alpaca: the Alpaca Trading API v2 as a PostgreSQL extension

EXTENSION = alpaca
MODULE_big = alpaca
DATA = alpaca--1.0.sql alpaca--1.1.sql alpaca--1.0--1.1.sql alpaca--1.1--1.2.sql
# the current version's script is 1.1's and the upgrade's, so the two cannot
# drift apart (sql/upgrade.sql checks 1.0 + ALTER EXTENSION UPDATE against it)
DATA_built = alpaca--1.2.sql
PGFILEDESC = "alpaca - Alpaca Trading API v2 from SQL"

# one file per concern: plumbing first, then one file per API area
OBJS = \
	src/alpaca.o src/guc.o src/log_filter.o src/http.o src/errors.o \
	src/encoding.o src/rows.o src/jsonb.o src/api.o src/risk.o src/audit.o src/budget.o src/declared.o src/outbox.o src/mirror.o \
	src/account.o src/calendar.o src/assets.o src/orders.o src/positions.o \
	src/watchlists.o src/activities.o src/portfolio.o src/options.o \
	src/corporate_actions.o src/crypto.o

# the regression suites run in this order against a live simulator
REGRESS = setup account market assets orders positions watchlists activities options \
	corporate_actions crypto errors secrets cancel hostile paging encoding keys paths \
	placement limits audit budget cron_recipes outbox mirror boundary current_api upgrade spec_coverage
REGRESS_OPTS = --load-extension=alpaca

PG_CPPFLAGS = -Isrc -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror
SHLIB_LINK = -lcurl -lwebsockets

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# the simulator and the tests that do not need PostgreSQL
.PHONY: sim-check
sim-check:
	python3 sim/test_sim.py

alpaca--1.2.sql: alpaca--1.1.sql alpaca--1.1--1.2.sql
	{ echo '/* alpaca--1.2.sql: the Alpaca Trading API v2 as SQL (generated from 1.1 and its upgrade) */'; \
	  sed 1d alpaca--1.1.sql; echo; echo '-- 1.2'; sed '1,3d' alpaca--1.1--1.2.sql; } > $@
