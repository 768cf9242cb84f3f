/// How the leaf each tree reaches is folded into a row's scores, following onnxruntime's
/// aggregators: one-target ensembles add each leaf's first weight; others add every (target,
/// weight) vote of the leaf and remember which targets received one ("has a score").
enum TreeAccumulation: Sendable, Equatable {
    /// One target, SUM or AVERAGE (the division happens when finishing).
    case firstWeightSum
    /// One target, MIN or MAX.
    case firstWeightMin, firstWeightMax
    /// Several targets, SUM or AVERAGE, every leaf one vote, one target per tree.
    case treeTargetSum
    /// Several targets, SUM or AVERAGE, every leaf voting for every target in order.
    case denseSum
    /// Several targets, SUM or AVERAGE. `tracked`: which targets have a score varies by row,
    /// so it is recorded per row; otherwise it is known from the trees alone.
    case votesSum(tracked: Bool)
    case votesMin, votesMax

    /// Whether which targets have a score is known from the trees alone (then the flags are
    /// set before the walk and the accumulator leaves them alone).
    var hasScoreIsFixed: Bool {
        switch self {
        case .treeTargetSum, .denseSum, .votesSum(tracked: false): true
        default: false
        }
    }
}

/// Folds one leaf (at a byte position in the node array) into the scores of one row of a tile.
/// Specialised per accumulation so the traversal loop carries no switch.
protocol TreeLeafAccumulator {
    func add(row: Int, leaf: Int, tree: Int)
}

/// The pointers every accumulator works on: the tile's scores and has-score flags
/// ([rows × targets], row-major) and the layout's leaf payloads.
struct TreeAccumulatorState<T: TreeScalar> {
    let scores: UnsafeMutablePointer<T>
    let has: UnsafeMutablePointer<Bool>
    let targets: Int
    let layout: TreeEnsembleLayout<T>
}

struct FirstWeightSum<T: TreeScalar>: TreeLeafAccumulator {
    let scores: UnsafeMutablePointer<T>
    let nodes: UnsafeMutablePointer<TreeLayoutNode<T>>

    init(_ s: TreeAccumulatorState<T>) { scores = s.scores; nodes = s.layout.nodes.pointer }

    @inline(__always)
    func add(row: Int, leaf: Int, tree: Int) { scores[row] += UnsafeRawPointer(nodes).load(fromByteOffset: leaf, as: T.self) }
}

struct TreeTargetSum<T: TreeScalar>: TreeLeafAccumulator {
    let scores: UnsafeMutablePointer<T>
    let nodes: UnsafeMutablePointer<TreeLayoutNode<T>>
    let treeTargets: UnsafeMutablePointer<Int32>
    let targets: Int

    init(_ s: TreeAccumulatorState<T>) {
        scores = s.scores; nodes = s.layout.nodes.pointer; treeTargets = s.layout.treeTargets!.pointer; targets = s.targets
    }

    @inline(__always)
    func add(row: Int, leaf: Int, tree: Int) {
        scores[row * targets + Int(treeTargets[tree])] += UnsafeRawPointer(nodes).load(fromByteOffset: leaf, as: T.self)
    }
}

struct FirstWeightExtremum<T: TreeScalar>: TreeLeafAccumulator {
    let scores: UnsafeMutablePointer<T>
    let has: UnsafeMutablePointer<Bool>
    let nodes: UnsafeMutablePointer<TreeLayoutNode<T>>
    let isMin: Bool

    init(_ s: TreeAccumulatorState<T>, isMin: Bool) {
        scores = s.scores; has = s.has; nodes = s.layout.nodes.pointer; self.isMin = isMin
    }

    @inline(__always)
    func add(row: Int, leaf: Int, tree: Int) {
        let w = UnsafeRawPointer(nodes).load(fromByteOffset: leaf, as: T.self)
        if !has[row] || (isMin ? w < scores[row] : w > scores[row]) { scores[row] = w }
        has[row] = true
    }
}

struct DenseVotesSum<T: TreeScalar>: TreeLeafAccumulator {
    let scores: UnsafeMutablePointer<T>
    let nodes: UnsafeRawPointer
    let voteWeights: UnsafeMutablePointer<T>
    let targets: Int

    init(_ s: TreeAccumulatorState<T>) {
        scores = s.scores; nodes = UnsafeRawPointer(s.layout.nodes.pointer); voteWeights = s.layout.voteWeights.pointer; targets = s.targets
    }

    @inline(__always)
    func add(row: Int, leaf: Int, tree: Int) {
        let weights = voteWeights + Int(nodes.load(fromByteOffset: leaf, as: Int32.self))
        let out = scores + row * targets
        for k in 0..<targets { out[k] += weights[k] }
    }
}

/// The general vote table of a layout: for each leaf slot, a run of (target, weight) votes.
struct LeafVotes<T: TreeScalar> {
    let start: UnsafeMutablePointer<Int32>
    let count: UnsafeMutablePointer<Int32>
    let targets: UnsafeMutablePointer<Int32>
    let weights: UnsafeMutablePointer<T>

    init(_ layout: TreeEnsembleLayout<T>) {
        start = layout.leafVoteStart.pointer
        count = layout.leafVoteCount.pointer
        targets = layout.voteTargets.pointer
        weights = layout.voteWeights.pointer
    }

    /// The indices into `targets` and `weights` of a leaf's votes.
    @inline(__always)
    func votes(ofLeaf leaf: Int) -> Range<Int> {
        let slot = TreeEnsembleLayout<T>.slot(leaf)
        let first = Int(start[slot])
        return first..<(first + Int(count[slot]))
    }
}

struct VotesSum<T: TreeScalar>: TreeLeafAccumulator {
    let scores: UnsafeMutablePointer<T>
    let has: UnsafeMutablePointer<Bool>
    let targets: Int
    let table: LeafVotes<T>
    let tracked: Bool

    init(_ s: TreeAccumulatorState<T>, tracked: Bool) {
        scores = s.scores; has = s.has; targets = s.targets
        table = LeafVotes(s.layout)
        self.tracked = tracked
    }

    @inline(__always)
    func add(row: Int, leaf: Int, tree: Int) {
        let base = row * targets
        for k in table.votes(ofLeaf: leaf) {
            let i = base + Int(table.targets[k])
            scores[i] += table.weights[k]
            if tracked { has[i] = true }
        }
    }
}

struct VotesExtremum<T: TreeScalar>: TreeLeafAccumulator {
    let scores: UnsafeMutablePointer<T>
    let has: UnsafeMutablePointer<Bool>
    let targets: Int
    let table: LeafVotes<T>
    let isMin: Bool

    init(_ s: TreeAccumulatorState<T>, isMin: Bool) {
        scores = s.scores; has = s.has; targets = s.targets
        table = LeafVotes(s.layout)
        self.isMin = isMin
    }

    @inline(__always)
    func add(row: Int, leaf: Int, tree: Int) {
        let base = row * targets
        for k in table.votes(ofLeaf: leaf) {
            let i = base + Int(table.targets[k])
            let w = table.weights[k]
            if !has[i] || (isMin ? w < scores[i] : w > scores[i]) { scores[i] = w }
            has[i] = true
        }
    }
}
