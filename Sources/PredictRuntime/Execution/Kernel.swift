/// A node compiled at load time: attributes parsed, constants folded into kernel state, ready to
/// run a whole batch. Kernels are immutable and shared by every worker running the model.
protocol Kernel: Sendable {
    /// Runs on the node's inputs (nil where an optional input was omitted) and returns one
    /// tensor per node output, in order.
    func run(_ inputs: [Tensor?]) throws -> [Tensor]
}

extension Array where Element == Tensor? {
    /// A required input; the loader has already checked it is wired, so absence is a bug.
    @inline(__always)
    func required(_ index: Int) throws -> Tensor {
        guard index < count, let tensor = self[index] else {
            throw RuntimeError.internalFailure("kernel input \(index) is missing")
        }
        return tensor
    }
}
