/// Evaluates a compiled ensemble over a batch of rows, producing each row's raw scores
/// (before base values and post transforms) and has-score flags, one tile of rows at a time.
///
/// A tile holds up to `tileRows` rows transposed (feature-major), so the rows a tree visits
/// together are adjacent and eight lanes share one base address. Each tree walks eight rows
/// in lockstep (or, for the rows left over, one row walks eight trees): eight independent
/// load-compare-load chains keep the core busy while each waits on memory, no branch depends on
/// the data, and the tree stays in L1 while the tile passes through it. Each row still receives
/// its trees' leaves in tree order, so sums round exactly as onnxruntime's do.
struct TreeEnsembleEvaluator<T: TreeScalar>: Sendable {
    /// Rows per tile; node feature offsets are pre-multiplied by it.
    static var tileRows: Int { 64 }

    let layout: TreeEnsembleLayout<T>
    let targetCount: Int
    let accumulation: TreeAccumulation
    /// The has-score flag of each target when it does not depend on the row.
    let fixedHasScore: [Bool]
    /// Columns the trees read (the largest feature index + 1).
    let featureCount: Int

    init(layout: TreeEnsembleLayout<T>, definition: TreeEnsembleDefinition) {
        self.layout = layout
        self.targetCount = definition.targetCount
        self.featureCount = definition.maxFeature + 1
        let coverage = TreeTargetCoverage(definition)
        fixedHasScore = coverage.alwaysScored
        if definition.targetCount == 1 {
            switch definition.aggregate {
            case .min: accumulation = .firstWeightMin
            case .max: accumulation = .firstWeightMax
            case .sum, .average: accumulation = .firstWeightSum
            }
        } else {
            switch definition.aggregate {
            case .min: accumulation = .votesMin
            case .max: accumulation = .votesMax
            case .sum, .average:
                accumulation = layout.treeTargets != nil ? .treeTargetSum
                    : layout.denseVotes ? .denseSum : .votesSum(tracked: !coverage.isFixed)
            }
        }
    }

    /// Evaluates `rowCount` rows of `source` (row-major, `stride` values per row, converted by
    /// `convert`). `finish(first, count, scores, has)` receives each tile's results
    /// ([count × targetCount] each) and may modify them.
    func evaluate<Source>(
        _ source: UnsafePointer<Source>, rowCount: Int, stride: Int, convert: (Source) -> T,
        finish: (_ first: Int, _ count: Int, _ scores: UnsafeMutablePointer<T>, _ has: UnsafeMutablePointer<Bool>) throws -> Void
    ) rethrows {
        guard rowCount > 0 else { return }
        let tileRows = Self.tileRows
        let cells = tileRows * targetCount
        // One allocation: the tile and scores (T), then has-score and NaN flags.
        let values = max(1, tileRows * featureCount) + cells
        let memory = UnsafeMutableRawPointer.allocate(
            byteCount: values * MemoryLayout<T>.stride + cells + tileRows, alignment: MemoryLayout<T>.alignment)
        defer { memory.deallocate() }
        let tile = memory.bindMemory(to: T.self, capacity: values)
        let scores = tile + max(1, tileRows * featureCount)
        let flags = (memory + values * MemoryLayout<T>.stride).bindMemory(to: Bool.self, capacity: cells + tileRows)
        let has = flags
        let rowHasNaN = flags + cells
        let fixedHas = accumulation.hasScoreIsFixed
        let state = TreeAccumulatorState(scores: scores, has: has, targets: targetCount, layout: layout)
        let features = featureCount

        var first = 0
        while first < rowCount {
            let count = min(tileRows, rowCount - first)
            var anyNaN = false
            for r in 0..<count {
                let row = source + (first + r) * stride
                var nan = false
                for f in 0..<features {
                    let v = convert(row[f])
                    tile[f * tileRows + r] = v
                    if v.isNaN { nan = true }
                }
                rowHasNaN[r] = nan
                if nan { anyNaN = true }
            }
            scores.initialize(repeating: 0, count: count * targetCount)
            if fixedHas {
                for r in 0..<count {
                    for t in 0..<targetCount { has[r * targetCount + t] = fixedHasScore[t] }
                }
            } else {
                has.initialize(repeating: false, count: count * targetCount)
            }
            let walk = TreeTileWalk(layout: layout, tile: tile, rows: count, rowHasNaN: anyNaN ? rowHasNaN : nil)
            switch accumulation {
            case .firstWeightSum: walk.run(FirstWeightSum(state))
            case .firstWeightMin: walk.run(FirstWeightExtremum(state, isMin: true))
            case .firstWeightMax: walk.run(FirstWeightExtremum(state, isMin: false))
            case .treeTargetSum: walk.run(TreeTargetSum(state))
            case .denseSum: walk.run(DenseVotesSum(state))
            case .votesSum(let tracked): walk.run(VotesSum(state, tracked: tracked))
            case .votesMin: walk.run(VotesExtremum(state, isMin: true))
            case .votesMax: walk.run(VotesExtremum(state, isMin: false))
            }
            try finish(first, count, scores, has)
            first += count
        }
    }
}
