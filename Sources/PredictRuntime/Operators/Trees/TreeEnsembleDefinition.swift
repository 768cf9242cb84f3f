/// A tree ensemble as parsed from any of the three attribute generations (TreeEnsembleClassifier
/// and TreeEnsembleRegressor opsets 1 and 3, TreeEnsemble opset 5), validated, before it is
/// compiled into a `TreeEnsembleLayout` for evaluation.
///
/// Nodes form one flat list; a tree is a root index. Leaves are nodes too (opset 5 leaves are
/// appended after the interior nodes). Values are kept as `Double`, which holds every float32
/// and float64 attribute exactly; `precision` says which type onnxruntime computes in.
struct TreeEnsembleDefinition: Sendable {
    /// How the leaf weights of all trees are combined per target.
    enum Aggregate: String, Sendable {
        case sum = "SUM", average = "AVERAGE", min = "MIN", max = "MAX"
    }

    /// The type thresholds, weights and sums are computed in: onnxruntime's `ThresholdType`,
    /// float64 when the input is float64, float32 otherwise.
    enum Precision: Sendable {
        case float, double
    }

    /// The values a BRANCH_MEMBER node tests x against, with onnxruntime's two behaviours.
    enum MemberSet: Sendable {
        /// Fewer than 31 members, all in [0, 30]: x must equal one of them exactly.
        case exact([Double])
        /// Otherwise (all integers): x is truncated to int32 (NaN and out-of-range values
        /// become Int32.min, as x86 conversion does) and looked up.
        case truncated(Set<Int32>)
    }

    struct Node: Sendable {
        var mode: TreeNodeMode
        var feature: Int
        var threshold: Double
        var tracksMissing: Bool
        var trueChild: Int
        var falseChild: Int
        /// Index into `memberSets` for BRANCH_MEMBER nodes.
        var memberSet: Int
        /// For leaves: the range of `weightTargets` / `weightValues` they add, in attribute order.
        var weightStart: Int
        var weightCount: Int

        static func leaf(weightStart: Int = 0, weightCount: Int = 0) -> Node {
            Node(mode: .leaf, feature: 0, threshold: 0, tracksMissing: false, trueChild: -1, falseChild: -1,
                 memberSet: -1, weightStart: weightStart, weightCount: weightCount)
        }
    }

    var nodes: [Node]
    var weightTargets: [Int]
    var weightValues: [Double]
    var memberSets: [MemberSet]
    /// The root node of each tree, in evaluation (and summation) order.
    var roots: [Int]
    /// Number of targets (regressors) or classes (classifiers): the score columns.
    var targetCount: Int
    var aggregate: Aggregate
    var postTransform: PostTransform
    var baseValues: [Double]
    var precision: Precision
    /// How error messages name a node, e.g. "tree 3 node 17" or "node 4".
    var nodeNames: NodeNames

    /// Node naming for messages, without a string per node.
    enum NodeNames: Sendable {
        case treeAndNode(treeIDs: [Int64], nodeIDs: [Int64])
        /// Opset 5: interior nodes by position, then leaves by position.
        case positions(interiorCount: Int)

        func name(_ index: Int) -> String {
            switch self {
            case .treeAndNode(let trees, let nodes):
                index < trees.count ? "tree \(trees[index]) node \(nodes[index])" : "node #\(index)"
            case .positions(let interior):
                index < interior ? "node \(index)" : "leaf \(index - interior)"
            }
        }
    }

    /// The largest feature index an interior node reachable from a root reads, or -1.
    var maxFeature: Int {
        var result = -1
        forEachReachable { i in
            let node = nodes[i]
            if node.mode != .leaf && node.feature > result { result = node.feature }
        }
        return result
    }

    /// Calls `body` once for every node reachable from some root.
    func forEachReachable(_ body: (Int) -> Void) {
        var seen = [Bool](repeating: false, count: nodes.count)
        var stack: [Int] = []
        for root in roots where !seen[root] {
            seen[root] = true
            stack.append(root)
            while let i = stack.popLast() {
                body(i)
                let node = nodes[i]
                guard node.mode != .leaf else { continue }
                for child in [node.falseChild, node.trueChild] where !seen[child] {
                    seen[child] = true
                    stack.append(child)
                }
            }
        }
    }

    /// Rejects a cycle reachable from a root: evaluation would never reach a leaf.
    func checkAcyclic(_ context: NodeContext) throws {
        // 0 = unvisited, 1 = on the current path, 2 = done.
        var state = [UInt8](repeating: 0, count: nodes.count)
        var stack: [(node: Int, next: Int)] = []
        for root in roots where state[root] == 0 {
            state[root] = 1
            stack.append((root, 0))
            while let top = stack.last {
                let node = nodes[top.node]
                let children = node.mode == .leaf ? [] : [node.trueChild, node.falseChild]
                if top.next == children.count {
                    state[top.node] = 2
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].next += 1
                let child = children[top.next]
                switch state[child] {
                case 0:
                    state[child] = 1
                    stack.append((child, 0))
                case 1:
                    throw context.invalid("the trees have a cycle: \(nodeNames.name(top.node)) leads back to \(nodeNames.name(child))")
                default:
                    break
                }
            }
        }
    }

    /// Rejects feature indices the input cannot have, when its feature count is known at load.
    func checkFeatures(_ context: NodeContext, input: TensorInfo, attribute: String) throws {
        let maxFeature = maxFeature
        guard maxFeature >= 0, let shape = input.shape, shape.count == 2, let features = shape[1].fixedValue else { return }
        guard maxFeature < features else {
            throw context.invalid("attribute '\(attribute)' reads feature \(maxFeature) but input '\(input.name)' has \(features) features")
        }
    }

    /// Mirrors how onnxruntime fuses a chain of BRANCH_EQ nodes (same feature, same true child,
    /// each false child the next test, each threshold an integer in 1...32 for float32 or 1...64
    /// for float64) into one set-membership node: the fused node routes NaN by the first node's
    /// `nodes_missing_value_tracks_true` only. Clearing the flag on the later nodes gives the
    /// same routing while keeping the chain (equality tests are otherwise identical).
    mutating func applyEqualityChainMissingRule() {
        let bits: Double = precision == .float ? 32 : 64
        func fusible(_ t: Double) -> Bool { t >= 1 && t <= bits && t.rounded(.towardZero) == t }
        var parents = [Int](repeating: 0, count: nodes.count)
        forEachReachable { i in
            let node = nodes[i]
            guard node.mode != .leaf else { return }
            parents[node.trueChild] += 1
            if node.falseChild != node.trueChild { parents[node.falseChild] += 1 }
        }
        var fusedIntoPredecessor = [Bool](repeating: false, count: nodes.count)
        var starts: [Int] = []
        forEachReachable { starts.append($0) }
        for start in starts.sorted() where !fusedIntoPredecessor[start] {
            let head = nodes[start]
            guard head.mode == .branchEQ, fusible(head.threshold) else { continue }
            var next = head.falseChild
            var visited: Set<Int> = [start]
            while nodes[next].mode == .branchEQ, nodes[next].feature == head.feature,
                  nodes[next].trueChild == head.trueChild, fusible(nodes[next].threshold),
                  parents[next] == 1, visited.insert(next).inserted {
                fusedIntoPredecessor[next] = true
                nodes[next].tracksMissing = false
                next = nodes[next].falseChild
            }
        }
    }
}
