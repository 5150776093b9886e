// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "konnect",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "konnect", targets: ["konnect"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYaml",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .target(name: "KonnectYAML", dependencies: ["CYaml"]),
        .target(name: "KonnectCore", dependencies: [
            "KonnectYAML",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "KonnectLibrary", dependencies: [
            "KonnectCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .executableTarget(
            name: "konnect",
            dependencies: [
                "KonnectCore",
                "KonnectLibrary",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["EmbedSchemas"]
        ),
        .executableTarget(name: "embed-schemas", path: "Sources/embed-schemas"),
        .executableTarget(name: "konnect-bench", dependencies: ["KonnectYAML"], path: "Sources/konnect-bench"),
        // The fuzzer over FuzzPipeline (issue 18): built plainly here, with libFuzzer by `make fuzz`.
        .executableTarget(name: "konnect-fuzz", dependencies: ["KonnectCore"], path: "Sources/konnect-fuzz"),
        .plugin(name: "EmbedSchemas", capability: .buildTool(), dependencies: ["embed-schemas"]),
        .testTarget(name: "KonnectYAMLTests", dependencies: ["KonnectYAML"]),
        .testTarget(name: "KonnectCoreTests", dependencies: ["KonnectCore", "KonnectYAML"]),
        .testTarget(name: "KonnectLibraryTests", dependencies: [
            "KonnectLibrary", "KonnectCore", .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .testTarget(name: "KonnectEndToEndTests", dependencies: []),
    ],
    swiftLanguageModes: [.v6]
)
