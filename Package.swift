// swift-tools-version: 6.0
import PackageDescription

// Dependencies point one way (README, Layout):
// - pure core (no I/O, no clock): TagwayModel, TagwayDecoders, TagwayHID, TagwayDebounce, TagwayZones,
//   TagwayIdentity, TagwayAudit;
// - pure machines and tables: TagwayProtocols (the one table of reader protocols, every transport;
//   nothing else names them), TagwaySessions (reader sessions), TagwayDelivery (the outbox machine),
//   TagwayProbe (autodetect), TagwaySettings (configuration value types the edges obey);
// - TagwayRuntime: the shells' one clock and wake-up primitive;
// - edges (file descriptors, SQLite, HTTP): TagwaySerial, TagwayUSB, TagwayEventLog, TagwayOutbox,
//   TagwaySinks, TagwayAPI, TagwayConsole;
// - wiring: TagwayConfig reads YAML (above pure modules only), TagwayGateway wires edges to the pure
//   core, TagwayControl reloads and watches; `tagway` is the one executable.
let package = Package(
    name: "Tagway",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tagway", targets: ["tagway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // Tests only: TestClock, so shells that wait (workers, reader sessions) run without sleeping.
        .package(url: "https://github.com/pointfreeco/swift-clocks", from: "1.0.6"),
        // Benchmarks only: latency percentiles (read→durable) without averaging.
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
    ],
    targets: [
        // MARK: pure core
        .target(name: "TagwayModel"),
        .target(name: "TagwayDecoders", dependencies: ["TagwayModel"]),
        // Cache prefetch hints for the engine's tables (a read's slots are cache misses on a large site).
        .target(name: "CPrefetch"),
        .target(name: "TagwayDebounce", dependencies: ["TagwayModel", "CPrefetch"]),
        .target(name: "TagwayIdentity", dependencies: ["TagwayModel"]),
        // Zones, doors and geofence rules: the movement engine between the debouncer and the log.
        .target(name: "TagwayZones", dependencies: ["TagwayModel", "TagwayDebounce"]),
        // Tag filters and reference tags (issue 18): compiled per reader and read point, judged
        // on the EPC's bits before the movement engine.
        // The site view (issue 17): every gateway's events of a site joined into one picture,
        // cross-gateway moves and site rules. Pure: the `tagway site` shell feeds it.
        .target(name: "TagwaySite", dependencies: ["TagwayModel", "TagwayZones"]),
        .target(name: "TagwayFilters", dependencies: ["TagwayModel", "TagwayIdentity", "TagwayZones"]),
        // Byte-exact emulations of each reader, for the simulator, tests and benchmarks.
        .target(name: "TagwayEmulators", dependencies: ["TagwayModel", "TagwayDecoders", "TagwayHID", "TagwayLLRP"]),
        // Capture files (issue 18): what a reader connection did, byte-exact and timed, as text
        // records; the pure format shared by the recorder, `tagway simulate --replay` and `tagway replay`.
        .target(name: "TagwayCapture", dependencies: ["TagwayModel"]),
        // The protocol registry (issue 14): one descriptor per reader protocol, every transport, one table.
        .target(name: "TagwayProtocols", dependencies: ["TagwayModel", "TagwayDecoders", "TagwayHID", "TagwayEmulators", "TagwaySessions",
                                                       "TagwayLLRP"]),
        // Expected-vs-found audit (issue 11): expected-asset lists (CSV, JSON) and the comparison.
        .target(name: "TagwayAudit", dependencies: ["TagwayModel"]),
        // The shells' one concurrency kit: the injected clock (wall + monotonic) and the one
        // wake-up primitive. No I/O beyond reading the clock.
        .target(name: "TagwayRuntime", dependencies: ["TagwayModel"]),
        // Reader sessions as pure state machines (open, backoff, polling, decoding, health counters)
        // for every transport; the termios and libusb shells in TagwayGateway/TagwayUSB execute their actions.
        .target(name: "TagwaySessions", dependencies: ["TagwayModel", "TagwayDecoders", "TagwayHID"]),
        // LLRP (issue 15): the pure message codec of fixed UHF readers and the client's
        // conversation (a `ReaderConversation` the session machine runs over TCP).
        .target(name: "TagwayLLRP", dependencies: ["TagwayModel", "TagwayDecoders", "TagwaySessions"]),

        // Value types of configuration that edges obey (serial line settings, the log's
        // durability): below both the configuration and the edges, so TagwayConfig names them
        // without depending on termios or SQLite.
        .target(name: "TagwaySettings", dependencies: ["TagwayModel"]),
        // Autodetect (`tagway devices --probe`): gpsd's hunt loop as a pure machine over the
        // profiles' line settings, their decoders and their read-only version queries.
        .target(name: "TagwayProbe", dependencies: ["TagwayModel", "TagwayDecoders", "TagwaySettings"]),
        // The outbox's decisions (issue 14): the pure delivery state machine of one sink, the
        // retention plan, and their value types (policies, outcomes, status). No I/O, no clock.
        .target(name: "TagwayDelivery", dependencies: ["TagwayModel"]),

        // MARK: edges
        .target(name: "TagwaySerial", dependencies: ["TagwayModel", "TagwaySettings"]),
        // A thread's own nice value and name (the WAL checkpointer is background work).
        .target(name: "CThread"),
        .target(name: "TagwayEventLog", dependencies: [
            "TagwayModel", "TagwayIdentity", "TagwaySettings", "CThread",
            .product(name: "GRDB", package: "GRDB.swift"),
            // The C API, for binding each row's values without boxing them (RowBinder).
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        .target(name: "TagwayConfig", dependencies: [
            "TagwayModel", "TagwaySettings", "TagwayDecoders", "TagwayDebounce", "TagwayDelivery", "TagwayZones",
            "TagwayProtocols", "TagwayAudit", "TagwayFilters", "TagwaySite",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Forwarding (issue 6): the outbox (per-sink cursors, pure delivery state machine, retention),
        // the sinks (webhook, EPCIS, Snipe-IT over async-http-client; MQTT over libmosquitto), and the
        // pull API (Hummingbird).
        .systemLibrary(name: "CMosquitto", pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),
        // Issue 17: the JetStream sink's NATS C client (JetStream, TLS, NKeys, reconnects).
        .systemLibrary(name: "CNATS", pkgConfig: "libnats", providers: [.apt(["libnats-dev"])]),
        .target(name: "TagwayOutbox", dependencies: [
            "TagwayModel", "TagwayEventLog", "TagwayDelivery", "TagwayRuntime",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        .target(name: "TagwaySinks", dependencies: [
            "TagwayModel", "TagwayOutbox", "CMosquitto", "CNATS", "TagwayRuntime",
            // The sinks' configuration entries (`SinkFactory`, shared by a gateway and a site).
            "TagwayConfig",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
            // Issue 18: the Snipe-IT sink's counters (unknown assets, unmapped zones, refusals).
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // Issue 17: the `tagway site` process's shell: a durable JetStream consumer feeding the
        // pure site view (TagwaySite), site events published, the picture in a key-value bucket.
        .target(name: "TagwaySiteRunner", dependencies: [
            "TagwayModel", "TagwaySite", "TagwayConfig", "TagwayDelivery", "TagwaySinks", "TagwayRuntime", "CNATS",
            // Site events forwarded to the gateway's sinks by the gateway's outbox worker, and the
            // gateway's API routes over the site's bucket and stream (`api:`).
            "TagwayOutbox", "TagwayAPI",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // Issue 13: the web console's files (embedded, served at /console/ without a token; the data comes from /v1).
        .target(name: "TagwayConsole", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
        ], resources: [
            .embedInCode("Assets/index.html"),
            .embedInCode("Assets/console.css"),
            .embedInCode("Assets/app.js"),
            .embedInCode("Assets/pages.js"),
            .embedInCode("Assets/api.js"),
            .embedInCode("Assets/format.js"),
            .embedInCode("Assets/login.js"),
            .embedInCode("Assets/overview.js"),
            .embedInCode("Assets/zones.js"),
            .embedInCode("Assets/asset.js"),
            .embedInCode("Assets/tuning.js"),
            .embedInCode("Assets/feed.js"),
            .embedInCode("Assets/live.js"),
            .embedInCode("Assets/alerts.js"),
            .embedInCode("Assets/site.js"),
            .embedInCode("Assets/site-overview.js"),
            .embedInCode("Assets/audit.js"),
            .embedInCode("Assets/openapi.yaml"),
            // The Configure page (h/config).
            .embedInCode("Assets/configure.js"),
            .embedInCode("Assets/yaml-sections.js"),
            .embedInCode("Assets/configure.css"),
        ]),
        .target(name: "TagwayAPI", dependencies: [
            "TagwayModel", "TagwayEventLog", "TagwayOutbox", "TagwayAudit", "TagwayConsole", "TagwayRuntime",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            // Issue 12 (API security): token digests, HTTPS, failed-authentication counts.
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // MARK: USB HID readers (libusb, libudev)
        .systemLibrary(name: "CLibUSB", pkgConfig: "libusb-1.0", providers: [.apt(["libusb-1.0-0-dev"])]),
        .systemLibrary(name: "CUDev", pkgConfig: "libudev", providers: [.apt(["libudev-dev"])]),
        .target(name: "TagwayHID", dependencies: ["TagwayModel"]),
        .target(name: "TagwayUSB", dependencies: ["TagwayModel", "TagwayHID", "CLibUSB", "CUDev", "TagwaySessions", "TagwayRuntime",
                                                 "TagwayCapture"]),
        // USB test support: a umockdev testbed that emulates devices under the real libusb.
        .systemLibrary(name: "CUMockdev", pkgConfig: "umockdev-1.0", providers: [.apt(["libumockdev-dev", "umockdev"])]),
        .executableTarget(name: "tagway-usb-testbed", dependencies: ["CUMockdev"]),
        .executableTarget(name: "tagway-usb-probe", dependencies: ["TagwayUSB", "TagwayHID", "TagwayModel"]),
        .target(name: "TagwaySimulator", dependencies: [
            "TagwayModel", "TagwayDecoders", "TagwayEmulators", "TagwaySerial", "TagwayProtocols", "TagwayRuntime", "TagwayLLRP",
            // `tagway simulate --replay`: a capture played on a pty or a TCP port.
            "TagwayCapture",
            // The LLRP reader emulator's TCP server (`tagway simulate --listen`, the demo's LLRP door).
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .target(name: "TagwayGateway", dependencies: [
            "TagwayModel", "TagwayDecoders", "TagwayDebounce", "TagwayIdentity", "TagwayZones",
            "TagwaySerial", "TagwayEventLog", "TagwayConfig", "TagwayOutbox", "TagwaySinks", "TagwayAPI",
            "TagwayUSB", "TagwayHID", "TagwayRuntime", "TagwaySessions", "TagwayProtocols", "TagwayFilters",
            // The readers' capture recorders (`capture:`, `tagway run --capture`) and `tagway replay`,
            // which takes captures through the reader sessions' machines into the pipeline.
            "TagwayCapture",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            // LLRP readers (issue 15): the TCP reader session's client connection, read with explicit demand.
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // Reload and watch (issue 14): the reload queue and its pure coalescing rules, the config
        // endpoint of /v1/config, the one inotify watcher, signals and the log level switch, out of
        // the executable so they have unit tests.
        .target(name: "TagwayControl", dependencies: [
            "TagwayGateway", "TagwayConfig", "TagwayEventLog", "TagwayAPI", "TagwayRuntime",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "tagway", dependencies: [
            "TagwayGateway", "TagwayControl", "TagwayProbe", "TagwayProtocols", "TagwaySerial", "TagwayDecoders", "TagwaySimulator", "TagwayConfig", "TagwayEventLog", "TagwayIdentity",
            "TagwayUSB", "TagwayHID", "TagwayAudit", "TagwayRuntime", "TagwayEmulators", "TagwayLLRP", "TagwayCapture",
            "TagwaySiteRunner",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // MARK: benchmarks (run in release: swift run -c release tagway-bench)
        .executableTarget(name: "tagway-bench", dependencies: [
            "TagwayModel", "TagwayDecoders", "TagwayDebounce", "TagwayEmulators", "TagwaySimulator", "TagwayZones",
            "CAllocationCounter", "TagwayProtocols", "TagwayLLRP", "BenchReport", "TagwayFilters",
            // idle: the ptys of the silent serial readers it starts `tagway run` with; pipeline: emulated
            // readers on ptys into the real Gateway and its SQLite log.
            "TagwayGateway", "TagwayConfig", "TagwayEventLog", "TagwaySerial", "TagwaySettings", "TagwayRuntime", "TagwaySessions",
            // replay: a W2-shaped capture through `Replay`.
            "TagwayCapture",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Benchmarks/tagway-bench"),
        // The figures every benchmark records, written with --json for make bench's bench-results.json.
        .target(name: "BenchReport", path: "Benchmarks/BenchReport"),
        // Counts malloc calls in the benchmark process (allocations per read of the movement engine).
        .target(name: "CAllocationCounter", path: "Benchmarks/CAllocationCounter"),
        // Forwarding figures: group-commit appends/s, webhook delivery/s, 1M-event backlog drain.
        .executableTarget(name: "tagway-forward-bench", dependencies: [
            "TagwayModel", "TagwayEventLog", "TagwayOutbox", "TagwaySinks", "TagwayGateway", "TagwayZones", "TagwayDebounce",
            "TagwayConfig", "TagwayEmulators", "TagwaySimulator",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            "BenchReport",
            // `log`'s (b): the same rows through SQLite's C API alone, the library the log links.
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            // `jetstream`: the real nats-server cluster the JetStream tests start.
            "NATSServerSupport", "TagwayRuntime",
            // `site`: the site runner consuming the fleet's stream; its consumer read through libnats.
            "TagwaySiteRunner", "TagwayDelivery", "CNATS",
        ], path: "Benchmarks/tagway-forward-bench"),

        // MARK: fuzzing (make fuzz builds tagway-fuzz with coverage, ASan and libFuzzer; see Fuzz/)
        .target(name: "TagwayFuzzing", dependencies: [
            "TagwayModel", "TagwayDecoders", "TagwayEmulators", "TagwayHID", "TagwayIdentity", "TagwayConfig",
            "TagwayProtocols", "TagwayLLRP", "TagwaySessions", "TagwayCapture",
        ], path: "Fuzz/TagwayFuzzing"),
        .target(name: "CFuzzerDriver", path: "Fuzz/CFuzzerDriver"),
        .executableTarget(name: "tagway-fuzz", dependencies: ["TagwayFuzzing", "CFuzzerDriver", "TagwayConfig", "TagwayProtocols"],
                          path: "Fuzz/tagway-fuzz"),

        // MARK: tests
        // Paths every test target needs: the repository's devices/, the built tagway, temp dirs.
        .target(name: "TagwayTestSupport", dependencies: [.product(name: "Logging", package: "swift-log")], path: "Tests/TagwayTestSupport"),
        .testTarget(name: "TagwayDecodersTests", dependencies: ["TagwayDecoders", "TagwayEmulators", "TagwayFuzzing", "TagwayTestSupport",
                                                       "TagwayProtocols", "TagwayHID"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "TagwayCaptureTests", dependencies: ["TagwayCapture", "TagwayModel"]),
        .testTarget(name: "TagwayDebounceTests", dependencies: ["TagwayDebounce"]),
        .testTarget(name: "TagwaySiteTests", dependencies: ["TagwaySite", "TagwayModel", "TagwayZones"]),
        // The LLRP codec: round trips, byte-exact captures written from the 1.0.1 layouts
        // (Fixtures/*.hex + .chk), chunking and corruption; the conversation's tests; the reader
        // emulator against the codec (pure: no socket, no clock).
        .testTarget(name: "TagwayLLRPTests", dependencies: ["TagwayLLRP", "TagwayDecoders", "TagwayModel", "TagwayEmulators",
                                                   "TagwaySessions", "TagwayTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "TagwayControlTests", dependencies: [
            "TagwayControl", "TagwayGateway", "TagwayConfig", "TagwayTestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The probe machine without a port: candidates, settings, queries and judgements.
        .testTarget(name: "TagwayProbeTests", dependencies: ["TagwayProbe", "TagwayProtocols", "TagwayDecoders", "TagwaySettings", "TagwayEmulators", "TagwayModel"]),
        .testTarget(name: "TagwayRuntimeTests", dependencies: [
            "TagwayRuntime", "TagwayModel", .product(name: "Clocks", package: "swift-clocks"),
        ]),
        // The session machine's transitions, without a device or a clock.
        .testTarget(name: "TagwaySessionsTests", dependencies: ["TagwaySessions", "TagwayDecoders", "TagwayHID", "TagwayModel"]),
        // The outbox machine and the retention plan, every state × input (pure: builds in seconds).
        .testTarget(name: "TagwayDeliveryTests", dependencies: ["TagwayDelivery", "TagwayModel"]),
        // scripts/bench-table and scripts/bench-compare on sample figure files (python3, no benchmark run).
        .testTarget(name: "TagwayBenchScriptsTests", dependencies: ["TagwayTestSupport"], resources: [.copy("Samples")]),
        // The outbox worker on a test clock and a real event log, with fake sinks (no NIO, no broker).
        .testTarget(name: "TagwayOutboxTests", dependencies: [
            "TagwayOutbox", "TagwayDelivery", "TagwayEventLog", "TagwayModel", "TagwayRuntime",
            .product(name: "Clocks", package: "swift-clocks"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "TagwayZonesTests", dependencies: ["TagwayZones", "TagwayDebounce", "TagwayModel", "TagwayConfig"],
                    resources: [.copy("Fixtures")]),
        // Filters per kind on the compiled filter, their config errors, and the pipeline with a real log.
        .testTarget(name: "TagwayFiltersTests", dependencies: [
            "TagwayFilters", "TagwayModel", "TagwayIdentity", "TagwayZones", "TagwayDebounce", "TagwayConfig", "TagwayGateway",
            "TagwayEventLog", "TagwayTestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "TagwayAuditTests", dependencies: ["TagwayAudit", "TagwayModel"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TagwayIdentityTests", dependencies: ["TagwayIdentity"], exclude: ["Oracle"]),
        .testTarget(name: "TagwayUSBTests", dependencies: [
            "TagwayHID", "TagwayUSB", "CLibUSB", "tagway-usb-testbed", "tagway-usb-probe",
            "TagwayGateway", "TagwayConfig", "TagwayEventLog", "TagwayModel", "TagwayCapture",
        ], resources: [.copy("Devices")]),
        // The HID decoders, report descriptor parser and keymaps alone: no libusb, no umockdev.
        .testTarget(name: "TagwayHIDTests", dependencies: ["TagwayHID", "TagwayModel"], resources: [.copy("HostileDescriptors")]),
        .testTarget(name: "TagwayEdgeTests", dependencies: [
            "TagwayTestSupport",
            "TagwaySerial", "TagwayEventLog", "TagwayConfig", "TagwaySimulator", "TagwayEmulators", "TagwayGateway", "TagwayAudit",
            "TagwaySessions", "TagwayCapture", "TagwayRuntime",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            // The TCP reader session against a real listener on 127.0.0.1, its timers on a test clock.
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Clocks", package: "swift-clocks"),
        ]),
        .testTarget(name: "TagwayEndToEndTests", dependencies: [
            "TagwayTestSupport",
            "TagwaySimulator", "TagwayEventLog", "TagwaySerial", "TagwayEmulators", "TagwayConfig", "TagwayProtocols", "TagwaySettings",
            "TagwayLLRP", "TagwayDecoders",
            // Capture fixtures, and `tagway replay` against captures the tests write from emulator sessions.
            "TagwayCapture", "TagwayHID",
        ], resources: [.copy("Fixtures")]),
        // The event log's asset state: migration of a previous release's log (committed fixture).
        .testTarget(name: "TagwayEventLogTests", dependencies: [
            "TagwayTestSupport", "TagwayEventLog", "TagwayModel",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], resources: [.copy("Fixtures")]),
        // kill -9 of `tagway run` during a scripted scenario on ptys (issue 11); `make soak` runs more kills.
        .testTarget(name: "TagwayCrashTests", dependencies: [
            "TagwayTestSupport", "TagwaySimulator", "TagwayEventLog", "TagwayEmulators", "TagwayModel",
        ]),
        // make install / make deb / the systemd unit (issue 12): systemd-analyze, dpkg-deb, lintian, dpkg --root.
        .testTarget(name: "TagwayPackagingTests", dependencies: ["TagwayTestSupport"]),
        // Real nats-server processes for the JetStream tests: one server or a 3-node cluster on
        // free loopback ports, each with -js and a temporary store, killed by the test.
        .target(name: "NATSServerSupport", dependencies: ["TagwayTestSupport"], path: "Tests/NATSServerSupport"),
        // A loopback HTTP receiver that records requests and answers as the test scripts: the
        // webhook, EPCIS and Snipe-IT tests' destination, a gateway's or a site's.
        .target(name: "HTTPReceiverSupport", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
        ], path: "Tests/HTTPReceiverSupport"),
        // The site process against real nats-servers: config errors, the picture and site
        // events equal to the pure view's, a killed site process taken over.
        .testTarget(name: "TagwaySiteRunnerTests", dependencies: [
            "NATSServerSupport", "TagwayTestSupport", "TagwaySiteRunner", "TagwaySite", "TagwayConfig", "TagwayModel",
            "TagwaySinks", "TagwayDelivery", "TagwayRuntime", "CNATS", "HTTPReceiverSupport", "TagwayOutbox", "TagwayAPI",
            // A real event log recreated under a real JetStream sink (SiteRecreatedLogTests).
            "TagwayEventLog",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        // Issue 17's fleet fault test: real `tagway run` gateways on simulated readers, two
        // `tagway site` processes and a 3-node cluster; leader, site and gateway SIGKILLed mid-burst.
        .testTarget(name: "TagwayFleetTests", dependencies: [
            "NATSServerSupport", "TagwayTestSupport", "TagwaySiteRunner", "TagwaySite", "TagwayConfig", "TagwayModel",
            "TagwaySinks", "TagwayDelivery", "TagwayRuntime", "TagwayEventLog", "TagwaySimulator", "TagwayEmulators", "CNATS",
        ]),
        // The JetStream sink against real servers: read-back, duplicates, a late server, a killed
        // stream leader of an R3 stream; and the `jetstream:` configuration's errors.
        .testTarget(name: "TagwayJetStreamTests", dependencies: [
            "NATSServerSupport", "TagwayTestSupport",
            "TagwayModel", "TagwayEventLog", "TagwayOutbox", "TagwaySinks", "TagwayConfig", "TagwayRuntime", "CNATS",
            // The configured sink as `tagway run` builds it (SinkFactory: secrets, site, subject).
            "TagwayGateway",
            // Signs the operator, account and user JWTs of the `.creds` test (operator mode).
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "MetricsTestKit", package: "swift-metrics"),
        ]),
        .testTarget(name: "TagwayForwardingTests", dependencies: [
            "TagwayTestSupport", "HTTPReceiverSupport",
            "TagwayModel", "TagwayEventLog", "TagwayOutbox", "TagwaySinks", "TagwayAPI", "TagwayConfig",
            "TagwaySimulator", "TagwayEmulators", "CMosquitto", "TagwayAudit", "TagwayConsole",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "MetricsTestKit", package: "swift-metrics"),
        ], exclude: ["TLS"]),
    ],
    swiftLanguageModes: [.v6]
)
