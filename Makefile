# Entry points (see README): `make demo`, `make demo-static`, `make test`, `make pkg`,
# `make sandbox`, `make bench`, `make fuzz`.
# Each installs what it needs (scripts/setup.sh) and skips what is there.
SHELL := /bin/bash
PORT ?= 8080

.PHONY: demo demo-static test pkg sandbox bench fuzz generate lint setup clean

## The sandbox serving the demo page and the package on http://127.0.0.1:$(PORT)/
demo: pkg
	cargo run --release -p sandbox -- --port $(PORT) --www www --pkg pkg

## The demo as static files in target/demo-static (the page, the package, its testing entry): any static host, no API behind it
demo-static: pkg
	bash scripts/build-static-demo.sh

## Everything: lints, native tests, spec validation, the package, wasm tests in Node and Chromium
test:
	bash scripts/test.sh

## The npm package in pkg/
pkg: setup generate
	bash scripts/build-pkg.sh

## The sandbox API alone on http://127.0.0.1:$(PORT)/api
sandbox:
	cargo run --release -p sandbox -- --port $(PORT)

## Benchmark against a hand-written JS client: bench/results.md, bench/results.svg
bench: pkg
	cargo build --release -p sandbox && node bench/run.mjs && bash scripts/one-call-size.sh

## Property tests of the sans-IO core and the sandbox, 100,000 cases each (`make test` runs them with fewer)
fuzz:
	bash scripts/fuzz.sh

## Regenerate src/generated/ from spec/openapi.json
generate:
	cargo run -q -p codegen

lint:
	bash scripts/test.sh lint

setup:
	bash scripts/setup.sh

clean:
	cargo clean
	rm -rf pkg node_modules
