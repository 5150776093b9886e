# The two commands of the README: `make demo` and `make test`.
# Both install libyaml-dev first when it is missing (Debian/Ubuntu).

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
KONNECT := .build/debug/konnect

.PHONY: demo test build deps bench install pg-deps pg-test-server pg-test-server-stop

deps:
	@pkg-config --exists yaml-0.1 2>/dev/null || { \
	  echo "installing libyaml-dev"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libyaml-dev pkg-config; }

build: deps
	$(SWIFT) build --product konnect

demo: build
	$(KONNECT) plan --project .

# The PostgreSQL library's tests need a server: `make test` starts a throwaway one
# (scripts/pg-test-server: initdb in a temporary folder, loopback and a socket, TLS on)
# and stops it afterwards, also when the tests fail. A KONNECT_TEST_POSTGRES_URL
# already set is used instead.
test: deps pg-deps
	$(SWIFT) build --build-tests
	@if [ -n "$$KONNECT_TEST_POSTGRES_URL" ]; then \
	  $(SWIFT) test --skip-build --disable-swift-testing; \
	else \
	  trap 'scripts/pg-test-server stop' EXIT INT TERM; \
	  scripts/pg-test-server start >/dev/null && \
	  KONNECT_TEST_POSTGRES_URL="$$(scripts/pg-test-server url)" $(SWIFT) test --skip-build --disable-swift-testing; \
	fi

# The PostgreSQL server programs, for the tests (Debian's postgresql; openssl for its certificate).
pg-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v openssl >/dev/null || { \
	  echo "installing postgresql"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql openssl; }

# A test server to keep running while you work: prints the line to export.
pg-test-server: pg-deps
	@echo "export KONNECT_TEST_POSTGRES_URL='$$(scripts/pg-test-server start)'"

pg-test-server-stop:
	@scripts/pg-test-server stop

# A release build, the Swift runtime linked in, installed as PREFIX/bin/konnect
# (`make install PREFIX=$HOME/.local`).
PREFIX ?= /usr/local
install: deps
	$(SWIFT) build -c release --static-swift-stdlib --product konnect
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 755 "$$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)/konnect" "$(DESTDIR)$(PREFIX)/bin/konnect"

# The benchmark of issue 6: N konnectors (default 10,000; e.g. `make bench N=1000,10000,50000`).
# Both programs link the Swift runtime statically, as a shipped Linux CLI does: no
# dynamic symbol binding at start-up (about 10 ms) and direct calls into the runtime.
N ?= 10000
RELEASE := -c release --static-swift-stdlib
bench: deps
	$(SWIFT) build $(RELEASE) --product konnect
	$(SWIFT) build $(RELEASE) --product konnect-bench
	.build/release/konnect-bench --n $(N)

# Fuzzing (issue 18): konnect-fuzz runs FuzzPipeline (bytes → YAML → decode → check →
# compile → plan → simulate) on mutated projects seeded from ./konnectors, ./schemas and
# Tests/Fixtures. `make fuzz SECONDS=600`: libFuzzer with AddressSanitizer, built apart
# in .build-fuzz (optimized; the first build takes some minutes), its corpus kept in
# .build-fuzz/corpus, crashes written to .build-fuzz/crashes. swiftc keeps only the last
# -sanitize flag, so Swift code gets both through -Xswiftc; --sanitize=fuzzer tells
# SwiftPM that libFuzzer supplies `main`. `make fuzz-ci`: the normal debug build's own
# seeded mutator, a fixed number of executions (FUZZ_RUNS, some 40 s), for CI; a crash or
# a broken invariant (a literal secret shown, a control character in text diagnostics, a
# plan file that does not read back) fails it, its input left in .build/fuzz-crashes.
.PHONY: fuzz fuzz-ci
SECONDS ?= 600
FUZZ_RUNS ?= 2000
FUZZ_BUILD := --scratch-path .build-fuzz -c release --sanitize=fuzzer \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DKONNECT_LIBFUZZER --product konnect-fuzz
fuzz: deps
	$(SWIFT) build --product konnect-fuzz
	rm -rf .build-fuzz/seeds && mkdir -p .build-fuzz/corpus .build-fuzz/crashes
	.build/debug/konnect-fuzz seeds .build-fuzz/seeds .
	.build/debug/konnect-fuzz dict > .build-fuzz/konnect.dict
	nice -n 19 $(SWIFT) build $(FUZZ_BUILD)
	SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 nice -n 19 .build-fuzz/release/konnect-fuzz \
	  -max_total_time=$(SECONDS) -max_len=65536 -timeout=30 -rss_limit_mb=4096 -detect_leaks=0 -print_final_stats=1 \
	  -dict=.build-fuzz/konnect.dict -artifact_prefix=.build-fuzz/crashes/ .build-fuzz/corpus .build-fuzz/seeds \
	  Tests/Fixtures/fuzz-regressions
fuzz-ci: deps
	$(SWIFT) build --product konnect-fuzz
	rm -rf .build/fuzz-seeds && .build/debug/konnect-fuzz seeds .build/fuzz-seeds .
	.build/debug/konnect-fuzz run --seed 1 --runs $(FUZZ_RUNS) --strict --crashes .build/fuzz-crashes .build/fuzz-seeds \
	  Tests/Fixtures/fuzz-regressions
