// swift-tools-version: 6.0
import PackageDescription

// Dependencies point one way: bitext → BitextPipeline → capability modules → BitextCore.
// Only BitextHTML imports the C library; only BitextPipeline imports Yams; only the
// executable imports ArgumentParser.
let package = Package(
    name: "bitext",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bitext", targets: ["bitext"]),
        .library(name: "BitextPipeline", targets: ["BitextPipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Tests only: property-based checks (invariants over generated documents).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // libxml2 through pkg-config; imported by BitextHTML only.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        // SHA-256 block compression with the x86 SHA instructions, for the batch manifest's
        // checksums at disk speed (C only because Swift has no intrinsics for them; the runner
        // falls back to portable Swift). Only BitextPipeline depends on it.
        .target(name: "CBitextSHA256"),
        // One allocator setting for release builds, through mimalloc's header (see
        // `AllocatorTuning` in the executable). Only the executable depends on it.
        .target(name: "CBitextAllocator"),
        // Document model, stand-off annotations, Stage protocol, registry. No C, no YAML.
        .target(name: "BitextCore"),
        // The one wrapper around libxml2: HTML parsing and XML validation, Swift values out.
        .target(name: "BitextHTML", dependencies: ["BitextCore", "CLibXML2"]),
        // Bytes to documents: decoding, plain-text and HTML ingest, paragraph segmentation.
        .target(name: "BitextIngest", dependencies: ["BitextCore", "BitextHTML"]),
        // Language identification per block and document; pairing EN/ES versions.
        .target(
            name: "BitextLanguage", dependencies: ["BitextCore"],
            resources: [.copy("Resources")]
        ),
        // Sentence segmentation, paragraph and sentence alignment, QA flags.
        .target(
            name: "BitextAlign", dependencies: ["BitextCore"],
            resources: [.copy("Resources")]
        ),
        // Entities: rules, gazetteers, normalization, cross-language links.
        .target(
            name: "BitextEntities", dependencies: ["BitextCore"],
            resources: [.copy("Resources")]
        ),
        // Writers: JSON, XML, and the formats built from them.
        .target(name: "BitextOutput", dependencies: ["BitextCore"]),
        // SQLite FTS5 index of aligned pairs (`index` writer, `bitext index`/`search`); the only GRDB user.
        .target(
            name: "BitextIndex",
            dependencies: ["BitextCore", "BitextOutput", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Pipeline file (YAML) → validated plan; batch runner; the built-in registry.
        .target(
            name: "BitextPipeline",
            dependencies: [
                "BitextCore", "BitextIngest", "BitextLanguage", "BitextAlign", "BitextEntities",
                "BitextOutput", "BitextIndex", "CBitextSHA256", .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Thin command-line layer. Release builds on Linux allocate with mimalloc (libmimalloc-dev,
        // listed before libc so that it serves every malloc): a batch makes and frees millions of
        // small arrays, and glibc's malloc cost 3-6% more CPU on 1,000 small pairs (BENCHMARKS.md,
        // "Session 19: the allocator"). Debug and sanitizer builds keep glibc's, which ASan and
        // TSan replace with their own.
        .executableTarget(
            name: "bitext",
            dependencies: [
                "BitextPipeline", "BitextIndex", "CBitextAllocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: [.linkedLibrary("mimalloc", .when(platforms: [.linux], configuration: .release))]
        ),
        // The test targets' shared helpers (a seeded generator); no product depends on it.
        .target(name: "BitextTestSupport", path: "Tests/BitextTestSupport"),
        .testTarget(name: "BitextCoreTests", dependencies: ["BitextCore", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "BitextHTMLTests", dependencies: ["BitextHTML"]),
        .testTarget(name: "BitextIngestTests", dependencies: ["BitextIngest", "BitextTestSupport", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "BitextLanguageTests", dependencies: ["BitextLanguage", "BitextIngest"]),
        .testTarget(name: "BitextAlignTests", dependencies: ["BitextAlign", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "BitextEntitiesTests", dependencies: ["BitextEntities", "BitextTestSupport"]),
        .testTarget(
            name: "BitextOutputTests",
            dependencies: [
                "BitextOutput", "BitextIngest", "BitextHTML", "BitextPipeline", "BitextTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "BitextIndexTests", dependencies: ["BitextIndex", "BitextPipeline"]),
        .testTarget(
            name: "BitextPipelineTests",
            dependencies: ["BitextPipeline", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "bitextCLITests", dependencies: ["BitextPipeline"]),
    ]
)
