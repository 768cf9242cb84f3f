/// The traversal of one tile: every tree over every row of the tile.
struct TreeTileWalk<T: TreeScalar> {
    let layout: TreeEnsembleLayout<T>
    /// The transposed tile: feature f of row r at `tile[f * tileRows + r]`.
    let tile: UnsafeMutablePointer<T>
    let rows: Int
    /// Which rows hold a NaN; nil when none does.
    let rowHasNaN: UnsafeMutablePointer<Bool>?

    @inline(__always)
    func run<A: TreeLeafAccumulator>(_ accumulator: A) {
        switch layout.kind {
        case .ordered: runOrdered(accumulator)
        case .general: runGeneral(accumulator)
        }
    }

    private func runGeneral<A: TreeLeafAccumulator>(_ accumulator: A) {
        let roots = layout.treeRoots.pointer
        for t in 0..<layout.treeCount {
            let root = Int(roots[t])
            for r in 0..<rows {
                accumulator.add(row: r, leaf: walkGeneral(root, tile + r), tree: t)
            }
        }
    }

    /// Follows one row down one tree, evaluating each node's own mode; returns the leaf's position.
    private func walkGeneral(_ root: Int, _ x: UnsafePointer<T>) -> Int {
        let modes = layout.modes.pointer
        var n = root
        while true {
            let slot = TreeEnsembleLayout<T>.slot(n)
            let mode = modes[slot]
            if mode == .leaf { return n }
            let node = layout.node(n)
            let v = x[Int(node.feature)]
            let t = node.threshold
            var goesTrue: Bool
            switch mode {
            case .branchLEQ: goesTrue = v <= t
            case .branchLT: goesTrue = v < t
            case .branchGTE: goesTrue = v >= t
            case .branchGT: goesTrue = v > t
            case .branchEQ: goesTrue = v == t
            case .branchNEQ: goesTrue = v != t
            case .branchMember: goesTrue = isMember(v, layout.memberSets[Int(layout.memberSetOfSlot[slot])])
            case .leaf: return n
            }
            if !goesTrue && v.isNaN && layout.tracksMissing[slot] { goesTrue = true }
            n = Int(goesTrue ? node.next.1 : node.next.0)
        }
    }

    private func isMember(_ v: T, _ set: TreeEnsembleDefinition.MemberSet) -> Bool {
        switch set {
        case .exact(let values): values.contains { T($0) == v }
        case .truncated(let values): values.contains(v.truncatedInt32)
        }
    }

