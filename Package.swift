// swift-tools-version:6.1
import PackageDescription

// Every target gets the same strictness: no implicit existentials, imports that must be named
// where they are used, and internal imports by default so no public API can leak a C type
// (`MDB_val`, a zstd context) out of `EventLog`.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "smcc",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "smcc", targets: ["smcc"]),
        .library(name: "EventLog", targets: ["EventLog"]),
        .library(name: "CommandCenter", targets: ["CommandCenter"]),
        .library(name: "Importers", targets: ["Importers"]),
        .library(name: "CaseStudy", targets: ["CaseStudy"]),
    ],
    // Exact versions: the ones the tests ran with (transitive ones follow from them, and
    // Package.resolved is not committed).
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", exact: "1.35.2"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .systemLibrary(name: "CSystemRandom"),
        .systemLibrary(
            name: "CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        .target(
            name: "EventLog",
            dependencies: [
                "CLMDB",
                "CZstd",
                .target(name: "CSystemRandom", condition: .when(platforms: [.linux])),
                .target(name: "CLibCrypto", condition: .when(platforms: [.linux])),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CommandCenter",
            dependencies: ["EventLog"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Importers",
            dependencies: [
                "CommandCenter",
                "EventLog",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CaseStudy",
            dependencies: ["CommandCenter"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Server",
            dependencies: [
                "CommandCenter",
                "CaseStudy",
                "EventLog",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The desk, the console and the wall, compiled into the binary: nothing to install
            // beside it, nothing fetched from a network.
            resources: ["desk.html", "console.html", "wall.html", "app.css", "api.js", "desk.js", "console.js", "wall.js"]
                .map { .embedInCode("Pages/\($0)") },
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "smcc",
            dependencies: [
                "EventLog",
                "CommandCenter",
                "Importers",
                "CaseStudy",
                "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // Which engines a store test runs on (LMDB; PostgreSQL when SMCC_TEST_POSTGRES is set).
        .target(
            name: "StoreTestSupport",
            dependencies: ["EventLog"],
            path: "Tests/StoreTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EventLogTests",
            dependencies: ["EventLog", "StoreTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CommandCenterTests",
            dependencies: ["CommandCenter", "EventLog", "StoreTestSupport", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ImportersTests",
            dependencies: ["Importers", "CommandCenter", "EventLog"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CaseStudyTests",
            dependencies: ["CaseStudy", "CommandCenter", "EventLog"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SmccTests",
            dependencies: ["CommandCenter", "EventLog", "StoreTestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
