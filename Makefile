# ptlims -- proficiency-testing plug-ins for a LIMS.
#
#   make demo      build, then run the demo on the bundled fixtures
#   make test      build, then run every test
#   make           build everything into build/
#   make asan      the tests under AddressSanitizer + UBSan (build-asan/)
#   make valgrind  the tests under valgrind
#   make install   PREFIX=/usr/local DESTDIR=
#   make check-layers   fail on an include that crosses a layer
#   make schema    write schemas/CURRENT.sql from the migrations
#
# `make demo` and `make test` first install missing Debian packages (as root)
# or print the exact command to run.  DEVELOPER=1 adds -Werror.
#
# The file follows the layers, bottom up: statistics, workbook, CSV reader,
# engine, scheme plug-ins and host extensions, the host; then tests and
# tools.  Each layer compiles with its own include path and package flags,
# so a forbidden include does not compile (and check-layers names it).

VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
CC ?= cc

# zlib1g-dev: libxlsxwriter's pkg-config file asks for -lz without
# depending on it.  locales: the workbook test writes under a decimal-comma
# locale.  python3-openpyxl: the workbook test reads the demo workbook back.
DEB_PACKAGES := pkg-config libgsl-dev libsqlite3-dev libxlsxwriter-dev \
                zlib1g-dev libcmocka-dev locales sqlite3 python3-openpyxl \
                nettle-dev

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wwrite-strings -Wvla -Wformat=2
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif
OPT ?= -O2 -g
SAN ?=
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
            -DPTLIMS_VERSION=\"$(VERSION)\" \
            -DPTLIMS_PLUGIN_DIR=\"$(PREFIX)/lib/ptlims/plugins\"
CFLAGS += -std=c11 $(OPT) $(WARN) $(SAN) -fPIC -fvisibility=hidden -MMD -MP
LDFLAGS += $(SAN)
pkg_cflags = $(shell pkg-config --cflags $(1) 2>/dev/null)
pkg_libs = $(shell pkg-config --libs $(1) 2>/dev/null)
CMOCKA_LIBS = $(call pkg_libs,cmocka)

