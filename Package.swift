// swift-tools-version: 6.0
import PackageDescription

// Pure targets (no I/O, no clock): TagwayModel, TagwayDecoders, TagwayDebounce, TagwayIdentity.
// Edge targets (file descriptors, SQLite): TagwaySerial, TagwayEventLog.
// TagwayConfig reads YAML; TagwayGateway wires edges to the pure core; `tagway` is the one executable.
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
    ],
    targets: [
        // MARK: pure core
        .target(name: "TagwayModel"),
        .target(name: "TagwayDecoders", dependencies: ["TagwayModel"]),
        .target(name: "TagwayDebounce", dependencies: ["TagwayModel"]),
        .target(name: "TagwayIdentity", dependencies: ["TagwayModel"]),
        // Byte-exact emulations of each reader, for the simulator, tests and benchmarks.
        .target(name: "TagwayEmulators", dependencies: ["TagwayModel", "TagwayDecoders"]),

        // MARK: edges
        .target(name: "TagwaySerial", dependencies: ["TagwayModel"]),
        .target(name: "TagwayEventLog", dependencies: [
            "TagwayModel",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "TagwayConfig", dependencies: [
            "TagwayModel", "TagwayDecoders", "TagwayDebounce", "TagwaySerial", "TagwayEventLog",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "TagwaySimulator", dependencies: ["TagwayModel", "TagwayDecoders", "TagwayEmulators", "TagwaySerial"]),
        .target(name: "TagwayGateway", dependencies: [
            "TagwayModel", "TagwayDecoders", "TagwayDebounce", "TagwayIdentity",
            "TagwaySerial", "TagwayEventLog", "TagwayConfig",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "tagway", dependencies: [
            "TagwayGateway", "TagwaySimulator", "TagwayConfig", "TagwayEventLog", "TagwayIdentity",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // MARK: benchmarks (run in release: swift run -c release tagway-bench)
        .executableTarget(name: "tagway-bench", dependencies: [
            "TagwayModel", "TagwayDecoders", "TagwayDebounce", "TagwayEmulators", "TagwaySimulator",
        ], path: "Benchmarks/tagway-bench"),

        // MARK: tests
        .testTarget(name: "TagwayDecodersTests", dependencies: ["TagwayDecoders", "TagwayEmulators"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "TagwayDebounceTests", dependencies: ["TagwayDebounce"]),
        .testTarget(name: "TagwayIdentityTests", dependencies: ["TagwayIdentity"]),
        .testTarget(name: "TagwayEdgeTests", dependencies: [
            "TagwaySerial", "TagwayEventLog", "TagwayConfig", "TagwaySimulator", "TagwayEmulators",
        ]),
        .testTarget(name: "TagwayEndToEndTests", dependencies: [
            "TagwaySimulator", "TagwayEventLog", "TagwaySerial", "TagwayEmulators",
        ]),
    ],
    swiftLanguageModes: [.v6]
)