    private func runOrdered<A: TreeLeafAccumulator>(_ accumulator: A) {
        let nodes = UnsafeRawPointer(layout.nodes.pointer)
        let nanNext1 = layout.nanTakesNext1.pointer
        let roots = layout.treeRoots.pointer
        let depths = layout.treeDepths.pointer
        let trees = layout.treeCount
        let nextOffset = TreeLayoutNode<T>.nextOffset
        let featureOffset = TreeLayoutNode<T>.featureOffset
        let tile = self.tile, rowHasNaN = self.rowHasNaN

        /// One level down from the node at byte position `n` for the row whose features start
        /// at `x[k]`: the next position is read at an address chosen by the comparison, not by
        /// a branch.
        @inline(__always)
        func step(_ n: Int, _ x: UnsafePointer<T>, _ k: Int) -> Int {
            let node = nodes + n
            let v = x[Int(node.load(fromByteOffset: featureOffset, as: Int32.self)) &+ k]
            let entry = v <= node.load(as: T.self) ? 4 : 0
            return Int(node.load(fromByteOffset: nextOffset &+ entry, as: Int32.self))
        }

        /// The same for rows holding a NaN, which follows `nodes_missing_value_tracks_true`.
        @inline(__always)
        func stepNaN(_ n: Int, _ x: UnsafePointer<T>, _ k: Int) -> Int {
            let node = layout.node(n)
            let v = x[Int(node.feature) &+ k]
            let takeNext1 = v <= node.threshold || (v.isNaN && nanNext1[TreeEnsembleLayout<T>.slot(n)])
            return Int(takeNext1 ? node.next.1 : node.next.0)
        }

        func nanIn(_ first: Int, _ count: Int) -> Bool {
            guard let rowHasNaN else { return false }
            for r in first..<(first + count) where rowHasNaN[r] { return true }
            return false
        }

        // Groups of eight rows walk each tree together.
        let groups = rows / 8
        if groups > 0 {
            for t in 0..<trees {
                let root = Int(roots[t])
                let steps = Int(depths[t])
                for g in 0..<groups {
                    let r = g * 8
                    let x = UnsafePointer(tile + r)
                    var n0 = root, n1 = root, n2 = root, n3 = root, n4 = root, n5 = root, n6 = root, n7 = root
                    if nanIn(r, 8) {
                        for _ in 0..<steps {
                            n0 = stepNaN(n0, x, 0); n1 = stepNaN(n1, x, 1); n2 = stepNaN(n2, x, 2); n3 = stepNaN(n3, x, 3)
                            n4 = stepNaN(n4, x, 4); n5 = stepNaN(n5, x, 5); n6 = stepNaN(n6, x, 6); n7 = stepNaN(n7, x, 7)
                        }
                    } else {
                        for _ in 0..<steps {
                            n0 = step(n0, x, 0); n1 = step(n1, x, 1); n2 = step(n2, x, 2); n3 = step(n3, x, 3)
                            n4 = step(n4, x, 4); n5 = step(n5, x, 5); n6 = step(n6, x, 6); n7 = step(n7, x, 7)
                        }
                    }
                    accumulator.add(row: r, leaf: n0, tree: t); accumulator.add(row: r + 1, leaf: n1, tree: t)
                    accumulator.add(row: r + 2, leaf: n2, tree: t); accumulator.add(row: r + 3, leaf: n3, tree: t)
                    accumulator.add(row: r + 4, leaf: n4, tree: t); accumulator.add(row: r + 5, leaf: n5, tree: t)
                    accumulator.add(row: r + 6, leaf: n6, tree: t); accumulator.add(row: r + 7, leaf: n7, tree: t)
                }
            }
        }

        // Each remaining row walks eight trees at a time.
        for r in (groups * 8)..<rows {
            let x = UnsafePointer(tile + r)
            let nan = nanIn(r, 1)
            var t = 0
            while trees - t >= 8 {
                var n0 = Int(roots[t]), n1 = Int(roots[t + 1]), n2 = Int(roots[t + 2]), n3 = Int(roots[t + 3])
                var n4 = Int(roots[t + 4]), n5 = Int(roots[t + 5]), n6 = Int(roots[t + 6]), n7 = Int(roots[t + 7])
                var steps: Int32 = 0
                for k in t..<(t + 8) { steps = max(steps, depths[k]) }
                if nan {
                    for _ in 0..<steps {
                        n0 = stepNaN(n0, x, 0); n1 = stepNaN(n1, x, 0); n2 = stepNaN(n2, x, 0); n3 = stepNaN(n3, x, 0)
                        n4 = stepNaN(n4, x, 0); n5 = stepNaN(n5, x, 0); n6 = stepNaN(n6, x, 0); n7 = stepNaN(n7, x, 0)
                    }
                } else {
                    for _ in 0..<steps {
                        n0 = step(n0, x, 0); n1 = step(n1, x, 0); n2 = step(n2, x, 0); n3 = step(n3, x, 0)
                        n4 = step(n4, x, 0); n5 = step(n5, x, 0); n6 = step(n6, x, 0); n7 = step(n7, x, 0)
                    }
                }
                accumulator.add(row: r, leaf: n0, tree: t); accumulator.add(row: r, leaf: n1, tree: t + 1)
                accumulator.add(row: r, leaf: n2, tree: t + 2); accumulator.add(row: r, leaf: n3, tree: t + 3)
                accumulator.add(row: r, leaf: n4, tree: t + 4); accumulator.add(row: r, leaf: n5, tree: t + 5)
                accumulator.add(row: r, leaf: n6, tree: t + 6); accumulator.add(row: r, leaf: n7, tree: t + 7)
                t += 8
            }
            while t < trees {
                var n = Int(roots[t])
                for _ in 0..<depths[t] { n = nan ? stepNaN(n, x, 0) : step(n, x, 0) }
                accumulator.add(row: r, leaf: n, tree: t)
                t += 1
            }
        }
    }
}
