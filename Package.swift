// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "predict",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PredictRuntime", targets: ["PredictRuntime"]),
        .library(name: "PredictServing", targets: ["PredictServing"]),
        .library(name: "PredictProtocol", targets: ["PredictProtocol"]),
        .library(name: "PredictAuth", targets: ["PredictAuth"]),
        .library(name: "PredictServer", targets: ["PredictServer"]),
        .library(name: "PredictClient", targets: ["PredictClient"]),
        .executable(name: "predict-server", targets: ["predict-server"]),
        .executable(name: "predict-client", targets: ["predict-client"]),
        .executable(name: "predict-bench", targets: ["predict-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // JWKS over HTTPS (PredictAuth's key sources).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        // Dev mode's local CA and server certificate (Sources/PredictServer/Dev).
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.0"),
        // swift-certificates 1.21 accepts swift-crypto 3.12.3 up to 6; 4.x is what jwt-kit 5.8 needs.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.1.0"),
        // predict-bench's latency percentiles.
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // The server's /metrics endpoint (a swift-metrics backend).
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
    ],
    targets: [
        // OpenBLAS (Debian: libopenblas-pthread-dev), used for the matrix products of MLPs.
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
        // IAM identity-token (JWT) verification and authorization: strict RS256/ES256/PS256
        // checks on swift-crypto, JWKS from a file or an HTTPS URL.
        .target(
            name: "PredictAuth",
            dependencies: [
                "PredictProtocol",  // JSONStringLiteral
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The server: TLS listener, per-connection protocol state machine, dispatch to serving.
        .target(
            name: "PredictServer",
            dependencies: [
                "PredictAuth",
                "PredictProtocol",
                "PredictServing",
                "PredictRuntime",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // The Swift client library: pooled, multiplexed connections speaking PROTOCOL.md.
        .target(
            name: "PredictClient",
            dependencies: [
                "PredictProtocol",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "predict-server",
            dependencies: [
                "PredictServer",
                "PredictServing",
                "PredictProtocol",
                "PredictAuth",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // What predict-client and predict-bench share: connection options, error reporting.
        .target(
            name: "PredictCommandLine",
            dependencies: [
                "PredictClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The load generator behind predict-bench: closed and open loops, the tally, reports.
        .target(
            name: "PredictBench",
            dependencies: [
                "PredictClient",
                "PredictProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .executableTarget(
            name: "predict-bench",
            dependencies: [
                "PredictBench",
                "PredictClient",
                "PredictCommandLine",
                "PredictProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "predict-client",
            dependencies: [
                "PredictClient",
                "PredictCommandLine",
                "PredictAuth",
                .product(name: "Crypto", package: "swift-crypto"),
                "PredictProtocol",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "predict-serving-bench",
            dependencies: ["PredictServing"],
            path: "bench/serving/Sources"
        ),
        .executableTarget(
            name: "predict-auth-bench",
            dependencies: [
                "PredictAuth",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "bench/auth/Sources"
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
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The server and the client over real TLS on 127.0.0.1, and the CLI as a subprocess.
        .testTarget(
            name: "PredictEndToEndTests",
            dependencies: [
                "PredictAuth",
                .product(name: "Crypto", package: "swift-crypto"),
                "PredictServer",
                "PredictRuntime",
                "PredictClient",
                "PredictProtocol",
                "PredictServing",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(
            name: "PredictAuthTests",
            dependencies: [
                "PredictAuth",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "PredictBenchTests",
            dependencies: [
                "PredictBench",
                .product(name: "NIOCore", package: "swift-nio"),
                "PredictClient",
                "PredictProtocol",
            ]
        ),
        .testTarget(
            name: "PredictClientTests",
            dependencies: [
                "PredictClient",
                "PredictProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
