# alpaca: the Alpaca Trading API v2 as a PostgreSQL extension

EXTENSION = alpaca
# the one place the version is written is alpaca.control's default_version;
# the package (scripts/package), META.json (checked) and `make dist` follow it
EXTVERSION := $(shell sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" alpaca.control)
MODULE_big = alpaca
PGFILEDESC = "alpaca - Alpaca Trading API v2 from SQL"

# SQL: alpaca--1.0.sql is the one full script kept by hand; every later
# version's full script is built from the one before and the upgrade to it,
# so a fresh install and an upgraded one cannot drift apart (sql/upgrade.sql
# checks 1.0 + ALTER EXTENSION UPDATE against a fresh install).
UPGRADES = $(sort $(wildcard $(EXTENSION)--*--*.sql))
# alpaca--1.1--1.2.sql leads from 1.1 to 1.2
upgrade_from = $(word 1,$(subst --, ,$(patsubst $(EXTENSION)--%.sql,%,$(1))))
upgrade_to = $(word 2,$(subst --, ,$(patsubst $(EXTENSION)--%.sql,%,$(1))))
upgrade_into = $(strip $(foreach u,$(UPGRADES),$(if $(filter $(1),$(call upgrade_to,$(u))),$(u))))
DATA = $(EXTENSION)--1.0.sql $(UPGRADES)
DATA_built = $(foreach u,$(UPGRADES),$(EXTENSION)--$(call upgrade_to,$(u)).sql)

# one file per concern: plumbing first, then one file per API area
OBJS = \
	src/alpaca.o src/guc.o src/log_filter.o src/redact.o src/http.o src/encoding.o \
	src/scalars.o src/json.o src/rowbuild.o src/rows.o src/errors.o src/gate.o src/api.o \
	src/budget.o src/extension.o src/worker.o \
	src/audit.o src/audit_worker.o src/symbols.o src/pricing.o src/risk.o src/declared.o \
	src/preview.o src/outbox.o src/outbox_worker.o src/settle.o \
	src/stream.o src/ws.o src/sse.o src/mirror_apply.o src/mirror.o src/prices.o \
	src/raw.o src/account.o src/calendar.o src/assets.o src/orders.o src/positions.o \
	src/watchlists.o src/activities.o src/portfolio.o src/options.o \
	src/corporate_actions.o src/crypto.o src/locates.o src/tokenization.o src/local.o \
	src/market_data.o src/market_stocks.o src/market_options.o src/market_crypto.o src/market_reference.o \
	src/catalog.o

# the regression suites run in this order against a live simulator
REGRESS = setup account market assets orders positions watchlists activities options \
	corporate_actions crypto market_data errors secrets cancel hostile paging encoding keys paths \
	placement limits audit budget cron_recipes outbox mirror live_prices boundary declarations agents current_api upgrade spec_coverage
REGRESS_OPTS = --load-extension=alpaca

PG_CPPFLAGS = -Isrc -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror \
	-DALPACA_VERSION='"$(EXTVERSION)"'
SHLIB_LINK = -lcurl -lwebsockets

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# the simulator and the tests that do not need PostgreSQL
.PHONY: sim-check
sim-check:
	python3 sim/test_sim.py

# setup and the named suites (all of REGRESS when SUITES is empty) against a
# simulator it starts, on a throwaway cluster (scripts/suite); installcheck
# alone needs both running already
.PHONY: check-sim
check-sim:
	scripts/suite $(SUITES)

# alpaca--V.sql: the full script of the version before V, then the upgrade to V
.SECONDEXPANSION:
$(DATA_built): $(EXTENSION)--%.sql: $$(call upgrade_into,$$*) $(EXTENSION)--$$(call upgrade_from,$$(call upgrade_into,$$*)).sql
	{ echo '/* $@: the alpaca extension $*, generated from $(word 2,$^) and $< */'; echo; \
	  printf '%s\n' '\echo Use "CREATE EXTENSION alpaca" to load this file. \quit'; \
	  sed -e 1d -e '/^\\echo /d' $(word 2,$^); echo; echo '-- $*'; sed -e 1d -e '/^\\echo /d' $<; } > $@

# the PGXN release: alpaca-$(EXTVERSION).zip, one top directory, from git
.PHONY: dist print-version
dist:
	git archive --format zip --prefix=alpaca-$(EXTVERSION)/ -o alpaca-$(EXTVERSION).zip HEAD
	@echo alpaca-$(EXTVERSION).zip
print-version:
	@echo $(EXTVERSION)
