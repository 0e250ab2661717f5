# Reckon: two commands on a fresh Debian 12 machine.
#   make demo   installs what is missing, builds, settles the example month
#   make test   installs what is missing, builds, runs the whole suite
#               (chromium: the export test renders statement.html headless)
# Other targets: build, bench, bench-reconcile, bench-scale, bench-pg, fuzz, asan, deps, clean.

DEBIAN_PACKAGES := cmake make g++ pkg-config libsqlite3-dev sqlite3 libboost-dev \
  libyaml-cpp-dev libfmt-dev catch2 libssl-dev libcli11-dev nlohmann-json3-dev libhowardhinnant-date-dev \
  libicu-dev tzdata python3 chromium libpq-dev postgresql perl time
FUZZ_PACKAGES := clang libclang-rt-14-dev
PACKAGES ?= $(DEBIAN_PACKAGES)
BUILD_DIR ?= build
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
JOBS ?= 2

.PHONY: all deps build test demo bench bench-reconcile bench-scale bench-pg fuzz asan clean

all: build

deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "Missing Debian packages:$$missing"; \
	    echo "Run: sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The suite runs on both backends: a throwaway PostgreSQL server (tests/pg/cluster.sh: initdb in
# PG_DIR, unix socket only) serves the PostgreSQL variants (RECKON_TEST_PG), and is removed after.
PG_DIR ?= /tmp/reckon-test-pg
PG_URL = postgresql:///postgres?host=$(PG_DIR)&user=reckon_admin
test: build
	bash tests/pg/cluster.sh stop $(PG_DIR)
	bash tests/pg/cluster.sh start $(PG_DIR) > /dev/null
	cmake -S . -B $(BUILD_DIR) -DRECKON_TEST_PG='$(PG_URL)' > /dev/null
	(cd $(BUILD_DIR) && RECKON_TEST_PG='$(PG_URL)' ctest --output-on-failure -j $(JOBS)); rc=$$?; \
	  bash tests/pg/cluster.sh stop $(PG_DIR); cmake -S . -B $(BUILD_DIR) -DRECKON_TEST_PG= > /dev/null; exit $$rc

demo: build
	bash examples/demo.sh $(BUILD_DIR)/reckon $(BUILD_DIR)/demo

bench: build
	bash bench/run.sh $(BUILD_DIR)

bench-reconcile: build
	bash bench/reconcile.sh $(BUILD_DIR)

# A year of 1M-record months (about 4.5 GB of ledger and ten minutes): SCALE_IDS=uuid for random ids.
SCALE_IDS ?= sequential
bench-scale: build
	bash bench/scale.sh $(BUILD_DIR) 1000000 12 $(SCALE_IDS)

# Ingest into PostgreSQL against its floor (bench/pg_floor.cpp), and settlement, on a throwaway server.
bench-pg: build
	bash bench/pg.sh $(BUILD_DIR)

# libFuzzer targets (contract loader, expression parser, CSV/JSONL readers, column mappings),
# each run for FUZZ_SECONDS from the seed corpora in tests/fuzz/corpus.
fuzz:
	$(MAKE) deps PACKAGES="$(DEBIAN_PACKAGES) $(FUZZ_PACKAGES)"
	cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DRECKON_FUZZ=ON
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_contract fuzz_expr fuzz_rows fuzz_mapping fuzz_payload
	@for t in contract expr rows mapping payload; do \
	  mkdir -p $(FUZZ_DIR)/corpus-$$t && cp tests/fuzz/corpus/$$t/* $(FUZZ_DIR)/corpus-$$t/ && \
	  echo "fuzz_$$t: $(FUZZ_SECONDS) s" && \
	  $(FUZZ_DIR)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 $(FUZZ_DIR)/corpus-$$t 2>$(FUZZ_DIR)/fuzz_$$t.log || \
	    { tail -40 $(FUZZ_DIR)/fuzz_$$t.log; echo "fuzz_$$t found a problem: see $(FUZZ_DIR)/fuzz_$$t.log"; exit 1; }; \
	  grep -E "stat::number_of_executed_units|stat::new_units_added" $(FUZZ_DIR)/fuzz_$$t.log; \
	done

# The suite (all but the slow tests) against an AddressSanitizer + UndefinedBehaviorSanitizer
# build with leak detection; any report fails the test that caused it.
ASAN_DIR ?= build-asan
asan: deps
	cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS) -LE slow

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_DIR) $(ASAN_DIR)
