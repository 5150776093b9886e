# The two commands of the README: `make demo` and `make test`.
# Both install libyaml-dev first when it is missing (Debian/Ubuntu).

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
KONNECT := .build/debug/konnect

.PHONY: demo test build deps bench

deps:
	@pkg-config --exists yaml-0.1 2>/dev/null || { \
	  echo "installing libyaml-dev"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libyaml-dev pkg-config; }

build: deps
	$(SWIFT) build --product konnect

demo: build
	$(KONNECT) plan --project .

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

# The benchmark of issue 6: N konnectors (default 10,000; e.g. `make bench N=1000,10000,50000`).
N ?= 10000
bench: deps
	$(SWIFT) build -c release --product konnect
	$(SWIFT) build -c release --product konnect-bench
	.build/release/konnect-bench --n $(N)
