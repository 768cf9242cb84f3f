// predict-runtime-bench: times PredictRuntime on ONNX models, single thread, at several batch
// sizes, with batches cycling through a file of distinct rows (so tree models cannot be
// flattered by a branch predictor that has learned one batch). Prints one JSON line per
// (model, batch), in the same form as bench/runtime/ort_bench.py, for bench/runtime/run.sh.
//
// Usage: predict-runtime-bench DIR [--seconds S] [--models a,b] [--batches 1,64,1024]
// DIR holds MODEL.onnx files and rows.f32 (row-major little-endian float32, 30 per row).
import Foundation
import PredictRuntime

struct Options {
    var directory = ""
    var seconds = 1.0
    var models = ["logreg", "forest", "lightgbm", "xgboost", "mlp"]
    var batches = [1, 64, 1024]

    init(_ arguments: [String]) {
        var args = arguments.dropFirst().makeIterator()
        while let a = args.next() {
            switch a {
            case "--seconds": seconds = Double(args.next() ?? "") ?? seconds
            case "--models": models = (args.next() ?? "").split(separator: ",").map(String.init)
            case "--batches": batches = (args.next() ?? "").split(separator: ",").compactMap { Int($0) }
            default: directory = a
            }
        }
    }
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Writes one result line unbuffered, so a pipe sees each as it is measured.
func emit(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let options = Options(CommandLine.arguments)
guard !options.directory.isEmpty else {
    FileHandle.standardError.write(Data("usage: predict-runtime-bench DIR [--seconds S] [--models a,b] [--batches 1,64]\n".utf8))
    exit(2)
}
let dir = URL(fileURLWithPath: options.directory)
let rowData = try Data(contentsOf: dir.appendingPathComponent("rows.f32"))
let allValues: [Float] = rowData.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }

for name in options.models {
    let model = try InferenceModel(contentsOf: dir.appendingPathComponent("\(name).onnx"))
    let input = model.inputs[0]
    guard case .fixed(let features)? = input.shape?.last else { fatalError("\(name): input '\(input.name)' has no fixed feature count") }
    let rowCount = allValues.count / features
    for batch in options.batches {
        // Precomputed batches walking through the distinct rows, wrapping at the end.
        let batchCount = max(1, rowCount / batch)
        let inputs: [Tensor] = (0..<batchCount).map { b in
            let values = (0..<(batch * features)).map { allValues[((b * batch * features) + $0) % allValues.count] }
            return Tensor(shape: [batch, features], floats: values)
        }
        for i in 0..<min(inputs.count * 2, 64) { _ = try model.run([inputs[i % inputs.count]]) }  // warm-up
        // Repeat timed rounds; report the median round's time per batch.
        var perBatch: [Double] = []
        let deadline = now() + UInt64(options.seconds * 1e9)
        repeat {
            let calls = max(1, 2048 / batch)
            let start = now()
            for i in 0..<calls { _ = try model.run([inputs[i % inputs.count]]) }
            perBatch.append(Double(now() - start) / 1000 / Double(calls))
        } while now() < deadline || perBatch.count < 5
        perBatch.sort()
        let median = perBatch[perBatch.count / 2]
        emit(#"{"engine":"predict","model":"\#(name)","batch":\#(batch),"us_per_batch":\#(String(format: "%.3f", median)),"us_per_row":\#(String(format: "%.4f", median / Double(batch)))}"#)

    }
}
