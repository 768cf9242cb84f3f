/// A graph resolved at load time into a flat list of kernel calls over numbered value slots,
/// so a call does no name lookups or graph work: it fills the input slots, runs the steps in
/// order, and frees each intermediate after its last reader.
final class ExecutionPlan: Sendable {
    struct Step: Sendable {
        let name: String
        let kernel: any Kernel
        let inputSlots: [Int?]
        let outputSlots: [Int?]
        /// Slots whose last reader is this step, cleared after it runs to free memory early.
        let releases: [Int]
    }

    let inputs: [TensorInfo]
    let outputs: [TensorInfo]
    private let slotCount: Int
    private let constantSlots: [(slot: Int, value: Tensor)]
    private let inputSlots: [Int]
    private let outputSlots: [Int]
    private let steps: [Step]

    init(inputs: [TensorInfo], outputs: [TensorInfo], constants: [String: Tensor], nodes: [PlannedNode]) throws {
        // Keep only the nodes the outputs depend on.
        var needed = Set(outputs.map(\.name))
        var kept: [PlannedNode] = []
        for node in nodes.reversed() where node.outputs.contains(where: { needed.contains($0) }) {
            kept.append(node)
            needed.formUnion(node.inputs.filter { !$0.isEmpty })
        }
        kept.reverse()
        kept = KernelFusion.fuse(kept, constants: constants, graphOutputs: Set(outputs.map(\.name)))

        var slotOf: [String: Int] = [:]
        func slot(_ name: String) -> Int {
            if let s = slotOf[name] { return s }
            let s = slotOf.count
            slotOf[name] = s
            return s
        }
        self.inputSlots = inputs.map { slot($0.name) }
        var constantSlots: [(Int, Tensor)] = []
        for (name, value) in constants.sorted(by: { $0.key < $1.key }) where needed.contains(name) {
            constantSlots.append((slot(name), value))
        }
        let plannedSteps = kept.map { node in
            (node, node.inputs.map { $0.isEmpty ? nil : slot($0) }, node.outputs.map { $0.isEmpty ? nil : slot($0) })
        }
        self.outputSlots = outputs.map { slot($0.name) }

        // A slot is released after its last reader unless it is an output, input or constant.
        let pinned = Set(outputSlots).union(inputSlots).union(constantSlots.map(\.0))
        var lastReader: [Int: Int] = [:]
        for (i, step) in plannedSteps.enumerated() {
            for case let s? in step.1 { lastReader[s] = i }
        }
        var releases = Array(repeating: [Int](), count: plannedSteps.count)
        for (s, i) in lastReader where !pinned.contains(s) { releases[i].append(s) }
        self.steps = plannedSteps.enumerated().map { i, step in
            Step(name: step.0.name, kernel: step.0.kernel, inputSlots: step.1, outputSlots: step.2, releases: releases[i])
        }
        self.slotCount = slotOf.count
        self.constantSlots = constantSlots
        self.inputs = inputs
        self.outputs = outputs
    }

    /// The steps' names in run order (fused steps are named after the nodes they replace).
    var stepNames: [String] { steps.map(\.name) }

    /// Runs the graph on inputs already validated against `inputs`, in that order.
    func run(_ values: [Tensor]) throws -> [Tensor] {
        var slots = [Tensor?](repeating: nil, count: slotCount)
        for (slot, value) in constantSlots { slots[slot] = value }
        for (slot, value) in zip(inputSlots, values) { slots[slot] = value }
        for step in steps {
            let arguments = step.inputSlots.map { $0.flatMap { slots[$0] } }
            let results = try step.kernel.run(arguments)
            guard results.count >= step.outputSlots.count else {
                throw RuntimeError.internalFailure("node '\(step.name)' produced \(results.count) outputs, expected \(step.outputSlots.count)")
            }
            for (slot, result) in zip(step.outputSlots, results) {
                if let slot { slots[slot] = result }
            }
            for slot in step.releases { slots[slot] = nil }
        }
        return try outputSlots.map { slot in
            guard let value = slots[slot] else { throw RuntimeError.internalFailure("an output was not computed") }
            return value
        }
    }
}

/// A node as the loader hands it to the plan: compiled, with its wiring by value name.
struct PlannedNode {
    let name: String
    let kernel: any Kernel
    let inputs: [String]
    let outputs: [String]
}
