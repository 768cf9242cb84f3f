/// One node as the traversal reads it: 16 bytes for float32 trees, one cache line access per
/// level.
///
/// A node sends x to `next.1` when `x <= threshold`, else to `next.0`. The traversal picks the
/// entry by address (`next` + 4 × comparison), so no branch depends on the data. A leaf has both
/// entries pointing at itself, so stepping a row that already sits on a leaf keeps it there;
/// several rows then walk a tree in lockstep for a fixed number of steps. A leaf's `threshold`
/// holds its first weight (or 0), read straight from the node the walk ended on; in ensembles
/// whose leaves all vote for every target in order (`denseVotes`), it carries the index of the
/// leaf's first vote instead (see `TreeScalar.carrying`).
/// `feature` is pre-multiplied by the tile height: it is the offset of the feature's column in
/// a transposed tile of rows. `next` holds byte positions (slot × stride), which the walk adds
/// to the node array's address as they are.
struct TreeLayoutNode<T: TreeScalar> {
    var threshold: T
    var feature: Int32
    var next: (Int32, Int32)

    /// Byte offset of `next` within the node (checked against the real layout at load).
    @inline(__always)
    static var nextOffset: Int { MemoryLayout<T>.size + 4 }

    /// Byte offset of `feature` within the node.
    @inline(__always)
    static var featureOffset: Int { MemoryLayout<T>.size }

    @inline(__always)
    static var stride: Int { MemoryLayout<TreeLayoutNode<T>>.stride }
}

/// A `TreeEnsembleDefinition` compiled for evaluation: every tree laid out depth first in one
/// node array (trees shared as DAGs in the file are expanded into trees), with per-slot leaf
/// payloads and per-tree roots and depths.
///
/// Two kinds. When every interior node compares by order (LEQ, LT, GTE, GT: all exporters'
/// trees), each node is rewritten as `x <= t'` with its children ordered to match: LT becomes
/// LEQ against the next float below t, GT and GTE swap children. That holds for every non-NaN
/// x; rows with a NaN take a slower step that also consults `nanTakesNext1` per node, which
/// encodes `nodes_missing_value_tracks_true`. Otherwise (EQ, NEQ, sets) `next.1` is the true
/// child and the general walk evaluates each node's own mode.
final class TreeEnsembleLayout<T: TreeScalar>: @unchecked Sendable {
    enum Kind { case ordered, general }

    let kind: Kind
    let nodes: FixedBuffer<TreeLayoutNode<T>>
    /// Ordered kind: whether a NaN goes to `next.1` (else `next.0`).
    let nanTakesNext1: FixedBuffer<Bool>
    /// General kind: each slot's mode (`.leaf` for leaves), NaN rule and member set.
    let modes: FixedBuffer<TreeNodeMode>
    let tracksMissing: FixedBuffer<Bool>
    let memberSetOfSlot: FixedBuffer<Int32>
    let memberSets: [TreeEnsembleDefinition.MemberSet]

    /// Leaf payloads by slot: the range of (target, weight) votes. (The first weight, which
    /// one-target ensembles use as onnxruntime does, is the leaf node's `threshold`.)
    let leafVoteStart: FixedBuffer<Int32>
    let leafVoteCount: FixedBuffer<Int32>
    let voteTargets: FixedBuffer<Int32>
    let voteWeights: FixedBuffer<T>

    /// Byte position of each tree's root.
    let treeRoots: FixedBuffer<Int32>
    /// Steps from the root to the deepest leaf, per tree.
    let treeDepths: FixedBuffer<Int32>
    /// When every leaf holds exactly one vote and each tree votes for one target only (binary
    /// classifiers, one-target regressors, gradient-boosted multiclass): that target per tree.
    let treeTargets: FixedBuffer<Int32>?
    /// Several targets and every leaf votes once for each, in target order (random forest
    /// classifiers): leaf thresholds carry the index of the leaf's first vote.
    let denseVotes: Bool
    let treeCount: Int

