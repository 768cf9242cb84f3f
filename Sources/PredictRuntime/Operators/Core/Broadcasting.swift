/// NumPy-style (multidirectional) broadcasting, as the ONNX arithmetic operators use it.
enum Broadcasting {
    /// The broadcast shape of two shapes, or nil when a pair of dimensions is incompatible.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard da == db || da == 1 || db == 1 else { return nil }
            result[i] = da == 1 ? db : da
        }
        return result
    }

    /// Broadcast shape of declared shapes, where each dimension may be unknown.
    static func shape(_ a: [Dimension]?, _ b: [Dimension]?) -> [Dimension]? {
        guard let a, let b else { return nil }
        let rank = max(a.count, b.count)
        return (0..<rank).map { i in
            let da = i < rank - a.count ? Dimension.fixed(1) : a[i - (rank - a.count)]
            let db = i < rank - b.count ? Dimension.fixed(1) : b[i - (rank - b.count)]
            if da == .fixed(1) { return db }
            if db == .fixed(1) || da == db { return da }
            if case .fixed = da, case .fixed = db { return da }  // incompatible: reported at run time
            return .dynamic(name: nil)
        }
    }

    /// Applies `op` elementwise over the broadcast of `a` and `b`, with tight loops for equal
    /// shapes, a scalar on either side, and a trailing row (a bias) on either side.
    @inline(__always)
    static func apply<T, R>(
        _ a: [T], _ aShape: [Int], _ b: [T], _ bShape: [Int], _ op: (T, T) -> R
    ) throws -> (values: [R], shape: [Int]) {
        guard let shape = shape(aShape, bShape) else {
            throw RuntimeError.invalidInput("shapes \(aShape) and \(bShape) cannot be broadcast together")
        }
        let count = shape.reduce(1, *)
        let last = shape.last ?? 1
        let values = [R](unsafeUninitializedCapacity: count) { out, initialized in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    let o = out.baseAddress!
                    if aShape == bShape {
                        for i in 0..<count { (o + i).initialize(to: op(pa[i], pb[i])) }
                    } else if pb.count == 1 {
                        let y = pb[0]
                        for i in 0..<count { (o + i).initialize(to: op(pa[i], y)) }
                    } else if pa.count == 1 {
                        let x = pa[0]
                        for i in 0..<count { (o + i).initialize(to: op(x, pb[i])) }
                    } else if pa.count == count, pb.count == last, bShape.last == last {
                        for r in 0..<(count / last) {
                            for j in 0..<last { (o + r * last + j).initialize(to: op(pa[r * last + j], pb[j])) }
                        }
                    } else if pb.count == count, pa.count == last, aShape.last == last {
                        for r in 0..<(count / last) {
                            for j in 0..<last { (o + r * last + j).initialize(to: op(pa[j], pb[r * last + j])) }
                        }
                    } else {
                        general(pa, aShape, pb, bShape, shape, o, op)
                    }
                }
            }
            initialized = count
        }
        return (values, shape)
    }

    /// Any broadcast, by walking the output index like an odometer and moving both sources.
    private static func general<T, R>(
        _ a: UnsafeBufferPointer<T>, _ aShape: [Int], _ b: UnsafeBufferPointer<T>, _ bShape: [Int],
        _ shape: [Int], _ out: UnsafeMutablePointer<R>, _ op: (T, T) -> R
    ) {
        let aStrides = strides(aShape, broadcastTo: shape)
        let bStrides = strides(bShape, broadcastTo: shape)
        var index = [Int](repeating: 0, count: shape.count)
        var ia = 0, ib = 0
        for i in 0..<shape.reduce(1, *) {
            (out + i).initialize(to: op(a[ia], b[ib]))
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                ia += aStrides[axis]
                ib += bStrides[axis]
                if index[axis] < shape[axis] { break }
                ia -= aStrides[axis] * shape[axis]
                ib -= bStrides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }

    /// Element strides of `source` aligned to `target`, zero where `source` broadcasts.
    static func strides(_ source: [Int], broadcastTo target: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: target.count)
        var step = 1
        for i in (0..<source.count).reversed() {
            let axis = i + target.count - source.count
            strides[axis] = source[i] == 1 ? 0 : step
            step *= source[i]
        }
        return strides
    }
}

/// Normalizes a possibly negative axis against a rank, as ONNX axes allow.
func normalizedAxis(_ axis: Int, rank: Int) -> Int? {
    let a = axis < 0 ? axis + rank : axis
    return (0..<max(rank, 1)).contains(a) ? a : nil
}
