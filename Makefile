# The two commands a newcomer needs: `make demo` and `make test`. Each installs what it needs.
SHELL := /bin/bash
PORT ?= 8080
CARGO ?= cargo

.PHONY: demo test test-rust test-walk test-bench test-wasm test-browser lint setup-rust setup-browser pkg bench fuzz

## Build the npm package's web build and serve the browser demo on 127.0.0.1:$(PORT).
demo: pkg
	@bash web-demo/serve.sh $(PORT)

## Every test layer: lints, Rust unit/scenario/property/simulation tests, wasm + JS package tests,
## browser end-to-end tests in headless Chromium.
test: lint test-rust test-wasm test-browser
	@echo "make test: all layers passed"

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --all-features -- -D warnings

test-rust:
	$(CARGO) test --workspace --all-features
	$(MAKE) test-walk
	$(MAKE) test-bench

## The long property walk: WALK_STEPS (10^6) commands in release (overflow checks on), split over
## 2 threads, as walks of 500 steps; `audit` after every step, the snapshot checks (refusals leave
## the snapshot byte-identical, replay and save/load agree) every 16th step. About 2 minutes, plus
## the release build. The debug run of the same walk is the proptest in `cargo test`.
WALK_STEPS ?= 1000000
test-walk:
	GIGMARKET_WALK_STEPS=$(WALK_STEPS) GIGMARKET_WALK_THREADS=2 GIGMARKET_WALK_LEN=500 GIGMARKET_WALK_CHECK_EVERY=16 \
		$(CARGO) test --release -p gigmarket --all-features --test properties long_walks_over_seeds -- --nocapture

## The engine bench runs to the end at its quick sizes (some 5 s): it asserts its own workload
## (every scripted command accepted, invariants held, every snapshot loads) but never a time.
## Without this a bench that no longer runs goes unnoticed until somebody wants its figures.
test-bench:
	$(CARGO) run --release -p gigmarket --all-features --example bench -- --quick

## A long fuzzing pass (see core/fuzz/README.md): FUZZ_INPUTS inputs over FUZZ_THREADS threads.
## Findings are written to core/fuzz/corpus/, which `cargo test` replays.
FUZZ_INPUTS ?= 10000000
FUZZ_SEED ?= 1
FUZZ_THREADS ?= 2
fuzz:
	$(CARGO) run --profile fuzz -p gigmarket --all-features --example fuzz -- \
		--inputs $(FUZZ_INPUTS) --seed $(FUZZ_SEED) --threads $(FUZZ_THREADS)

## The npm package: build it, then run the wasm-bindgen tests and the JS tests against it.
test-wasm: pkg
	bash wasm/test.sh

test-browser: pkg setup-browser
	bash tests/browser/run.sh

pkg: setup-rust
	bash wasm/build.sh

setup-rust:
	@bash scripts/setup-rust.sh

setup-browser:
	@bash scripts/setup-browser.sh

## Benchmarks (they measure and print; see BENCHMARKS.md). The scipy comparison: bash bench/assign_vs_scipy.sh
bench: pkg
	$(CARGO) run --release -p gigmarket --example bench -- --json
	node wasm/bench.mjs --no-native