    /// Trees shared as DAGs are expanded; a file may grow this much (its node count × 4, or
    /// this many nodes) before it is refused, so a hostile file cannot force a huge layout.
    static var minimumExpansionLimit: Int { 1 << 16 }

    /// The height of the transposed row tiles the traversal reads; node features are
    /// pre-multiplied by it.
    let tileRows: Int

    init(_ definition: TreeEnsembleDefinition, _ context: NodeContext, tileRows: Int) throws {
        self.tileRows = tileRows
        guard MemoryLayout<TreeLayoutNode<T>>.offset(of: \TreeLayoutNode<T>.next) == TreeLayoutNode<T>.nextOffset else {
            throw RuntimeError.internalFailure("unexpected tree node layout")
        }
        guard definition.maxFeature < Int(Int32.max) / tileRows else {
            throw context.unsupported("feature index \(definition.maxFeature) is too large")
        }
        var ordered = true
        var dense = definition.targetCount >= 2
        definition.forEachReachable { i in
            let node = definition.nodes[i]
            if node.mode == .leaf {
                dense = dense && node.weightCount == definition.targetCount
                    && (0..<node.weightCount).allSatisfy { definition.weightTargets[node.weightStart + $0] == $0 }
            } else if !node.mode.isOrdering {
                ordered = false
            }
        }
        kind = ordered ? .ordered : .general
        denseVotes = dense

        var builder = Builder(definition: definition, ordered: ordered, dense: dense, tileRows: tileRows)
        let limit = min(max(Self.minimumExpansionLimit, 4 * definition.nodes.count), Int(Int32.max) / TreeLayoutNode<T>.stride)
        for root in definition.roots {
            try builder.addTree(root, limit: limit, context)
        }
        builder.convertLinksToPositions()

        nodes = FixedBuffer(builder.nodes)
        nanTakesNext1 = FixedBuffer(builder.nanTakesNext1)
        modes = FixedBuffer(builder.modes)
        tracksMissing = FixedBuffer(builder.tracks)
        memberSetOfSlot = FixedBuffer(builder.memberSetOfSlot)
        memberSets = definition.memberSets
        leafVoteStart = FixedBuffer(builder.voteStart)
        leafVoteCount = FixedBuffer(builder.voteCount)
        voteTargets = FixedBuffer(definition.weightTargets.map { Int32($0) })
        voteWeights = FixedBuffer(definition.weightValues.map { T($0) })
        treeRoots = FixedBuffer(builder.roots)
        treeDepths = FixedBuffer(builder.depths)
        treeTargets = builder.treeTargets.map { FixedBuffer($0) }
        treeCount = builder.roots.count
    }

    /// Lays trees out depth first, one slot per node, the child taken when `x <= t'` right
    /// after its parent.
    private struct Builder {
        let definition: TreeEnsembleDefinition
        let ordered: Bool
        let dense: Bool
        let tileRows: Int
        var nodes: [TreeLayoutNode<T>] = []
        var nanTakesNext1: [Bool] = []
        var modes: [TreeNodeMode] = []
        var tracks: [Bool] = []
        var memberSetOfSlot: [Int32] = []
        var voteStart: [Int32] = []
        var voteCount: [Int32] = []
        var roots: [Int32] = []
        var depths: [Int32] = []
        var treeTargets: [Int32]? = []

        init(definition: TreeEnsembleDefinition, ordered: Bool, dense: Bool, tileRows: Int) {
            self.definition = definition
            self.ordered = ordered
            self.dense = dense
            self.tileRows = tileRows
            nodes.reserveCapacity(definition.nodes.count)
        }

