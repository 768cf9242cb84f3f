/// Load-time rewrites of compiled nodes that compute the same values with fewer passes over
/// memory. Today: MatMul by a constant matrix, then Add of a constant bias row, then
/// optionally Relu, LeakyRelu or Sigmoid (what skl2onnx emits for every MLP layer) become one
/// `DenseKernel`. A rewrite applies only when the intermediate values have no other reader and
/// are not graph outputs, so nothing observable changes.
enum KernelFusion {
    static func fuse(_ nodes: [PlannedNode], constants: [String: Tensor], graphOutputs: Set<String>) -> [PlannedNode] {
        var readers: [String: Int] = [:]
        for node in nodes { for input in node.inputs where !input.isEmpty { readers[input, default: 0] += 1 } }
        func soleReader(of value: String) -> Int? {
            guard readers[value] == 1, !graphOutputs.contains(value) else { return nil }
            return nodes.indices.first { nodes[$0].inputs.contains(value) }
        }

        var removed = Set<Int>()
        var replacement: [Int: PlannedNode] = [:]
        for (i, matmul) in nodes.enumerated() where matmul.kernel is MatMulKernel && matmul.inputs.count == 2 {
            guard let weights = constants[matmul.inputs[1]], weights.rank == 2,
                  let addIndex = soleReader(of: matmul.outputs[0]),
                  let add = nodes[addIndex].kernel as? BinaryKernel, add.function == .add
            else { continue }
            let addNode = nodes[addIndex]
            guard let biasName = addNode.inputs.first(where: { $0 != matmul.outputs[0] }), addNode.inputs.count == 2,
                  let bias = constants[biasName], bias.count == weights.shape[1], bias.shape.last == weights.shape[1],
                  bias.rank <= 2
            else { continue }
            var last = addNode
            var activation = UnaryKernel?.none
            if let next = soleReader(of: addNode.outputs[0]), let unary = nodes[next].kernel as? UnaryKernel,
               [.relu, .leakyRelu, .sigmoid].contains(unary.function) {
                activation = unary
                last = nodes[next]
                removed.insert(next)
            }
            guard let kernel = dense(weights, bias, activation) else { continue }
            removed.insert(addIndex)
            replacement[i] = PlannedNode(name: "\(matmul.name)+\(addNode.name)", kernel: kernel, inputs: [matmul.inputs[0]], outputs: last.outputs)
        }
        return nodes.indices.compactMap { removed.contains($0) ? nil : (replacement[$0] ?? nodes[$0]) }
    }

    private static func dense(_ weights: Tensor, _ bias: Tensor, _ activation: UnaryKernel?) -> (any Kernel)? {
        let act: DenseKernel.Activation
        switch activation?.function {
        case nil: act = .none
        case .relu?: act = .relu
        case .leakyRelu?: act = .leakyRelu(alpha: activation!.alpha)
        case .sigmoid?: act = .sigmoid
        default: return nil
        }
        let parameters: DenseKernel.Parameters
        switch (weights.storage, bias.storage) {
        case (.float32(let w), .float32(let b)): parameters = .float32(weights: w, bias: b)
        case (.float64(let w), .float64(let b)): parameters = .float64(weights: w, bias: b)
        default: return nil
        }
        return DenseKernel(parameters: parameters, inputs: weights.shape[0], outputs: weights.shape[1], activation: act)
    }
}
