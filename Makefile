# Reckon: two commands on a fresh Debian 12 machine.
#   make demo   installs what is missing, builds, settles the example month
#   make test   installs what is missing, builds, runs the whole suite
# Other targets: build, bench, deps, clean.

DEBIAN_PACKAGES := cmake make g++ pkg-config libsqlite3-dev sqlite3 libboost-dev libboost-date-time-dev \
  libyaml-cpp-dev libfmt-dev catch2 libssl-dev libcli11-dev nlohmann-json3-dev libhowardhinnant-date-dev \
  tzdata python3
BUILD_DIR ?= build
JOBS ?= 2

.PHONY: all deps build test demo bench clean

all: build

deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
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

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

demo: build
	bash examples/demo.sh $(BUILD_DIR)/reckon $(BUILD_DIR)/demo

bench: build
	bash bench/run.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
