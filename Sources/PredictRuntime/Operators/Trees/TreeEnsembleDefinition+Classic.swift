/// Parsing of TreeEnsembleClassifier and TreeEnsembleRegressor (ai.onnx.ml opsets 1 and 3):
/// nodes addressed by (tree id, node id), leaf votes in `class_*` / `target_*` lists.
extension TreeEnsembleDefinition {
    /// What onnxruntime derives from a classifier's attributes to choose labels and scores.
    struct ClassifierFacts: Sendable {
        var labels: ClassLabels
        /// Two classes and every vote for the same class id: the one-score binary form.
        var binaryCase: Bool
        /// No class weight is negative (then a binary score is a probability, cut at 0.5).
        var weightsArePositive: Bool
    }

    private struct NodeKey: Hashable {
        let tree: Int64
        let node: Int64
    }

    /// Parses and validates a TreeEnsembleClassifier (`classifier`) or TreeEnsembleRegressor.
    static func parseClassic(_ context: NodeContext, classifier: Bool, precision: Precision) throws -> (TreeEnsembleDefinition, ClassifierFacts?) {
        let reader = TreeAttributeReader(context: context, precision: precision)
        let attributes = context.attributes
        let hasTensorForms = context.opset >= 3
        func tensorName(_ name: String) -> String? { hasTensorForms ? name + "_as_tensor" : nil }

        let treeIDs = try reader.requiredInts("nodes_treeids")
        let nodeIDs = try reader.requiredInts("nodes_nodeids")
        let featureIDs = try reader.requiredInts("nodes_featureids")
        let trueIDs = try reader.requiredInts("nodes_truenodeids")
        let falseIDs = try reader.requiredInts("nodes_falsenodeids")
        guard let modeNames = try attributes.strings("nodes_modes") else { throw context.invalid("attribute 'nodes_modes' is required") }
        let tracks = try reader.ints("nodes_missing_value_tracks_true")
        let thresholds = try reader.values("nodes_values", tensorName: tensorName("nodes_values")) ?? []
        // Hit rates describe training data and never change a prediction.
        _ = try reader.values("nodes_hitrates", tensorName: tensorName("nodes_hitrates"))

        let count = treeIDs.count
        func expectCount(_ name: String, _ actual: Int, allowEmpty: Bool = false) throws {
            guard actual == count || (allowEmpty && actual == 0) else {
                throw context.invalid("attribute '\(name)' has \(actual) entries but 'nodes_treeids' has \(count)")
            }
        }
        try expectCount("nodes_nodeids", nodeIDs.count)
        try expectCount("nodes_featureids", featureIDs.count)
        try expectCount("nodes_modes", modeNames.count)
        try expectCount("nodes_truenodeids", trueIDs.count)
        try expectCount("nodes_falsenodeids", falseIDs.count)
        try expectCount(hasTensorForms && attributes.has("nodes_values_as_tensor") ? "nodes_values_as_tensor" : "nodes_values", thresholds.count)
        try expectCount("nodes_missing_value_tracks_true", tracks.count, allowEmpty: true)

        // Votes at the leaves.
        let prefix = classifier ? "class_" : "target_"
        let voteTrees = try reader.ints(prefix + "treeids")
        let voteNodes = try reader.ints(prefix + "nodeids")
        let voteTargets = try reader.ints(prefix + "ids")
        let voteWeights = try reader.values(prefix + "weights", tensorName: tensorName(prefix + "weights")) ?? []
        for (name, n) in [(prefix + "treeids", voteTrees.count), (prefix + "nodeids", voteNodes.count), (prefix + "weights", voteWeights.count)] where n != voteTargets.count {
            throw context.invalid("attribute '\(name)' has \(n) entries but '\(prefix)ids' has \(voteTargets.count)")
        }

        // Targets or classes.
        let targetCount: Int
        var labels: ClassLabels? = nil
        if classifier {
            let ints = try attributes.ints("classlabels_int64s") ?? []
            let strings = try attributes.strings("classlabels_strings") ?? []
            guard ints.isEmpty != strings.isEmpty else {
                throw context.invalid("exactly one of 'classlabels_int64s' and 'classlabels_strings' must be set")
            }
            labels = strings.isEmpty ? .int64(ints) : .string(strings)
            targetCount = max(ints.count, strings.count)
        } else {
            guard let n = try attributes.int("n_targets"), n > 0 else {
                throw context.invalid("attribute 'n_targets' must be set to a positive number")
            }
            targetCount = n
        }
        for (k, target) in voteTargets.enumerated() where target < 0 || target >= Int64(targetCount) {
            throw context.invalid("attribute '\(prefix)ids' entry \(k) is \(target); it must be in 0..<\(targetCount)")
        }

        let aggregate: Aggregate
        if classifier {
            aggregate = .sum
        } else {
            let name = try attributes.choice("aggregate_function", default: "SUM", allowed: ["SUM", "AVERAGE", "MIN", "MAX"])
            aggregate = Aggregate(rawValue: name)!
        }
        let postTransform = try PostTransform.read(context)
        let baseValues = try reader.values("base_values", tensorName: tensorName("base_values")) ?? []
        let baseName = hasTensorForms && attributes.has("base_values_as_tensor") ? "base_values_as_tensor" : "base_values"
        if classifier && targetCount <= 2 {
            guard baseValues.count <= 2 else { throw context.invalid("attribute '\(baseName)' has \(baseValues.count) values; a classifier with \(targetCount) classes takes 0, 1 or 2") }
        } else {
            guard baseValues.isEmpty || baseValues.count == targetCount else {
                throw context.invalid("attribute '\(baseName)' has \(baseValues.count) values; expected 0 or \(targetCount)")
            }
        }
        if classifier && targetCount == 1 {
            // onnxruntime labels such a model 0 or 1 whatever its label list says, and with two
            // base values writes a second score column the output does not have.
            if case .string = labels! { throw context.unsupported("a classifier with a single string class label is not supported") }
            guard baseValues.count < 2 else { throw context.unsupported("a classifier with one class and two base values is not supported") }
        }

        // Nodes.
        var index: [NodeKey: Int] = [:]
        index.reserveCapacity(count)
        for i in 0..<count {
            let key = NodeKey(tree: treeIDs[i], node: nodeIDs[i])
            guard index.updateValue(i, forKey: key) == nil else {
                throw context.invalid("attribute 'nodes_nodeids': tree \(treeIDs[i]) node \(nodeIDs[i]) appears twice")
            }
        }
        var nodes: [Node] = []
        nodes.reserveCapacity(count)
        for i in 0..<count {
            let name = "tree \(treeIDs[i]) node \(nodeIDs[i])"
            guard let mode = TreeNodeMode(name: modeNames[i]) else {
                throw context.invalid("attribute 'nodes_modes': \(name) has unknown mode '\(modeNames[i])'")
            }
            if mode == .leaf {
                nodes.append(.leaf())
                continue
            }
            func child(_ attribute: String, _ id: Int64) throws -> Int {
                // onnxruntime also requires child ids below the node count.
                guard id >= 0, id < Int64(count), let target = index[NodeKey(tree: treeIDs[i], node: id)] else {
                    throw context.invalid("attribute '\(attribute)': \(name) refers to node \(id), which tree \(treeIDs[i]) does not have")
                }
                guard target != i else { throw context.invalid("attribute '\(attribute)': \(name) refers to itself") }
                return target
            }
            guard featureIDs[i] >= 0, featureIDs[i] <= Int64(Int32.max) else {
                throw context.invalid("attribute 'nodes_featureids': \(name) reads feature \(featureIDs[i])")
            }
            nodes.append(Node(
                mode: mode, feature: Int(featureIDs[i]), threshold: thresholds[i],
                tracksMissing: !tracks.isEmpty && tracks[i] == 1,
                trueChild: try child("nodes_truenodeids", trueIDs[i]), falseChild: try child("nodes_falsenodeids", falseIDs[i]),
                memberSet: -1, weightStart: 0, weightCount: 0))
        }

        // Each run of equal tree ids is one tree, rooted at its first listed node (as in onnxruntime).
        var roots: [Int] = []
        for i in 0..<count where i == 0 || treeIDs[i] != treeIDs[i - 1] { roots.append(i) }

        // Group votes by leaf, keeping attribute order within a leaf. Votes on interior nodes are
        // ignored, as onnxruntime does for files from old converters.
        var voteNode = [Int](repeating: -1, count: voteTargets.count)
        for k in voteTargets.indices {
            guard let i = index[NodeKey(tree: voteTrees[k], node: voteNodes[k])] else {
                throw context.invalid("attribute '\(prefix)nodeids' entry \(k) refers to tree \(voteTrees[k]) node \(voteNodes[k]), which does not exist")
            }
            if nodes[i].mode == .leaf {
                voteNode[k] = i
                nodes[i].weightCount += 1
            }
        }
        var next = 0
        for i in nodes.indices where nodes[i].mode == .leaf {
            nodes[i].weightStart = next
            next += nodes[i].weightCount
        }
        var weightTargets = [Int](repeating: 0, count: next)
        var weightValues = [Double](repeating: 0, count: next)
        var filled = [Int](repeating: 0, count: count)
        for k in voteTargets.indices where voteNode[k] >= 0 {
            let i = voteNode[k]
            let slot = nodes[i].weightStart + filled[i]
            filled[i] += 1
            weightTargets[slot] = Int(voteTargets[k])
            weightValues[slot] = voteWeights[k]
        }

        var definition = TreeEnsembleDefinition(
            nodes: nodes, weightTargets: weightTargets, weightValues: weightValues, memberSets: [], roots: roots,
            targetCount: targetCount, aggregate: aggregate, postTransform: postTransform, baseValues: baseValues,
            precision: precision, nodeNames: .treeAndNode(treeIDs: treeIDs, nodeIDs: nodeIDs))
        try definition.finish(context, featureAttribute: "nodes_featureids")

        guard classifier, let labels else { return (definition, nil) }
        let facts = ClassifierFacts(
            labels: labels,
            binaryCase: targetCount == 2 && Set(voteTargets).count == 1,
            weightsArePositive: !voteWeights.contains { $0 < 0 })
        return (definition, facts)
    }

    /// The checks and adjustments shared by every attribute generation.
    mutating func finish(_ context: NodeContext, featureAttribute: String) throws {
        try checkAcyclic(context)
        try checkFeatures(context, input: context.input(0), attribute: featureAttribute)
        applyEqualityChainMissingRule()
    }
}
