// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "predict",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PredictRuntime", targets: ["PredictRuntime"]),
        .library(name: "PredictServing", targets: ["PredictServing"]),
        .library(name: "PredictProtocol", targets: ["PredictProtocol"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        // Dev mode's local CA and server certificate (Sources/PredictServer/Dev).
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.0"),
        // swift-certificates 1.21 accepts swift-crypto 3.12.3 up to 6; 4.x is what jwt-kit 5.8 needs.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.1.0"),
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
        // Linux CPU affinity (sched_getaffinity, pthread_setaffinity_np) for pinned workers.
        .target(name: "CThreadAffinity", path: "Sources/CThreadAffinity"),
        .target(
            name: "PredictServing",
            dependencies: [
                "PredictRuntime",
                "CThreadAffinity",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The wire protocol of PROTOCOL.md: generated messages and the frame codec.
        .target(
            name: "PredictProtocol",
            dependencies: [
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The server: per-connection protocol state machine (NIO handler and TLS to come).
        .target(
            name: "PredictServer",
            dependencies: [
                "PredictProtocol",
                "PredictServing",
                "PredictRuntime",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .executableTarget(
            name: "predict-serving-bench",
            dependencies: ["PredictServing"],
            path: "bench/serving/Sources"
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
        .testTarget(
            name: "PredictProtocolTests",
            dependencies: [
                "PredictProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "PredictServingTests",
            dependencies: [
                "PredictServing",
                "PredictRuntime",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "PredictServerTests",
            dependencies: [
                "PredictServer",
                "PredictProtocol",
                "PredictServing",
                "PredictRuntime",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
