// swift-tools-version: 6.0
import PackageDescription

// libFuzzer harnesses for bitext, in their own package so that fuzz builds (instrumented
// with -sanitize=fuzzer,address) never touch the main build. `make fuzz` builds them and
// runs each for FUZZ_SECONDS; see fuzz/README.md.
let package = Package(
    name: "bitext-fuzz",
    dependencies: [.package(name: "bitext", path: "..")],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver, which each harness's main calls.
        .target(name: "CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver", .product(name: "BitextPipeline", package: "bitext")]),
        .executableTarget(name: "FuzzTextIngest", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzPipelineLoader", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzHTMLIngest", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzSentenceSegmenter", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzPairPipeline", dependencies: ["FuzzSupport"]),
    ]
)
