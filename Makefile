# bitext — thin aliases over the Swift package manager.
#   make run    install what is missing, build (release), run pipelines/default.yaml over samples/ into out/
#   make test   build and run every test
SWIFT ?= swift
PIPELINE ?= pipelines/default.yaml
# What building and running need (libxml2 for HTML, SQLite for the search index, mimalloc for
# release builds' allocations, valgrind to list the functions a run executes for the release link) …
APT_PACKAGES ?= libxml2-dev pkg-config libsqlite3-dev libmimalloc-dev valgrind
# … and what the tests add: xmllint (TMX DTD checks), Chromium (the review page in a real browser).
TEST_APT_PACKAGES ?= libxml2-utils chromium
# … and what `make bench` measures with and on: Debian's EN/ES documentation (corpora, the
# alignment dev set), the floors and peers (xmllint, hyperfine, perf), and from PyPI the dev set's
# HTML reader and the Gale–Church peers (lxml, numpy, nltk, galechurch). spaCy's Spanish model
# goes into .data/venv (scripts/entities/setup_peers.sh).
BENCH_APT_PACKAGES ?= maint-guide maint-guide-es debian-reference-en debian-reference-es \
  libreoffice-help-en-us libreoffice-help-es libxml2-utils hyperfine linux-perf
BENCH_PIP_PACKAGES ?= lxml numpy nltk galechurch

.DEFAULT_GOAL := help

.PHONY: help
help:  # Show this help.
	@grep -Eh '^[a-z-]+:.*#' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*# (.*)/  \1\t\2/'

.PHONY: deps
deps:  # Install what building and running need, if missing: libxml2-dev, pkg-config, libsqlite3-dev, libmimalloc-dev, valgrind (apt-get).
	@if ! (command -v pkg-config >/dev/null && pkg-config --exists libxml-2.0 && test -f /usr/include/sqlite3.h && test -f /usr/include/mimalloc.h && command -v valgrind >/dev/null); then \
	  echo "Installing $(APT_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

.PHONY: test-deps
test-deps: deps  # Also install what the tests use, if missing: xmllint, chromium (apt-get), jsonschema (pip).
	@if ! (command -v xmllint >/dev/null && command -v chromium >/dev/null); then \
	  echo "Installing $(TEST_APT_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEST_APT_PACKAGES); \
	fi
	@python3 -c 'import jsonschema' 2>/dev/null || pip install -q jsonschema

