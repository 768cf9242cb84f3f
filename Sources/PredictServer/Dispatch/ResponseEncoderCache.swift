import Synchronization
import PredictRuntime
import PredictServing

/// The response encoder of each serving model version, built the first time a call reaches it
/// and kept until a reload changes what is served.
final class ResponseEncoderCache: Sendable {
    private struct Cache {
        var generation: Int
        var encoders: [UInt64: InferResponseEncoder] = [:]
    }

    private let cache = Mutex(Cache(generation: -1))

    /// The encoder for `version`'s outputs. `generation` is the service's, read by the caller.
    func encoder(for version: ServingVersion, generation: Int) -> InferResponseEncoder {
        cache.withLock { cache in
            if cache.generation != generation {
                cache = Cache(generation: generation)
            }
            if let encoder = cache.encoders[version.id] { return encoder }
            let encoder = InferResponseEncoder(modelOutputs: version.outputs)
            cache.encoders[version.id] = encoder
            return encoder
        }
    }
}
