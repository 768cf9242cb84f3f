// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "predict",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PredictRuntime", targets: ["PredictRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // OpenBLAS (Debian: libopenblas-serial-dev), used for the matrix products of MLPs.
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        // glibc's mallopt, to keep per-call buffers in the process (AllocatorTuning).
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .target(
            name: "PredictRuntime",
            dependencies: [
                "COpenBLAS",
                "CMalloc",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .executableTarget(
            name: "predict-runtime-bench",
            dependencies: ["PredictRuntime"],
            path: "bench/runtime/Sources"
        ),
        .testTarget(
            name: "PredictRuntimeTests",
            dependencies: [
                "PredictRuntime",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
