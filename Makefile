# The two commands the README starts with. Each installs missing Debian packages first.
.PHONY: demo test deps build release bench bench-compare udev-rules fuzz soak install uninstall deb static-release

deps:
	@bash .ci/install-deps

build: deps
	swift build

# Simulated readers on pseudo-terminals, the real gateway, a SQLite event log in /tmp/tagway-demo.
demo: build
	.build/debug/tagway demo

# The suite, after a short libFuzzer run of every target (FUZZ_SECONDS each, 5 by default here;
# findings fail the run and are kept as regression inputs that the suite replays). The kill -9
# stress test runs on its own: its restarts must stay under the scenario's departAfter, and
# sharing both cores with the parallel suite (umockdev, browsers, packaging) once made one take
# 12.5 s on CI. The fleet fault test (issue 17: three gateways, two site processes and a 3-node
# nats-server cluster, each SIGKILLed mid-burst, about 2 minutes) runs alone for the same reason:
# its margins are seconds. The site runner's suites (nats-servers, site processes, leases of a
# few seconds) run after the parallel suite, on their own: beside it they starved other suites'
# timing (a PubAck wait, a USB capture) and had their own leases pass to a standby by load.
# The idle gateway's wake-up count runs alone too, so the parallel suite's load does
# not add to what it counts. The console's browser tests (Tests/Console/run.sh: headless chromium, Selenium in
# a pinned venv, against .build/debug/tagway and simulated readers, and a tagway site on nats-server) run after swift test; the
# packaging tests (make deb, lintian, dpkg into a scratch root) last. First, in a second: no force
# unwrap, try! or as! in Sources/ without a `// force-unwrap-ok: why` (.ci/lint-force-unwraps,
# which checks itself on Tests/Lint/sample.swift first).
test: deps
	python3 .ci/lint-force-unwraps --self-test
	python3 .ci/lint-force-unwraps Sources
	swift build --build-tests
	FUZZ_SECONDS=$${FUZZ_SECONDS:-5} bash Fuzz/fuzz.sh
	swift test --skip-build --skip TagwayPackagingTests --skip KillStressTests --skip IdleGatewayTests --skip LLRPEndToEndTests --skip LLRPDoorEndToEndTests --skip FleetFaultTests --skip TagwaySiteRunnerTests
	swift test --skip-build --filter TagwaySiteRunnerTests
	swift test --skip-build --filter 'LLRPEndToEndTests|LLRPDoorEndToEndTests'
	swift test --skip-build --filter KillStressTests
	swift test --skip-build --filter FleetFaultTests
	swift test --skip-build --filter IdleGatewayTests
	bash Tests/Console/run.sh
	swift test --skip-build --filter TagwayPackagingTests

release: deps
	swift build -c release

# Every benchmark figure in one table (figures, not assertions): each benchmark writes what it
# measured with --json into $(BENCH_DIR), and scripts/bench-table merges them into
# bench-results.json (it fails when a benchmark wrote nothing). Compare two runs with:
# make bench-compare BEFORE=a.json AFTER=b.json (exit 1 on a regression beyond 10%).
# tagway-bench's idle section starts the release `tagway` next to it and watches it for
# IDLE_SECONDS (then as long again under strace). tagway-bench replay replays W2's equivalent as a
# capture (issue 18: at least 10x faster than real time). W2 runs once more without the engine's
# prefetch hints (`movement.W2.no_prefetch.*`), to show what they are worth.
BENCH_DIR ?= .bench
# Each forwarding benchmark runs as its own process, so one that crashes costs only its own
# figures: bench-table still writes the others, names the missing part, and exits 1.
FORWARD_BENCHES = append webhook drain restart pipeline llrp log jetstream site
IDLE_SECONDS ?= 60
bench: deps
	swift build -c release --product tagway
	swift build -c release --product tagway-bench
	swift build -c release --product tagway-forward-bench
	rm -rf $(BENCH_DIR)
	mkdir -p $(BENCH_DIR)
	.build/release/tagway-bench all --idle-seconds $(IDLE_SECONDS) --json $(BENCH_DIR)/tagway-bench.json
	for part in $(FORWARD_BENCHES); do \
	    .build/release/tagway-forward-bench $$part --json $(BENCH_DIR)/forward-$$part.json \
	        || echo "tagway-forward-bench $$part failed (exit $$?): its figures are missing" >&2; \
	done
	.build/release/tagway-bench replay --json $(BENCH_DIR)/tagway-bench-replay.json
	.build/release/tagway-bench movement --workload W2 --no-prefetch --json $(BENCH_DIR)/tagway-bench-no-prefetch.json
	python3 scripts/bench-table bench-results.json $(BENCH_DIR)/tagway-bench.json $(BENCH_DIR)/tagway-bench-no-prefetch.json \
	    $(foreach part,$(FORWARD_BENCHES),$(BENCH_DIR)/forward-$(part).json) $(BENCH_DIR)/tagway-bench-replay.json

bench-compare:
	@test -n "$(BEFORE)" -a -n "$(AFTER)" || { echo "usage: make bench-compare BEFORE=old.json AFTER=bench-results.json" >&2; exit 2; }
	python3 scripts/bench-compare "$(BEFORE)" "$(AFTER)"

# libFuzzer over every decoder, the HID descriptor parser, EPC/GS1 and the config loader
# (Fuzz/fuzz.sh): FUZZ_SECONDS per target (default 20), fails on a crash, leak, hang or OOM.
fuzz: deps
	bash Fuzz/fuzz.sh

