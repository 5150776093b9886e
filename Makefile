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
	$(SWIFT) test --skip-build