# Per layer: what it may include and which packages it sees.
ENGINE_DIRS := $(sort $(dir $(wildcard engine/*/*.c)))
STATS_FLAGS = -Istats $(call pkg_cflags,gsl)
REPORT_FLAGS = -Ireports -Istats $(call pkg_cflags,xlsxwriter)
CSV_FLAGS = -Iinclude
ENGINE_FLAGS = -Iinclude -Istats -Ireports $(ENGINE_DIRS:%/=-I%) \
               $(call pkg_cflags,sqlite3 xlsxwriter gsl nettle)
SCHEME_FLAGS = -Iinclude
SQLITE_EXT_FLAGS = -Istats -Iengine/store $(call pkg_cflags,sqlite3 gsl)
HOST_FLAGS = -Iinclude -Ihost -Istats $(call pkg_cflags,gsl)
# tests and tools look inside every layer
ALL_FLAGS = -Iinclude -Istats -Ireports $(ENGINE_DIRS:%/=-I%) -Ihost \
            $(call pkg_cflags,gsl sqlite3 xlsxwriter nettle)

obj = $(1:%.c=$(BUILD)/obj/%.o)

.PHONY: all deps demo test test-run check clean install uninstall asan \
        valgrind format check-layers schema
.DEFAULT_GOAL := all

# V=1 shows the commands.
Q := $(if $(filter 1,$(V)),,@)

# Every object, with the flags of its layer.
LAYER_FLAGS = $(ALL_FLAGS)
$(BUILD)/obj/stats/%.o: LAYER_FLAGS = $(STATS_FLAGS)
$(BUILD)/obj/reports/%.o: LAYER_FLAGS = $(REPORT_FLAGS)
$(BUILD)/obj/engine/%.o: LAYER_FLAGS = $(ENGINE_FLAGS)
$(BUILD)/obj/engine/ingest/pt_csv.o: LAYER_FLAGS = $(CSV_FLAGS)
$(BUILD)/obj/plugins/%.o: LAYER_FLAGS = $(SCHEME_FLAGS)
$(BUILD)/obj/plugins/sqlite/%.o: LAYER_FLAGS = $(SQLITE_EXT_FLAGS)
$(BUILD)/obj/host/%.o: LAYER_FLAGS = $(HOST_FLAGS)
# tests build their records as compound literals that leave the members
# appended later zero
$(BUILD)/obj/tests/%.o: LAYER_FLAGS = $(ALL_FLAGS) -Wno-missing-field-initializers
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(LAYER_FLAGS) $(CFLAGS) -c $< -o $@

.SECONDEXPANSION:

# Keep the tests' object files: as intermediate files of a pattern rule
# make would delete them after every build and compile them again.
.SECONDARY:

# ---- stats/: the ISO 13528 statistics (GSL), no I/O ----------------------
STATS_SRC := $(wildcard stats/*.c)
STATS_LIB := $(BUILD)/libptstats.a
$(STATS_LIB): $(call obj,$(STATS_SRC))

# ---- reports/: the audit workbook (libxlsxwriter), no SQLite --------------
REPORT_SRC := $(wildcard reports/*.c)
REPORT_LIB := $(BUILD)/libptreport.a
$(REPORT_LIB): $(call obj,$(REPORT_SRC))

# ---- the strict CSV reader (include/pt_csv.h), for engine and host -------
CSV_LIB := $(BUILD)/libptcsv.a
$(CSV_LIB): $(BUILD)/obj/engine/ingest/pt_csv.o

# ---- engine/: record keeping, built once (libptlims.so) ------------------
CORE_SRC := $(wildcard engine/*/*.c)
CORE_LIB := $(BUILD)/libptcore.a
ENGINE_SO := $(BUILD)/libptlims.so

# The numbered migrations, embedded as C strings (schemas/NNN_name.sql).
SCHEMA_SQL := $(sort $(wildcard schemas/[0-9][0-9][0-9]_*.sql))
# A migration's number is the schema version it gives: 001 to N, no gap.
$(BUILD)/gen/schema_sql.c: $(SCHEMA_SQL) Makefile
	@mkdir -p $(@D)
	@i=0; for f in $(SCHEMA_SQL); do i=$$((i + 1)); \
	  n=$$(basename $$f | cut -c1-3); \
	  if [ "$$(expr "$$n" : '0*\([0-9][0-9]*\)')" != "$$i" ]; then \
	    echo "ptlims: $$f: migration number $$n, expected $$i (no gaps, no repeats)" >&2; \
	    exit 1; \
	  fi; \
	done
	@{ echo '/* Generated from schemas/ by the Makefile. */'; \
	  echo '#include "pt_schema.h"'; \
	  echo 'const char *const pt_schema_migrations[] = {'; \
	  for f in $(SCHEMA_SQL); do \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$$/\\n"/' $$f; \
	    echo '    ,'; \
	  done; \
	  echo '    0};'; \
	  echo 'const int pt_schema_version = $(words $(SCHEMA_SQL));'; } > $@
$(BUILD)/obj/gen/schema_sql.o: $(BUILD)/gen/schema_sql.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ENGINE_FLAGS) $(CFLAGS) -c $< -o $@

$(CORE_LIB): $(call obj,$(CORE_SRC)) $(BUILD)/obj/gen/schema_sql.o
$(STATS_LIB) $(REPORT_LIB) $(CSV_LIB) $(CORE_LIB):
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# Only lims_engine_entry_v1 is exported; the workbook and the statistics
# are linked in.
$(ENGINE_SO): $(CORE_LIB) $(REPORT_LIB) $(STATS_LIB) engine/engine.map
	@mkdir -p $(@D)
	$(CC) -shared $(LDFLAGS) -Wl,--version-script=engine/engine.map \
	  -Wl,-soname,libptlims.so -Wl,--no-undefined -o $@ \
	  -Wl,--whole-archive $(CORE_LIB) -Wl,--no-whole-archive $(REPORT_LIB) \
	  $(STATS_LIB) $(call pkg_libs,sqlite3 xlsxwriter gsl nettle) -lm


# ---- plugins/: scheme knowledge only, and the host extensions ------------
# One shared object per scheme: no library at all, only the entry symbol
# exported.
PLUGINS := dehumidifier fuel-sulfur
PLUGIN_SO := $(PLUGINS:%=$(BUILD)/plugins/%.so)
$(BUILD)/plugins/%.so: $$(call obj,$$(wildcard plugins/%/*.c)) \
                       plugins/plugin.map
	@mkdir -p $(@D)
	$(CC) -shared $(LDFLAGS) -Wl,--version-script=plugins/plugin.map \
	  -Wl,--no-undefined -o $@ $(filter %.o,$^)

# The SQLite loadable extension: the statistics as SQL functions, and the
# record's score functions (engine/store/pt_sqlfn.c, compiled for an
# extension) so that the sqlite3 shell reads the score views; only
# SQLite's entry points are exported.  The statistics are linked in, and
# GSL too (statically), so that the extension's GSL error handler is its
# own.
SQLITE_EXT := $(BUILD)/ptlims_sqlite.so
SQLITE_EXT_SRC := $(wildcard plugins/sqlite/*.c)
$(BUILD)/obj/plugins/sqlite/pt_sqlfn.o: engine/store/pt_sqlfn.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(SQLITE_EXT_FLAGS) $(CFLAGS) -DPT_SQLFN_EXTENSION \
	  -c $< -o $@
$(SQLITE_EXT): $(call obj,$(SQLITE_EXT_SRC)) $(BUILD)/obj/plugins/sqlite/pt_sqlfn.o \
               $(STATS_LIB) plugins/sqlite/ptlims_sqlite.map
	@mkdir -p $(@D)
	$(CC) -shared $(LDFLAGS) \
	  -Wl,--version-script=plugins/sqlite/ptlims_sqlite.map \
	  -Wl,--no-undefined -o $@ $(filter %.o,$^) $(STATS_LIB) \
	  -Wl,-Bstatic -lgsl -lgslcblas -Wl,-Bdynamic -lm

# ---- host/: the ptlims command -------------------------------------------
# It links the engine (found next to it, or in lib/ptlims when installed),
# the CSV reader and the statistics for its calculators.
HOST_SRC := $(wildcard host/*.c)
HOST_BIN := $(BUILD)/ptlims
$(HOST_BIN): $(call obj,$(HOST_SRC)) $(ENGINE_SO) $(CSV_LIB) $(STATS_LIB)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(ENGINE_SO) \
	  -Wl,-rpath,'$$ORIGIN:$$ORIGIN/../lib/ptlims' $(CSV_LIB) $(STATS_LIB) \
	  $(call pkg_libs,gsl) -ldl -lm

# schemas/CURRENT.sql: the schema the migrations give, for reading.
schema: $(HOST_BIN) $(PLUGIN_SO)
	sh tests/integrity/schema_dump.sh \
	  "$(HOST_BIN) --plugin-dir $(BUILD)/plugins" > schemas/CURRENT.sql

# The integration example for LIMS vendors: the ABI header and libdl only.
EXAMPLE_BIN := $(BUILD)/examples/minimal_host
$(EXAMPLE_BIN): host/examples/minimal_host.c include/lims_plugin.h
	@mkdir -p $(@D)
	$(CC) -Iinclude -std=c11 $(OPT) $(WARN) $(SAN) -o $@ $< $(LDFLAGS) -ldl

all: $(STATS_LIB) $(REPORT_LIB) $(CSV_LIB) $(CORE_LIB) $(ENGINE_SO) \
     $(PLUGIN_SO) $(SQLITE_EXT) $(HOST_BIN) $(EXAMPLE_BIN)

# ---- the two README commands ---------------------------------------------
# Install missing Debian packages (root), or say exactly what to run.
deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "ptlims: installing Debian packages:$$missing"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y --no-install-recommends $$missing || exit 1; \
	  else \
	    echo "ptlims: missing Debian packages:$$missing"; \
	    echo "run: sudo apt-get update && sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

demo: deps
	@$(MAKE) --no-print-directory all
	@rm -rf $(BUILD)/demo && mkdir -p $(BUILD)/demo
	$(HOST_BIN) --plugin-dir $(BUILD)/plugins --db $(BUILD)/demo/ptlims.db \
	  demo --fixtures fixtures --lab TC-BR --ref OIL-REF \
	  --out $(BUILD)/demo/audit-workbook.xlsx

test: deps
	@$(MAKE) --no-print-directory test-run

check: test

# ---- tests ----------------------------------------------------------------
# The fuzz targets' objects, also linked into the allocation test: both
# scheme plug-ins with their entry points renamed, and the host with its
# main() renamed.
FUZZ_TARGETS := csv import calc record sync
FUZZ_SECONDS ?= 600
FUZZ_PLUGIN_OBJ := $(BUILD)/obj/fuzz/dehumidifier.o \
                   $(BUILD)/obj/fuzz/fuel_sulfur.o
FUZZ_HOST_OBJ := $(filter-out $(BUILD)/obj/host/main.o,$(call obj,$(HOST_SRC))) \
                 $(BUILD)/obj/fuzz/host_main.o
FUZZ_COMMON_OBJ := $(FUZZ_PLUGIN_OBJ) $(FUZZ_HOST_OBJ) $(CORE_LIB) \
                   $(REPORT_LIB) $(STATS_LIB)
TEST_SRC := $(wildcard tests/*/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
# a plug-in built for another ABI major version, for the loader test
ABI2_SO := $(BUILD)/tests/plugins/abi2.so

test-run: all $(TEST_BIN) $(ABI2_SO)
	@sh tests/check_layers.sh
	@sh tests/run.sh $(BUILD) $(TEST_BIN) $(SCRIPT_TESTS)

check-layers:
	@sh tests/check_layers.sh

ENGINE_LIBS = $(CORE_LIB) $(REPORT_LIB) $(STATS_LIB) \
              $(call pkg_libs,sqlite3 xlsxwriter gsl nettle)

$(BUILD)/tests/stats/%: $(BUILD)/obj/tests/stats/%.o $(STATS_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,gsl) $(CMOCKA_LIBS) -lm
$(BUILD)/tests/reports/%: $(BUILD)/obj/tests/reports/%.o $(REPORT_LIB) \
                          $(STATS_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,xlsxwriter gsl) \
	  $(CMOCKA_LIBS) -lm
$(BUILD)/tests/plugins/%: $(BUILD)/obj/tests/plugins/%.o \
                          $(BUILD)/obj/tests/plugins/testutil.o $(CORE_LIB) \
                          $(REPORT_LIB) $(STATS_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(ENGINE_LIBS) $(CMOCKA_LIBS) \
	  -ldl -lm
$(BUILD)/tests/host/%: $(BUILD)/obj/tests/host/%.o \
                       $(BUILD)/obj/tests/host/hostutil.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) -lm
# The progress bar test draws with host/progress.c itself.
$(BUILD)/tests/host/test_progress: $(BUILD)/obj/tests/host/test_progress.o \
                                   $(BUILD)/obj/tests/host/hostutil.o \
                                   $(BUILD)/obj/host/progress.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS)
$(BUILD)/tests/sqlite/%: $(BUILD)/obj/tests/sqlite/%.o $(STATS_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(call pkg_libs,sqlite3 gsl) $(CMOCKA_LIBS) \
	  -lm

$(ABI2_SO): tests/plugins/abi2_plugin.c plugins/plugin.map
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Iinclude $(CFLAGS) -shared \
	  -Wl,--version-script=plugins/plugin.map -o $@ $<

# tests/integrity/: bad input, crash consistency, concurrency, tamper
# evidence, plug-in loading; they run the real ptlims and read the database.
$(BUILD)/tests/integrity/%: $(BUILD)/obj/tests/integrity/%.o \
                            $(BUILD)/obj/tests/integrity/itest.o $(CORE_LIB) \
                            $(REPORT_LIB) $(STATS_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(ENGINE_LIBS) $(CMOCKA_LIBS) \
	  -ldl -lm
# Allocation failure: our objects' malloc & co. go through counters.
$(BUILD)/tests/integrity/test_alloc: $(BUILD)/obj/tests/integrity/test_alloc.o \
        $(BUILD)/obj/tests/integrity/itest.o $(FUZZ_PLUGIN_OBJ) $(CORE_LIB) \
        $(REPORT_LIB) $(STATS_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc \
	  -Wl,--wrap=strdup,--wrap=free -o $@ $(filter %.o,$^) $(ENGINE_LIBS) \
	  $(CMOCKA_LIBS) -ldl -lm

# A longer crash-consistency run than the one in make test.
.PHONY: crash-test
crash-test: all $(BUILD)/tests/integrity/test_crash
	PTLIMS_BUILD=$(BUILD) PTLIMS_CRASH_ROWS=60000 PTLIMS_CRASH_POINTS=30 \
	  $(BUILD)/tests/integrity/test_crash

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer \
	       -fno-sanitize-recover=all" test

valgrind: all $(TEST_BIN) $(ABI2_SO)
	@PTLIMS_VALGRIND=1 sh tests/run.sh $(BUILD) $(TEST_BIN)

# ---- fuzzing --------------------------------------------------------------
# tests/fuzz/fuzz_*.c are libFuzzer targets; under make test the corpus in
# tests/fuzz/corpus/<target>/ is replayed by test_fuzz_replay (any compiler).
# Both scheme plug-ins are linked in with their entry points renamed.
# The calculators' target links the host with its main() renamed.

$(BUILD)/obj/fuzz/host_main.o: host/main.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(HOST_FLAGS) $(CFLAGS) -Dmain=pt_fuzz_host_main \
	  -Wno-missing-prototypes -c $< -o $@
$(BUILD)/obj/fuzz/dehumidifier.o: plugins/dehumidifier/dehumidifier.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(SCHEME_FLAGS) $(CFLAGS) \
	  -Dlims_plugin_entry_v1=pt_fuzz_entry_dehumidifier -c $< -o $@
$(BUILD)/obj/fuzz/fuel_sulfur.o: plugins/fuel-sulfur/fuel_sulfur.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(SCHEME_FLAGS) $(CFLAGS) \
	  -Dlims_plugin_entry_v1=pt_fuzz_entry_fuel_sulfur -c $< -o $@

$(BUILD)/tests/fuzz/test_fuzz_replay: \
        $(BUILD)/obj/tests/fuzz/test_fuzz_replay.o \
        $(FUZZ_TARGETS:%=$(BUILD)/obj/tests/fuzz/fuzz_%.o) $(FUZZ_COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(ENGINE_LIBS) $(CMOCKA_LIBS) \
	  -ldl -lm

# libFuzzer builds (clang) live in build-fuzz/.
$(BUILD)/obj/fuzzer/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(ALL_FLAGS) $(CFLAGS) -DPT_LIBFUZZER -c $< -o $@
$(BUILD)/fuzz/fuzz_%: $(BUILD)/obj/fuzzer/fuzz_%.o $(FUZZ_COMMON_OBJ)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $(filter %.o,$^) $(ENGINE_LIBS) \
	  -ldl -lm

.PHONY: fuzz fuzz-deps fuzz-build clean-fuzz
# clang and its libFuzzer runtime (libclang-rt-14-dev on Debian bookworm).
fuzz-deps:
	@if ! command -v clang >/dev/null || \
	  ! printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)%s\n' \
	      ' { (void)d; (void)n; return 0; }' | \
	    clang -fsanitize=fuzzer -x c - -o build-fuzz-probe 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install \
	      -y --no-install-recommends clang libclang-rt-14-dev || exit 1; \
	  else \
	    echo "ptlims: make fuzz needs clang and libFuzzer"; \
	    echo "run: sudo apt-get install -y clang libclang-rt-14-dev"; \
	    exit 1; \
	  fi; \
	fi

fuzz-build: fuzz-deps
	@rm -f build-fuzz-probe
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang OPT="-O1 -g" \
	  SAN="-fsanitize=fuzzer-no-link,address,undefined \
	       -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  $(FUZZ_TARGETS:%=build-fuzz/fuzz/fuzz_%)

# Each target for FUZZ_SECONDS; new inputs go to build-fuzz/corpus/<t>,
# crashes to build-fuzz/crashes/<t>/ (copy them into tests/fuzz/corpus/<t>/
# as regression cases once fixed).
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus/$$t build-fuzz/crashes/$$t; \
	  echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  build-fuzz/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=2048 -max_len=65536 -close_fd_mask=1 \
	    -artifact_prefix=build-fuzz/crashes/$$t/ -print_final_stats=1 \
	    build-fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

clean-fuzz:
	rm -rf build-fuzz build-fuzz-probe

# ---- the workbook in LibreOffice --------------------------------------
# make check-office converts the demo workbook, in both languages, with
# LibreOffice headless and fails on any error; it is not part of make test
# (libreoffice-calc-nogui is large).  Carlito has the metrics of Calibri,
# the workbook's font, so that LibreOffice lays the sheets out as Excel does.
OFFICE_PACKAGES := libreoffice-calc-nogui fonts-crosextra-carlito

.PHONY: check-office
check-office: all
	@missing=""; \
	for p in $(OFFICE_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y --no-install-recommends $$missing || exit 1; \
	  else \
	    echo "run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
	@rm -rf $(BUILD)/office && mkdir -p $(BUILD)/office
	$(HOST_BIN) --plugin-dir $(BUILD)/plugins --db $(BUILD)/office/ptlims.db \
	  demo --fixtures fixtures --lab TC-BR \
	  --out $(BUILD)/office/audit-zh-TW.xlsx >/dev/null
	$(HOST_BIN) --plugin-dir $(BUILD)/plugins --db $(BUILD)/office/ptlims.db \
	  report --lab TC-BR --lang en --out $(BUILD)/office/audit-en.xlsx
	sh tests/reports/check_office.sh $(BUILD)/office \
	  $(BUILD)/office/audit-zh-TW.xlsx $(BUILD)/office/audit-en.xlsx

# ---- benchmarks -----------------------------------------------------------
# make bench-stats: speed of the stats/ estimators against one qsort of the
# same data measured in the same run, and `ptlims stats` end to end on 1e6
# values against the same summary in R (bench/robust_summary.R) on the same
# file.  make bench-pipeline: import, evaluation and the workbook on 1e4,
# 1e5 and 1e6 generated fuel-sulfur results, each against a minimal SQLite
# insert loop or libxlsxwriter loop run in the same process tree; peak
# memory of each stage.  Both write their sections of bench/RESULTS.md.
BENCH_STATS := $(BUILD)/bench/bench_stats
BENCH_PIPELINE := $(BUILD)/bench/bench_pipeline

$(BENCH_STATS): bench/bench_stats.c $(STATS_LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_FLAGS) $(CFLAGS) -o $@ $< $(STATS_LIB) \
	  $(call pkg_libs,gsl) -lm

$(BENCH_PIPELINE): bench/bench_pipeline.c bench/xlsx_cells.c bench/xlsx_cells.h \
		  $(CORE_LIB) $(REPORT_LIB) $(STATS_LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_FLAGS) $(CFLAGS) -o $@ bench/bench_pipeline.c \
	  bench/xlsx_cells.c $(ENGINE_LIBS) -ldl -lm

.PHONY: bench bench-stats bench-deps bench-pipeline
# R and robustbase for the comparison (Debian: r-base-core,
# r-cran-robustbase), installed when run as root; never needed by make
# test.  Without them bench-stats runs and says the comparison was not run.
HAVE_R = Rscript -e 'library(robustbase)' >/dev/null 2>&1
bench-deps:
	@if ! $(HAVE_R); then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install \
	      -y --no-install-recommends r-base-core r-cran-robustbase \
	      || exit 1; \
	  else \
	    echo "ptlims: the comparison with R needs R and robustbase"; \
	    echo "run: sudo apt-get install -y r-base-core r-cran-robustbase"; \
	  fi; \
	fi

bench-stats: $(BENCH_STATS) $(HOST_BIN) bench-deps
	$(BENCH_STATS) $(HOST_BIN) $(BUILD)/bench \
	  $$($(HAVE_R) && echo bench/robust_summary.R)

bench-pipeline: $(BENCH_PIPELINE) $(PLUGIN_SO)
	$(BENCH_PIPELINE) $(BUILD)/plugins/fuel-sulfur.so $(BUILD)/bench \
	  bench/RESULTS.md

bench: bench-stats bench-pipeline

# ---- install ---------------------------------------------------------------
# ptlims.pc is made from include/ptlims.pc.in at install time, so it names
# the PREFIX installed into; for a DESTDIR, PKG_CONFIG_SYSROOT_DIR.
PT_DOC := $(DESTDIR)$(PREFIX)/share/doc/ptlims

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(PREFIX)/lib/ptlims/plugins \
	  $(DESTDIR)$(PREFIX)/share/ptlims/schemas \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(PT_DOC)/examples
	install -m 755 $(HOST_BIN) $(DESTDIR)$(PREFIX)/bin/ptlims
	install -m 755 $(ENGINE_SO) $(SQLITE_EXT) $(DESTDIR)$(PREFIX)/lib/ptlims/
	install -m 644 include/lims_plugin.h $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(PLUGIN_SO) $(DESTDIR)$(PREFIX)/lib/ptlims/plugins/
	install -m 644 schemas/*.sql $(DESTDIR)$(PREFIX)/share/ptlims/schemas/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
	  include/ptlims.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/ptlims.pc
	install -m 644 host/ptlims.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 host/examples/minimal_host.c $(PT_DOC)/examples/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ptlims \
	  $(DESTDIR)$(PREFIX)/lib/ptlims/libptlims.so \
	  $(DESTDIR)$(PREFIX)/lib/ptlims/ptlims_sqlite.so \
	  $(DESTDIR)$(PREFIX)/include/lims_plugin.h \
	  $(PLUGINS:%=$(DESTDIR)$(PREFIX)/lib/ptlims/plugins/%.so) \
	  $(DESTDIR)$(PREFIX)/share/ptlims/schemas/*.sql \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig/ptlims.pc \
	  $(DESTDIR)$(PREFIX)/share/man/man1/ptlims.1 \
	  $(PT_DOC)/examples/minimal_host.c
	rmdir $(DESTDIR)$(PREFIX)/lib/ptlims/plugins $(DESTDIR)$(PREFIX)/lib/ptlims \
	  $(DESTDIR)$(PREFIX)/share/ptlims/schemas $(DESTDIR)$(PREFIX)/share/ptlims \
	  $(PT_DOC)/examples $(PT_DOC) 2>/dev/null || true

# ---- housekeeping ---------------------------------------------------------
format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean: clean-fuzz
	rm -rf build build-asan

-include $(shell find $(BUILD) build-asan -name '*.d' 2>/dev/null)

# ---- PostgreSQL extension and ODBC (issue 19) ------------------------------
# CREATE EXTENSION ptlims (plugins/postgresql/) is built with PGXS in
# $(BUILD)/postgresql against the server PG_CONFIG names, 13 or later:
#   make postgresql PG_CONFIG=/usr/lib/postgresql/18/bin/pg_config
# make test builds it and runs tests/postgresql/test_postgresql.sh (a
# throw-away cluster: pg_regress, the head office's record of
# schemas/postgresql/).  make install installs the extension too when PGXS
# is there, with the record's schema and loader in share/ptlims/postgresql;
# install-postgresql always does.  tests/odbc/test_odbc.sh queries the
# SQLite extension through unixODBC's isql and Debian's SQLite driver.
# Each server version is built in its own folder, $(BUILD)/postgresql/NN.
PG_CONFIG ?= pg_config
export PG_CONFIG
DEB_PACKAGES += postgresql-15 postgresql-server-dev-15 unixodbc libsqliteodbc
PG_MAJOR := $(shell $(PG_CONFIG) --version 2>/dev/null | \
             sed -n 's/^PostgreSQL \([0-9]*\).*/\1/p')
PG_EXT := $(BUILD)/postgresql/$(PG_MAJOR)/ptlims.so
PG_EXT_SRC := $(wildcard plugins/postgresql/*) $(STATS_SRC) stats/pt_stats.h
PG_MAKE = $(MAKE) --no-print-directory -C $(BUILD)/postgresql/$(PG_MAJOR) \
          -f $(CURDIR)/plugins/postgresql/Makefile PG_CONFIG=$(PG_CONFIG)
SCRIPT_TESTS := tests/postgresql/test_postgresql.sh tests/odbc/test_odbc.sh
HAVE_PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

.PHONY: postgresql install-postgresql uninstall-postgresql
postgresql: $(PG_EXT)
$(PG_EXT): $(PG_EXT_SRC)
	@mkdir -p $(@D)
	+$(PG_MAKE)

test-run: $(PG_EXT)

PG_SHARE := $(DESTDIR)$(PREFIX)/share/ptlims/postgresql
install-postgresql: $(PG_EXT)
	+$(PG_MAKE) install
	install -d $(PG_SHARE)
	install -m 644 schemas/postgresql/record.sql \
	  schemas/postgresql/load-sqlite.sql $(PG_SHARE)/
	install -m 755 schemas/postgresql/load-sqlite.sh $(PG_SHARE)/
uninstall-postgresql:
	+$(PG_MAKE) uninstall
	rm -f $(PG_SHARE)/record.sql $(PG_SHARE)/load-sqlite.sql \
	  $(PG_SHARE)/load-sqlite.sh
	rmdir $(PG_SHARE) $(DESTDIR)$(PREFIX)/share/ptlims 2>/dev/null || true
ifneq ($(HAVE_PGXS),)
install: install-postgresql
uninstall: uninstall-postgresql
endif

# ---- Python bindings: the package ptlims (host/python; issue 19) ----------
# ptlims.stats calls the statistics through ctypes in $(BUILD)/libptstats.so:
# stats/ compiled once more without -fvisibility=hidden, so that the
# version script host/python/libptstats.map exports pt_stats_*, and without
# sanitizers (python3 is not built with them).  ptlims.Database loads the
# engine and the scheme plug-ins through the ABI.  make test runs
# tests/python/test_*.py (unittest).  make install puts the package where
# the system's python3 finds it: PYTHON_SITE is the site-packages folder
# python3 itself lists under PREFIX (Debian: /usr/local/lib/python3.X/
# dist-packages, or /usr/lib/python3/dist-packages for PREFIX=/usr), else
# its posix_prefix purelib; with a copy of libptstats.so and _install.py
# naming the installed engine and plug-ins.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3) python3)
PYTHON_SITE ?= $(shell $(PYTHON) -c 'import site, sys, sysconfig; \
  pre = sys.argv[1].rstrip("/") + "/lib/"; \
  print(next((d for d in site.getsitepackages() if d.startswith(pre)), \
  sysconfig.get_path("purelib", "posix_prefix", {"base": sys.argv[1]})))' \
  $(PREFIX) 2>/dev/null)
PY_PKG = $(DESTDIR)$(PYTHON_SITE)/ptlims
PY_SRC := $(wildcard host/python/ptlims/*.py)
STATS_SO := $(BUILD)/libptstats.so
STATS_SO_OBJ := $(STATS_SRC:%.c=$(BUILD)/obj-so/%.o)
SCRIPT_TESTS += $(sort $(wildcard tests/python/test_*.py))
DEB_PACKAGES += python3

$(BUILD)/obj-so/stats/%.o: stats/%.c stats/pt_stats.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (shared)")
	$(Q)$(CC) $(CPPFLAGS) $(STATS_FLAGS) -std=c11 $(OPT) $(WARN) -fPIC \
	  -MMD -MP -c $< -o $@
$(STATS_SO): $(STATS_SO_OBJ) host/python/libptstats.map
	$(CC) -shared -Wl,--version-script=host/python/libptstats.map \
	  -Wl,-soname,libptstats.so -Wl,--no-undefined -o $@ $(STATS_SO_OBJ) \
	  $(call pkg_libs,gsl) -lm

all: $(STATS_SO)

.PHONY: install-python uninstall-python
install: install-python
uninstall: uninstall-python
install-python: $(STATS_SO)
	@test -n "$(PYTHON_SITE)" || \
	  { echo "ptlims: no python3 to install for (set PYTHON_SITE)"; exit 1; }
	install -d $(PY_PKG)
	install -m 644 $(PY_SRC) $(PY_PKG)/
	install -m 755 $(STATS_SO) $(PY_PKG)/
	printf '%s\nLIBDIR = "%s"\nPLUGIN_DIR = "%s"\n' \
	  '"""Written by make install: where the engine and plug-ins are."""' \
	  '$(PREFIX)/lib/ptlims' '$(PREFIX)/lib/ptlims/plugins' \
	  > $(PY_PKG)/_install.py
	install -d $(PT_DOC)/examples
	install -m 644 host/python/examples/labkey_transform.py \
	  $(PT_DOC)/examples/
uninstall-python:
	rm -f $(PY_SRC:host/python/ptlims/%=$(PY_PKG)/%) $(PY_PKG)/_install.py \
	  $(PY_PKG)/libptstats.so $(PT_DOC)/examples/labkey_transform.py
	rm -rf $(PY_PKG)/__pycache__
	rmdir $(PY_PKG) 2>/dev/null || true
