# The only entry points a person needs. `make run` serves the app; `make test` runs every test.
# Build tools are installed once, outside the checkout (~/.cargo/bin and TOOLS_DIR), so a fresh
# clone reuses them.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.130
SQLX_CLI_VERSION := 0.8.6
LEPTOSFMT_VERSION := 0.1.33
BINARYEN_VERSION := 132.0.0
BINARYEN_MAJOR := 132
TOOLS_DIR ?= $(HOME)/.cache/exam-practice-tools

export PATH := $(HOME)/.cargo/bin:$(TOOLS_DIR)/node_modules/.bin:$(PATH)
# Queries are checked at compile time against the committed .sqlx/ data, never a live database.
export SQLX_OFFLINE := true
export LEPTOS_SITE_ROOT := target/site
# The seed quick reference the coverage map is checked against, when it is beside the checkout.
export CONTENT_SEED_FILE ?= $(abspath $(wildcard ../shared/seed/000_850c7eabfa916e00.txt))

# Release builds erase component types (as cargo-leptos does for debug builds, which the tests
# run): the browser bundle shrinks by a third (wasm 1.09 MB -> 0.72 MB gzipped).
RELEASE_RUSTFLAGS := --cfg erase_components

# The private PostgreSQL cluster used by the tests (see scripts/test-db.sh).
TEST_DB_URL = $(shell scripts/test-db.sh url)

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

.PHONY: run
run: tools ## Build (release) and serve the app on http://127.0.0.1:3000 with the embedded database
	RUSTFLAGS="$(RELEASE_RUSTFLAGS)" cargo leptos build --release
	./target/release/server serve

.PHONY: dev
dev: tools ## Serve a debug build that rebuilds on change
	cargo leptos watch

.PHONY: build
build: tools ## Release build: server binary and site bundle in target/
	RUSTFLAGS="$(RELEASE_RUSTFLAGS)" cargo leptos build --release

.PHONY: test
test: tools test-deps lint ## Run every test: unit, integration (real PostgreSQL), end-to-end (Chromium)
	scripts/test-db.sh start
	cargo run -q -p server -- content check
	DATABASE_URL="$(TEST_DB_URL)" cargo test --workspace
	cargo leptos build
	scripts/test-db.sh recreate e2e
	cd end2end && DATABASE_URL="$$(../scripts/test-db.sh url e2e)" npx playwright test
	scripts/test-db.sh stop

.PHONY: lint
lint: tools ## rustfmt, leptosfmt (view! code), clippy -D warnings, no cycles between feature modules, the sqlx offline-data check
	cargo fmt --all --check
	leptosfmt --check app/src
	for src in crates/shared/src crates/content/src crates/services/src; do python3 scripts/module-deps.py --check $$src 1 || exit 1; done
	python3 scripts/module-deps.py --check app/src 2
	cargo clippy --workspace --all-targets --features app/ssr -- -D warnings
	cargo clippy -p app --lib --target wasm32-unknown-unknown --features hydrate -- -D warnings
	scripts/test-db.sh start
	DATABASE_URL="$(TEST_DB_URL)" cargo sqlx migrate run --source migrations
	DATABASE_URL="$(TEST_DB_URL)" cargo sqlx prepare --workspace --check -- --all-targets --features app/ssr

.PHONY: sqlx-prepare
sqlx-prepare: tools ## Refresh .sqlx/ after changing a query (commit the result)
	scripts/test-db.sh start
	DATABASE_URL="$(TEST_DB_URL)" cargo sqlx migrate run --source migrations
	DATABASE_URL="$(TEST_DB_URL)" cargo sqlx prepare --workspace -- --all-targets --features app/ssr

# The server `make lighthouse` audits: it does not start one.
BASE_URL ?= http://127.0.0.1:3000

.PHONY: lighthouse
lighthouse: test-deps ## Lighthouse 12 scores of a running server (start `make run` first; BASE_URL=...)
	@cd end2end && { [ -d node_modules/lighthouse ] || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund; }
	cd end2end && node lighthouse.mjs "$(BASE_URL)"

.PHONY: bench
bench: build ## Benchmark the release build (private PostgreSQL, wrk, nginx, pgbench): one table, ~12 min
	bench/run.sh

# Fuzzing (fuzz/, its own workspace). cargo-fuzz passes -Z flags to rustc: RUSTC_BOOTSTRAP=1
# lets the stable toolchain accept them (no nightly here). The committed seeds (fuzz/corpus/)
# and past findings (fuzz/regressions/) are only read: new corpus entries go to
# fuzz/target/corpus/<target>, crashes to fuzz/artifacts/<target>/, both ignored by git.
CARGO_FUZZ_VERSION := 0.13.2
FUZZ_TARGETS := markdown flowchart gift gift_roundtrip
FUZZ_SECONDS ?= 60
# address (AddressSanitizer) or none (coverage instrumentation only).
FUZZ_SANITIZER ?= address
FUZZ_FLAGS := -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1

.PHONY: fuzz
fuzz: ## Fuzz the Markdown, diagram and GIFT parsers for FUZZ_SECONDS (60) each; fails on a crash
	@cargo fuzz --version 2>/dev/null | grep -q "$(CARGO_FUZZ_VERSION)" || \
	  cargo install cargo-fuzz --version $(CARGO_FUZZ_VERSION) --locked
	RUSTC_BOOTSTRAP=1 cargo fuzz build -s $(FUZZ_SANITIZER)
	@failed=""; for target in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/target/corpus/$$target; \
	  echo "== $$target: $(FUZZ_SECONDS) s"; \
	  RUSTC_BOOTSTRAP=1 cargo fuzz run -s $(FUZZ_SANITIZER) $$target \
	    fuzz/target/corpus/$$target fuzz/corpus/$$target \
	    $$([ -d fuzz/regressions/$$target ] && echo fuzz/regressions/$$target) -- \
	    -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) || failed="$$failed $$target"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashes in:$$failed (inputs in fuzz/artifacts/)"; exit 1; fi

.PHONY: fmt
fmt: tools ## Format the code (Rust, then the view! macros; leptosfmt 0.1.33 sometimes settles on a second pass)
	leptosfmt --quiet app/src
	cargo fmt --all
	leptosfmt --quiet app/src

.PHONY: clean-db
clean-db: ## Delete the embedded database of `make run` (all local data!)
	rm -rf data/postgres data/run

.PHONY: tools
tools: ## Install the pinned build tools when missing
	@rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" || \
	  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
	  cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked --features no_downloads
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@leptosfmt --version 2>/dev/null | grep -q "$(LEPTOSFMT_VERSION)" || \
	  cargo install leptosfmt --version $(LEPTOSFMT_VERSION) --locked
	@cargo sqlx --version 2>/dev/null | grep -q "$(SQLX_CLI_VERSION)" || \
	  cargo install sqlx-cli --version $(SQLX_CLI_VERSION) --locked --no-default-features --features postgres,rustls
	@wasm-opt --version 2>/dev/null | grep -q "version $(BINARYEN_MAJOR)" || \
	  npm install --silent --no-audit --no-fund --prefix "$(TOOLS_DIR)" binaryen@$(BINARYEN_VERSION)

.PHONY: test-deps
test-deps: ## Install Chromium (Debian) and the end-to-end npm packages when missing
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@cd end2end && { [ -d node_modules/@playwright/test ] || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund; }
