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
# Both programs link the Swift runtime statically, as a shipped Linux CLI does: no
# dynamic symbol binding at start-up (about 10 ms) and direct calls into the runtime.
N ?= 10000
RELEASE := -c release --static-swift-stdlib
bench: deps
	$(SWIFT) build $(RELEASE) --product konnect
	$(SWIFT) build $(RELEASE) --product konnect-bench
	.build/release/konnect-bench --n $(N)