# kill -9 stress of `tagway run` (Tests/TagwayCrashTests) with many kills: SOAK_KILLS (default 200)
# seeded SIGKILLs during a longer scripted scenario; SOAK_SEED picks another sequence of moments.
soak: deps
	swift build --build-tests
	SOAK_KILLS=$${SOAK_KILLS:-200} swift test --skip-build --filter KillStressTests

# MARK: install (GNU conventions: PREFIX, DESTDIR, BINDIR...). Creates nothing outside DESTDIR:
# no user, no systemctl, no udevadm; it prints what to run next. The binary is
# .build/$(CONFIGURATION)/tagway (TAGWAY_BINARY= picks another one); build it first (make release).
PREFIX ?= /usr/local
EXEC_PREFIX ?= $(PREFIX)
BINDIR ?= $(EXEC_PREFIX)/bin
DATAROOTDIR ?= $(PREFIX)/share
DATADIR ?= $(DATAROOTDIR)/tagway
SYSCONFDIR ?= /etc
# udev and systemd read /lib on Debian 12 (the .deb's PREFIX=/usr) and /usr/local/lib for local installs.
SYSTEMLIBDIR ?= $(if $(filter /usr,$(PREFIX)),/lib,$(PREFIX)/lib)
UDEVRULESDIR ?= $(SYSTEMLIBDIR)/udev/rules.d
SYSTEMDUNITDIR ?= $(SYSTEMLIBDIR)/systemd/system
CONFIGURATION ?= release
TAGWAY_BINARY ?= .build/$(CONFIGURATION)/tagway
INSTALL ?= install

install:
	@test -x "$(TAGWAY_BINARY)" || { echo "no $(TAGWAY_BINARY): build it first (make release, or CONFIGURATION=debug after make build)" >&2; exit 1; }
	$(INSTALL) -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(DATADIR)" "$(DESTDIR)$(UDEVRULESDIR)" "$(DESTDIR)$(SYSTEMDUNITDIR)" "$(DESTDIR)$(SYSCONFDIR)/tagway"
	$(INSTALL) -m 0755 "$(TAGWAY_BINARY)" "$(DESTDIR)$(BINDIR)/tagway"
	cp -R devices "$(DESTDIR)$(DATADIR)/"
	chmod -R u=rwX,go=rX "$(DESTDIR)$(DATADIR)/devices"
	$(INSTALL) -m 0644 udev-rules/70-tagway.rules "$(DESTDIR)$(UDEVRULESDIR)/70-tagway.rules"
	sed -e 's#/usr/bin/tagway#$(BINDIR)/tagway#g' -e 's#/etc/tagway#$(SYSCONFDIR)/tagway#g' \
	    packaging/tagway.service > "$(DESTDIR)$(SYSTEMDUNITDIR)/tagway.service"
	chmod 0644 "$(DESTDIR)$(SYSTEMDUNITDIR)/tagway.service"
	@if [ -e "$(DESTDIR)$(SYSCONFDIR)/tagway/gateway.yaml" ]; then \
	    echo "kept the existing $(DESTDIR)$(SYSCONFDIR)/tagway/gateway.yaml (the example is packaging/gateway.example.yaml)"; \
	else $(INSTALL) -m 0644 packaging/gateway.example.yaml "$(DESTDIR)$(SYSCONFDIR)/tagway/gateway.yaml"; fi
	@echo
	@echo "Installed. Next, as root:"
	@echo "  adduser --system --group --home /var/lib/tagway --no-create-home tagway"
	@echo "  udevadm control --reload && udevadm trigger"
	@echo "  edit $(SYSCONFDIR)/tagway/gateway.yaml, then: $(BINDIR)/tagway check-config $(SYSCONFDIR)/tagway/gateway.yaml"
	@echo "  systemctl daemon-reload && systemctl enable --now tagway"

# Removes what install installed except the configuration (and never the event log).
uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/tagway" "$(DESTDIR)$(UDEVRULESDIR)/70-tagway.rules" "$(DESTDIR)$(SYSTEMDUNITDIR)/tagway.service"
	rm -rf "$(DESTDIR)$(DATADIR)"
	@echo "kept $(DESTDIR)$(SYSCONFDIR)/tagway and the event log (gateway.dataDir)"

# MARK: Debian package. The Swift runtime is not in Debian, so the packaged binary links it
# statically (its own scratch path, so the dynamic release build stays as it is).
STATIC_BINARY = .build/static/release/tagway
static-release: deps
	swift build -c release --product tagway --static-swift-stdlib --disable-local-rpath --scratch-path .build/static

# DEB_BINARY= packages another binary (the packaging test uses the debug build with
# DEB_REQUIRE_STATIC=no, which skips the check that no libswift*.so is linked).
DEB_BINARY ?= $(STATIC_BINARY)
DEB_REQUIRE_STATIC ?= yes
DEB_OUT ?= .build/deb
deb:
	@if [ "$(DEB_BINARY)" = "$(STATIC_BINARY)" ]; then $(MAKE) static-release; fi
	DEB_BINARY="$(DEB_BINARY)" DEB_REQUIRE_STATIC="$(DEB_REQUIRE_STATIC)" DEB_OUT="$(DEB_OUT)" bash packaging/build-deb.sh