# Release builds link the Swift runtime and Foundation statically: 3-6 MiB less resident memory
# per process, start-up 12 -> 7 ms, 4-9% less CPU on the full pipeline (BENCHMARKS.md, "Session 30:
# the Swift runtime linked statically"). Scripts that need a release binary run `make build`, so
# that every release build has the same flags (SwiftPM rebuilds every module when they change).
# A toolchain without the static libraries (some distributions' packages) builds with the
# shared runtime instead.
TOOLCHAIN := $(dir $(realpath $(shell command -v $(SWIFT))))..
STATIC_RUNTIME := $(wildcard $(TOOLCHAIN)/lib/swift_static/linux/libFoundation.a)
# Release builds link with the toolchain's lld when it has one: lld can place the functions a run
# executes together at the front of .text (below), gold cannot do it as well.
LLD := $(wildcard $(TOOLCHAIN)/bin/ld.lld)
# Each Swift function in a section of its own, so that the function order (below) can place the
# functions a run executes one by one: without it a source file's functions share one section, which
# the linker moves whole, and the executed code of our modules and of the packages built from source
# lay spread over some 10 MB of their never-run neighbours (BENCHMARKS.md, "Session 33").
FUNCTION_SECTIONS := -Xswiftc -Xfrontend -Xswiftc -function-sections
# With lld and a C library whose loader reads packed relative relocations (DT_RELR: glibc 2.36 and
# later), release builds pack them: the binary's 89,000 relative relocations took 2.1 MB of it that
# the loader reads at every start, and stayed resident; packed, they take 17 KB (2–2.7 MB less peak
# memory in every process, BENCHMARKS.md, "Session 33").
GLIBC_MINOR := $(shell getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc 2\.\([0-9]*\).*/\1/p')
PACK_RELOCS := $(if $(LLD),$(shell [ "$(GLIBC_MINOR)" -ge 36 ] 2>/dev/null && echo -Xlinker -z -Xlinker pack-relative-relocs))
# With lld, release builds are optimized across modules at link time (full LTO: the modules are
# compiled to LLVM bitcode and lld optimizes and compiles them as one): 4-5% fewer instructions on
# plain text and on the full pipeline (callgrind; thin LTO saved 2-3%), outputs identical; the
# link takes ~2 minutes on 2 cores instead of seconds (BENCHMARKS.md, "Session 34").
LTO := $(if $(LLD),--experimental-lto-mode=full)
# Profile-guided optimization (with lld, LTO and the toolchain's llvm-profdata and profile runtime;
# PGO=0 turns it off): `make build` first builds an instrumented binary (.build/pgo, LLVM's IR
# instrumentation) and runs it over samples/ (scripts/build/pgo-profile.sh, ~5 s), then compiles
# the release binary with the counts: 5-6% fewer instructions on benchmark data outside the
# training (the long pair, the 1,000 pairs, plain text, LibreOffice HTML), outputs identical
# (BENCHMARKS.md, "Session 34"). The profile is made again when a source file is newer than it; a
# failed instrumented build or run leaves the release binary built without it (a note says so).
PGO ?= 1
PROFDATA := $(wildcard $(TOOLCHAIN)/bin/llvm-profdata)
PROFILE_RUNTIME := $(firstword $(wildcard $(TOOLCHAIN)/lib/clang/*/lib/linux/libclang_rt.profile-$(shell uname -m).a))
PGO_PROFILE := .build/release-profile.profdata
PGO_READY := $(if $(filter 1,$(PGO)),$(and $(LLD),$(PROFDATA),$(PROFILE_RUNTIME)))
INSTRUMENTED_BUILD := $(SWIFT) build -c release --product bitext --scratch-path .build/pgo $(if $(STATIC_RUNTIME),--static-swift-stdlib) \
  -Xswiftc -use-ld=lld -Xswiftc -Xfrontend -Xswiftc -ir-profile-generate=default.profraw \
  -Xlinker $(PROFILE_RUNTIME) -Xlinker -u__llvm_profile_runtime
RELEASE_FLAGS ?= -c release $(if $(STATIC_RUNTIME),--static-swift-stdlib) $(if $(LLD),-Xswiftc -use-ld=lld $(FUNCTION_SECTIONS)) $(PACK_RELOCS) $(LTO)
# A statically linked runtime finds its crash reporter only next to the executable.
BACKTRACER ?= $(TOOLCHAIN)/libexec/swift/linux/swift-backtrace-static

.PHONY: build
# With lld and valgrind, release builds link the functions a run over samples/ executes packed
# together at the front of .text: 3-5 MB less peak RSS per process, outputs identical (BENCHMARKS.md,
# "Session 32"). The list (callgrind, ~10 s) is made when missing or older than a source file, from
# the binary just built; the build then relinks with it (the binary removed first: SwiftPM does not
# see a changed list behind the same flags). A list that lags a little behind the code
# only leaves new functions in the default order. Without lld or valgrind: the default order.
ORDER_FILE := .build/release-function-order.txt
ORDER_FLAGS := -Xlinker --symbol-ordering-file=$(abspath $(ORDER_FILE)) -Xlinker --no-warn-symbol-ordering
BUILD_RELEASE := $(SWIFT) build $(RELEASE_FLAGS) --product bitext
# A shell test: file $(1) is missing, or older than a source file (or than the files $(2)).
stale = { [ ! -s $(1) ] || [ -n "$$(find Sources Package.swift $(2) -newer $(1) -type f | head -1)" ]; }
# The profile's flags when there is a profile (asked when the recipe runs: its first line makes it).
# The compiler reads a copy named by the profile's checksum: a new profile then changes the flags,
# and SwiftPM compiles every module again. (With the same flags it compiled only the edited ones,
# and lld refuses to link modules compiled with two profiles: "linking module flags
# 'ProfileSummary': IDs have conflicting values".)
PGO_COPIES := .build/profiles
PGO_FLAGS = $$([ -n "$(PGO_READY)" ] && [ -s $(PGO_PROFILE) ] && sum=$$(cksum < $(PGO_PROFILE) | cut -d' ' -f1) \
  && mkdir -p $(PGO_COPIES) && find $(PGO_COPIES) -type f ! -name $$sum.profdata -delete \
  && { [ -s $(PGO_COPIES)/$$sum.profdata ] || cp $(PGO_PROFILE) $(PGO_COPIES)/$$sum.profdata; } \
  && echo "-Xswiftc -Xfrontend -Xswiftc -ir-profile-use=$(abspath $(PGO_COPIES))/$$sum.profdata")
build: deps  # Build in release mode (Swift runtime linked statically, LTO and PGO; executed functions packed together).
	@if [ "$(PGO)" != 1 ]; then :; \
	elif [ -z "$(PGO_READY)" ]; then \
	  echo "note: lld, llvm-profdata or the profile runtime missing: bitext is built without profile-guided optimization"; \
	elif $(call stale,$(PGO_PROFILE),scripts/build/pgo-profile.sh); then \
	  echo "$(INSTRUMENTED_BUILD)"; \
	  if ! { $(INSTRUMENTED_BUILD) && PROFDATA=$(PROFDATA) scripts/build/pgo-profile.sh .build/pgo/release/bitext $(PGO_PROFILE); }; then \
	    rm -f $(PGO_PROFILE); echo "note: the profile run failed: bitext is built without profile-guided optimization"; fi; \
	fi
	@pgo=$(PGO_FLAGS); \
	order=$$([ -n "$(LLD)" ] && [ -s $(ORDER_FILE) ] && echo "$(ORDER_FLAGS)"); \
	echo "$(BUILD_RELEASE) $$pgo $$order"; $(BUILD_RELEASE) $$pgo $$order
	@pgo=$(PGO_FLAGS); \
	if [ -z "$(LLD)" ] || ! command -v valgrind >/dev/null; then \
	  echo "note: lld or valgrind missing: bitext is linked without the function order (a few MB more resident)"; \
	elif $(call stale,$(ORDER_FILE)); then \
	  if scripts/build/function-order.sh .build/release/bitext $(ORDER_FILE); then \
	    rm .build/release/bitext; echo "$(BUILD_RELEASE) $$pgo $(ORDER_FLAGS)"; $(BUILD_RELEASE) $$pgo $(ORDER_FLAGS); \
	  else rm -f $(ORDER_FILE); echo "note: listing the executed functions failed: bitext keeps the default order"; fi; \
	fi
ifneq ($(STATIC_RUNTIME),)
	@if [ -x "$(BACKTRACER)" ]; then cp -p "$(BACKTRACER)" .build/release/swift-backtrace; \
	else echo "note: $(BACKTRACER) not found: a crash of bitext will print no backtrace"; fi
endif

.PHONY: run
run: build  # Run PIPELINE over samples/ into out/.
	.build/release/bitext run $(PIPELINE) samples --out out

.PHONY: test
test: test-deps  # Build and run every test.
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

.PHONY: clean
clean:  # Remove build products and out/.
	rm -rf .build out

.PHONY: bench-deps
bench-deps: deps  # Install what the benchmarks measure with and on, if missing: Debian's EN/ES manuals, hyperfine, perf (apt-get); lxml, numpy, nltk, galechurch (pip); spaCy's Spanish model (.data/venv).
	@missing=$$(for p in $(BENCH_APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@python3 -c 'import lxml, numpy, nltk, galechurch' 2>/dev/null || pip install -q $(BENCH_PIP_PACKAGES)
	@test -x .data/venv/bin/python || scripts/entities/setup_peers.sh

.PHONY: bench
bench: bench-deps build  # Benchmarks (release build): throughput, peak memory, start-up, with floors in the same run.
	scripts/bench/bench.sh

# Robustness (issue 8). Fuzz builds live in their own package (fuzz/) and scratch path, so
# they never touch the main build; corpora grow under .data/fuzz/ (gitignored).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= FuzzTextIngest FuzzHTMLIngest FuzzSentenceSegmenter FuzzPipelineLoader FuzzPairPipeline
FUZZ_FLAGS ?=

.PHONY: fuzz
fuzz: deps  # Build the libFuzzer harnesses (fuzz/) with ASan and run each for FUZZ_SECONDS (default 60).
	cd fuzz && $(SWIFT) build -c release -Xswiftc -sanitize=fuzzer,address --scratch-path ../.build-fuzz
	@for target in $(FUZZ_TARGETS); do \
	  mkdir -p .data/fuzz/corpus/$$target .data/fuzz/findings; \
	  echo "== $$target for $(FUZZ_SECONDS) s"; \
	  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 .build-fuzz/release/$$target \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix=.data/fuzz/findings/$$target- $(FUZZ_FLAGS) \
	    .data/fuzz/corpus/$$target fuzz/seeds/$$target || exit 1; \
	done

.PHONY: test-sanitize
test-sanitize: deps  # Run the test suite under AddressSanitizer, then ThreadSanitizer (.build-asan, .build-tsan).
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	SWIFT_BACKTRACE=enable=no LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/sanitizers/lsan.supp $(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	SWIFT_BACKTRACE=enable=no $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan
.PHONY: test-spark
test-spark: build  # Spark integration test: pip-installs pyspark into .data/, runs spark/bitext_spark.py in local[2] over samples + 300 generated pairs, compares with bitext run.
	BITEXT=.build/release/bitext spark/test.sh