        mutating func addTree(_ root: Int, limit: Int, _ context: NodeContext) throws {
            roots.append(Int32(nodes.count))
            var deepest = 0
            var treeTarget: Int? = nil
            // (definition node, the slot and entry of `next` that points at it, depth)
            var stack: [(node: Int, parent: Int, entry: Int, depth: Int)] = [(root, -1, 0, 0)]
            while let frame = stack.popLast() {
                let slot = nodes.count
                guard slot < limit else {
                    throw context.unsupported("the trees share subtrees so much that expanding them exceeds \(limit) nodes")
                }
                if frame.parent >= 0 {
                    if frame.entry == 1 { nodes[frame.parent].next.1 = Int32(slot) } else { nodes[frame.parent].next.0 = Int32(slot) }
                }
                let node = definition.nodes[frame.node]
                if node.mode == .leaf {
                    deepest = max(deepest, frame.depth)
                    addLeaf(node, slot: slot)
                    let target = node.weightCount == 1 ? definition.weightTargets[node.weightStart] : nil
                    if let target, treeTarget == nil || treeTarget == target { treeTarget = target } else { treeTargets = nil }
                    continue
                }
                let (threshold, whenTrue, otherwise) = comparison(node)
                nodes.append(TreeLayoutNode(threshold: threshold, feature: Int32(node.feature * tileRows), next: (-1, -1)))
                nanTakesNext1.append((node.tracksMissing ? node.trueChild : node.falseChild) == whenTrue)
                modes.append(node.mode)
                tracks.append(node.tracksMissing)
                memberSetOfSlot.append(Int32(node.memberSet))
                voteStart.append(0)
                voteCount.append(0)
                stack.append((otherwise, slot, 0, frame.depth + 1))
                stack.append((whenTrue, slot, 1, frame.depth + 1))
            }
            depths.append(Int32(deepest))
            treeTargets?.append(Int32(treeTarget ?? 0))
        }

        /// The node as `x <= threshold ? whenTrue : otherwise` (ordered kind), or its own
        /// threshold with `whenTrue` the true child (general kind).
        private func comparison(_ node: TreeEnsembleDefinition.Node) -> (threshold: T, whenTrue: Int, otherwise: Int) {
            let t = T(node.threshold)
            // A NaN threshold makes every comparison false: always the false child.
            guard ordered, !t.isNaN else { return (t, node.trueChild, node.falseChild) }
            // x < t is x <= the next float below t; nothing is below -inf (a NaN never matches).
            let below = t == -.infinity ? T.nan : t.nextDown
            switch node.mode {
            case .branchLT: return (below, node.trueChild, node.falseChild)
            case .branchGT: return (t, node.falseChild, node.trueChild)
            case .branchGTE: return (below, node.falseChild, node.trueChild)
            default: return (t, node.trueChild, node.falseChild)
            }
        }

        private mutating func addLeaf(_ node: TreeEnsembleDefinition.Node, slot: Int) {
            let payload = dense ? T.carrying(Int32(node.weightStart))
                : node.weightCount > 0 ? T(definition.weightValues[node.weightStart]) : 0
            nodes.append(TreeLayoutNode(threshold: payload, feature: 0, next: (Int32(slot), Int32(slot))))
            nanTakesNext1.append(false)
            modes.append(.leaf)
            tracks.append(false)
            memberSetOfSlot.append(-1)
            voteStart.append(Int32(node.weightStart))
            voteCount.append(Int32(node.weightCount))
        }

        mutating func convertLinksToPositions() {
            let stride = Int32(TreeLayoutNode<T>.stride)
            for i in nodes.indices {
                nodes[i].next.0 *= stride
                nodes[i].next.1 *= stride
            }
            roots = roots.map { $0 * stride }
        }
    }

    /// The slot of the node at a byte position.
    @inline(__always)
    static func slot(_ position: Int) -> Int { position / TreeLayoutNode<T>.stride }

    /// The node at a byte position.
    @inline(__always)
    func node(_ position: Int) -> TreeLayoutNode<T> {
        UnsafeRawPointer(nodes.pointer).load(fromByteOffset: position, as: TreeLayoutNode<T>.self)
    }
}
