# bitext — thin aliases over the Swift package manager.
#   make run    install what is missing, build (release), run pipelines/default.yaml over samples/ into out/
#   make test   build and run every test
SWIFT ?= swift
PIPELINE ?= pipelines/default.yaml
APT_PACKAGES ?= libxml2-dev pkg-config libxml2-utils

.DEFAULT_GOAL := help

.PHONY: help
help:  # Show this help.
	@grep -Eh '^[a-z-]+:.*#' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*# (.*)/  \1\t\2/'

.PHONY: deps
deps:  # Install missing system packages (libxml2-dev, pkg-config, xmllint) with apt-get.
	@if ! (command -v pkg-config >/dev/null && pkg-config --exists libxml-2.0 && command -v xmllint >/dev/null); then \
	  echo "Installing $(APT_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

.PHONY: build
build: deps  # Build in release mode.
	$(SWIFT) build -c release --product bitext

.PHONY: run
run: build  # Run PIPELINE over samples/ into out/.
	.build/release/bitext run $(PIPELINE) samples --out out

.PHONY: test
test: deps  # Build and run every test.
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

.PHONY: clean
clean:  # Remove build products and out/.
	rm -rf .build out

.PHONY: bench
bench: build  # Benchmarks (release build): throughput, peak memory, start-up, with floors in the same run.
	scripts/bench/bench.sh
