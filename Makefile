# The two commands a newcomer needs: `make demo` and `make test`. Each installs what it needs.
SHELL := /bin/bash
PORT ?= 8080
CARGO ?= cargo

.PHONY: demo test test-rust test-wasm test-browser lint setup-rust setup-browser pkg bench

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
