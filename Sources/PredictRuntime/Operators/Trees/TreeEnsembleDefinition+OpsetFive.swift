/// Parsing of TreeEnsemble (ai.onnx.ml opset 5): interior nodes by position, children that are
/// either nodes or leaves, one (target, weight) per leaf, integer-coded enums.
extension TreeEnsembleDefinition {
    static func parseOpsetFive(_ context: NodeContext, precision: Precision) throws -> TreeEnsembleDefinition {
        let reader = TreeAttributeReader(context: context, precision: precision)
        let attributes = context.attributes

        guard let targetCount = try attributes.int("n_targets"), targetCount > 0 else {
            throw context.invalid("attribute 'n_targets' must be set to a positive number")
        }
        let aggregate: Aggregate
        switch try attributes.int("aggregate_function", default: 1) {
        case 0: aggregate = .average
        case 1: aggregate = .sum
        case 2: aggregate = .min
        case 3: aggregate = .max
        case let v: throw context.invalid("attribute 'aggregate_function' is \(v); expected 0 (AVERAGE), 1 (SUM), 2 (MIN) or 3 (MAX)")
        }
        // onnxruntime numbers post transforms by its own enum (1 = LOGISTIC, 2 = SOFTMAX), not by
        // the opset 5 specification (1 = SOFTMAX, 2 = LOGISTIC); we follow onnxruntime.
        let postTransform: PostTransform
        switch try attributes.int("post_transform", default: 0) {
        case 0: postTransform = .none
        case 1: postTransform = .logistic
        case 2: postTransform = .softmax
        case 3: postTransform = .softmaxZero
        case 4: postTransform = .probit
        case let v: throw context.invalid("attribute 'post_transform' is \(v); expected 0 to 4")
        }

        let roots = try reader.requiredInts("tree_roots")
        guard let modeCodes = try reader.uint8Tensor("nodes_modes") else { throw context.invalid("attribute 'nodes_modes' is required") }
        let featureIDs = try reader.requiredInts("nodes_featureids")
        guard let splits = try reader.tensor("nodes_splits") else { throw context.invalid("attribute 'nodes_splits' is required") }
        let trueIDs = try reader.requiredInts("nodes_truenodeids")
        let trueLeafs = try reader.requiredInts("nodes_trueleafs")
        let falseIDs = try reader.requiredInts("nodes_falsenodeids")
        let falseLeafs = try reader.requiredInts("nodes_falseleafs")
        let tracks = try reader.ints("nodes_missing_value_tracks_true")
        _ = try reader.tensor("nodes_hitrates")
        let leafTargets = try reader.requiredInts("leaf_targetids")
        guard let leafWeights = try reader.tensor("leaf_weights") else { throw context.invalid("attribute 'leaf_weights' is required") }
        let membershipValues = try reader.tensor("membership_values") ?? []

        let count = modeCodes.count
        for (name, n) in [("nodes_featureids", featureIDs.count), ("nodes_splits", splits.count), ("nodes_truenodeids", trueIDs.count),
                          ("nodes_trueleafs", trueLeafs.count), ("nodes_falsenodeids", falseIDs.count), ("nodes_falseleafs", falseLeafs.count)]
        where n != count {
            throw context.invalid("attribute '\(name)' has \(n) entries but 'nodes_modes' has \(count)")
        }
        guard tracks.isEmpty || tracks.count == count else {
            throw context.invalid("attribute 'nodes_missing_value_tracks_true' has \(tracks.count) entries but 'nodes_modes' has \(count)")
        }
        guard leafWeights.count == leafTargets.count else {
            throw context.invalid("attribute 'leaf_weights' has \(leafWeights.count) entries but 'leaf_targetids' has \(leafTargets.count)")
        }
        for (j, target) in leafTargets.enumerated() where target < 0 || target >= Int64(targetCount) {
            throw context.invalid("attribute 'leaf_targetids' entry \(j) is \(target); it must be in 0..<\(targetCount)")
        }

        // Interior nodes keep their positions; leaf j becomes node count + j.
        let leafCount = leafTargets.count
        var nodes: [Node] = []
        nodes.reserveCapacity(count + leafCount)
        var memberSets: [MemberSet] = []
        var memberCursor = 0
        for i in 0..<count {
            guard let mode = TreeNodeMode(code: modeCodes[i]) else {
                throw context.invalid("attribute 'nodes_modes': node \(i) has unknown mode \(modeCodes[i])")
            }
            func child(_ attribute: String, _ id: Int64, isLeaf: Bool) throws -> Int {
                let limit = isLeaf ? leafCount : count
                guard id >= 0, id < Int64(limit) else {
                    throw context.invalid("attribute '\(attribute)': node \(i) refers to \(isLeaf ? "leaf" : "node") \(id), but there are \(limit)")
                }
                return isLeaf ? count + Int(id) : Int(id)
            }
            guard featureIDs[i] >= 0, featureIDs[i] <= Int64(Int32.max) else {
                throw context.invalid("attribute 'nodes_featureids': node \(i) reads feature \(featureIDs[i])")
            }
            var memberSet = -1
            if mode == .branchMember {
                var values: [Double] = []
                while memberCursor < membershipValues.count, !membershipValues[memberCursor].isNaN {
                    values.append(membershipValues[memberCursor])
                    memberCursor += 1
                }
                memberCursor += 1
                memberSet = memberSets.count
                memberSets.append(try Self.memberSet(values, node: i, context))
            }
            nodes.append(Node(
                mode: mode, feature: Int(featureIDs[i]), threshold: splits[i],
                tracksMissing: !tracks.isEmpty && tracks[i] == 1,
                trueChild: try child("nodes_truenodeids", trueIDs[i], isLeaf: trueLeafs[i] != 0),
                falseChild: try child("nodes_falsenodeids", falseIDs[i], isLeaf: falseLeafs[i] != 0),
                memberSet: memberSet, weightStart: 0, weightCount: 0))
        }
        for j in 0..<leafCount { nodes.append(.leaf(weightStart: j, weightCount: 1)) }

        var rootIndices: [Int] = []
        for (k, root) in roots.enumerated() {
            guard root >= 0, root < Int64(count) else {
                throw context.invalid("attribute 'tree_roots' entry \(k) is \(root), but there are \(count) nodes")
            }
            let r = Int(root)
            // A tree that is a single leaf: both branches of its root name the same leaf. As in
            // onnxruntime, it is that leaf outright (its feature is never read).
            if trueLeafs[r] != 0, falseLeafs[r] != 0, trueIDs[r] == falseIDs[r] {
                rootIndices.append(nodes[r].trueChild)
            } else {
                rootIndices.append(r)
            }
        }

        var definition = TreeEnsembleDefinition(
            nodes: nodes, weightTargets: leafTargets.map { Int($0) }, weightValues: leafWeights, memberSets: memberSets,
            roots: rootIndices, targetCount: targetCount, aggregate: aggregate, postTransform: postTransform,
            baseValues: [], precision: precision, nodeNames: .positions(interiorCount: count))
        try definition.finish(context, featureAttribute: "nodes_featureids")
        return definition
    }

    /// onnxruntime unrolls a small set (under 31 members, all in [0, 30]) into equality tests;
    /// any other set must hold integers and is tested on x truncated to int32.
    private static func memberSet(_ values: [Double], node: Int, _ context: NodeContext) throws -> MemberSet {
        guard !values.isEmpty else {
            throw context.invalid("attribute 'membership_values' has no members for BRANCH_MEMBER node \(node)")
        }
        if values.count < 31, values.allSatisfy({ $0 >= 0 && $0 <= 30 }) { return .exact(values) }
        var set = Set<Int32>()
        for v in values {
            guard let i = Int32(exactly: v) else {
                throw context.unsupported("attribute 'membership_values': node \(node) has member \(v); sets of more than 30 members or outside [0, 30] must hold int32 integers (as in onnxruntime)")
            }
            set.insert(i)
        }
        return .truncated(set)
    }
}
