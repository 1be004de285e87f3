# OpenESIA: `make run` and `make test` work on a fresh Debian machine (they install what is missing).
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
DEPS := pkg-config libssl-dev libsqlite3-dev libengine-gost-openssl openssl
DATA ?= data
FUZZ_SECONDS ?= 600
BIN := .build/release/openesia

.PHONY: run test bench fuzz keys deps build clean

deps:
	@bash .ci/install-deps.sh $(DEPS)

build: deps
	$(SWIFT) build -c release --product openesia

## run: build in release mode, create ./data (with the example reference registry and service centres) on first use, trust the development CAs, serve on http://127.0.0.1:8080
run: build
	@test -f $(DATA)/config.json || { $(BIN) init --data $(DATA) && \
	  $(BIN) registry import docs/examples/reference-registry.csv --config $(DATA)/config.json && \
	  $(BIN) centres import docs/examples/service-centres.csv --config $(DATA)/config.json; }
	@# A development data folder made by an older version gets the example secrets added since (never overwritten).
	@if [ -f $(DATA)/keys/DEVELOPMENT-ONLY ]; then for f in keys-example/secrets/*.key; do \
	  test -e $(DATA)/keys/secrets/$$(basename $$f) || cp -p $$f $(DATA)/keys/secrets/; done; fi
	@# The development CAs in data/keys/pki: accredited once, fresh CRLs at every start (e-signature login, docs/signature-login.md).
	@if [ -f $(DATA)/keys/DEVELOPMENT-ONLY ] && [ -d $(DATA)/keys/pki ]; then bash .ci/dev-trust.sh $(BIN) $(DATA); fi
	$(BIN) serve --config $(DATA)/config.json

## test: every unit and end-to-end test
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## bench: HTTP throughput against nginx, memory, citizens (BENCH_CITIZENS, default 1000000), activation, signature logins, OpenID Connect (BENCH_OIDC_SECONDS per phase, default 10); appended to BENCHMARKS.md
bench: deps
	@bash .ci/install-deps.sh wrk nginx-light
	bash .ci/bench.sh
	bash .ci/bench-citizens.sh
	bash .ci/bench-activation.sh
	bash .ci/bench-signatures.sh
	bash .ci/bench-oidc.sh

## fuzz: libFuzzer on the HTTP parser, then on PKI input (CMS, certificates, CRLs); FUZZ_SECONDS (default 600) split evenly between them
fuzz: deps
	bash .ci/fuzz.sh $(FUZZ_SECONDS)

## keys: make the missing development keys in keys-example/ (FORCE=1 remakes them all), the PKI with openesia's own CA
keys: build
	OPENESIA_BIN=$(BIN) bash keys-example/make-keys.sh $(if $(FORCE),--force)

clean:
	rm -rf .build .build-fuzz .build-bench
