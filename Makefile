# The two commands the README starts with. Each installs missing Debian packages first.
.PHONY: demo test deps build release bench udev-rules fuzz soak

deps:
	@bash .ci/install-deps

build: deps
	swift build

# Simulated readers on pseudo-terminals, the real gateway, a SQLite event log in /tmp/tagway-demo.
demo: build
	.build/debug/tagway demo

# The suite, after a short libFuzzer run of every target (FUZZ_SECONDS each, 5 by default here;
# findings fail the run and are kept as regression inputs that the suite replays).
test: deps
	swift build --build-tests
	FUZZ_SECONDS=$${FUZZ_SECONDS:-5} bash Fuzz/fuzz.sh
	swift test

release: deps
	swift build -c release

# Prints decoder MB/s and debouncer reads/s (figures, not assertions).
bench: deps
	swift run -c release tagway-bench all
	swift run -c release tagway-forward-bench all

# libFuzzer over every decoder, the HID descriptor parser, EPC/GS1 and the config loader
# (Fuzz/fuzz.sh): FUZZ_SECONDS per target (default 20), fails on a crash, leak, hang or OOM.
fuzz: deps
	bash Fuzz/fuzz.sh

# kill -9 stress of `tagway run` (Tests/TagwayCrashTests) with many kills: SOAK_KILLS (default 200)
# seeded SIGKILLs during a longer scripted scenario; SOAK_SEED picks another sequence of moments.
soak: deps
	swift build --build-tests
	SOAK_KILLS=$${SOAK_KILLS:-200} swift test --skip-build --filter KillStressTests
