/// Evaluation and output writing for one computation type. A class, so a call retains it once.
final class TreeEnsemblePipeline<T: TreeScalar>: Sendable {
    private enum Finish: Sendable {
        case classifier(TreeClassificationFinalizer<T>, ClassLabels)
        case regressor(TreeRegressionFinalizer<T>, sameTypeOutput: Bool)
    }

    private let evaluator: TreeEnsembleEvaluator<T>
    private let finish: Finish
    private let targets: Int

    init(_ context: NodeContext, _ definition: TreeEnsembleDefinition, _ role: TreeEnsembleKernel.Role) throws {
        let layout = try TreeEnsembleLayout<T>(definition, context, tileRows: TreeEnsembleEvaluator<T>.tileRows)
        evaluator = TreeEnsembleEvaluator(layout: layout, definition: definition)
        targets = definition.targetCount
        switch role {
        case .classifier(let facts): finish = .classifier(TreeClassificationFinalizer(definition, facts), facts.labels)
        case .regressor: finish = .regressor(TreeRegressionFinalizer(definition), sameTypeOutput: false)
        case .ensemble: finish = .regressor(TreeRegressionFinalizer(definition), sameTypeOutput: true)
        }
    }

    /// Runs on rows already in the computation type.
    func run(_ values: [T], rows: Int, stride: Int) throws -> [Tensor] {
        try run(values, rows: rows, stride: stride) { $0 }
    }

    /// Runs on integer rows, converted as onnxruntime compares an integer feature with a
    /// float32 threshold (rounded to the nearest float).
    func run<I: BinaryInteger>(converting values: [I], rows: Int, stride: Int) throws -> [Tensor] {
        try run(values, rows: rows, stride: stride) { T($0) }
    }

    private func run<S>(_ values: [S], rows: Int, stride: Int, convert: (S) -> T) throws -> [Tensor] {
        try values.withUnsafeBufferPointer { buffer in
            // Rows without features (trees that are single leaves) are never read.
            let source = buffer.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<S>.alignment)!
            return try run(rows: rows) { finish in
                try evaluator.evaluate(source, rowCount: rows, stride: stride, convert: convert, finish: finish)
            }
        }
    }

    private typealias TileFinish = (_ first: Int, _ count: Int, _ scores: UnsafeMutablePointer<T>, _ has: UnsafeMutablePointer<Bool>) throws -> Void

    private func run(rows: Int, evaluate: (TileFinish) throws -> Void) throws -> [Tensor] {
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(targets, 2))
        defer { scratch.deallocate() }
        let targets = self.targets
        switch finish {
        case .classifier(let finalizer, let labels):
            var probabilities = [Float](repeating: 0, count: rows * targets)
            // Integer labels are written as they are decided; string labels by index at the end.
            var codes = [Int64](repeating: 0, count: rows)
            let intLabels: [Int64]? = if case .int64(let values) = labels, !finalizer.labelIsRaw { values } else { nil }
            try probabilities.withUnsafeMutableBufferPointer { out in
                try codes.withUnsafeMutableBufferPointer { codes in
                    try evaluate { first, count, scores, has in
                        for r in 0..<count {
                            let code = try finalizer.finish(
                                scores: scores + r * targets, has: has + r * targets,
                                out: out.baseAddress! + (first + r) * targets, scratch: scratch, row: first + r)
                            codes[first + r] = intLabels?[code] ?? Int64(code)
                        }
                    }
                }
            }
            let label: Tensor
            switch labels {
            case .int64: label = Tensor(shape: [rows], int64s: codes)
            case .string(let values): label = Tensor(shape: [rows], strings: codes.map { values[Int($0)] })
            }
            return [label, Tensor(shape: [rows, targets], floats: probabilities)]

        case .regressor(let finalizer, let sameType):
            if sameType && T.self == Double.self {
                return [Tensor(shape: [rows, targets], doubles: try regress(finalizer, Double.self, rows: rows, scratch: scratch, evaluate: evaluate))]
            }
            return [Tensor(shape: [rows, targets], floats: try regress(finalizer, Float.self, rows: rows, scratch: scratch, evaluate: evaluate))]
        }
    }

    private func regress<O: BinaryFloatingPoint>(
        _ finalizer: TreeRegressionFinalizer<T>, _: O.Type, rows: Int, scratch: UnsafeMutablePointer<Float>,
        evaluate: (TileFinish) throws -> Void
    ) throws -> [O] {
        let targets = self.targets
        var values = [O](repeating: 0, count: rows * targets)
        try values.withUnsafeMutableBufferPointer { out in
            try evaluate { first, count, scores, has in
                for r in 0..<count {
                    finalizer.finish(scores: scores + r * targets, has: has + r * targets, out: out.baseAddress! + (first + r) * targets, scratch: scratch)
                }
            }
        }
        return values
    }
}
