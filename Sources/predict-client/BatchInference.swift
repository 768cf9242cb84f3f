import PredictClient

/// Sends many rows as batches of `batchSize`, `concurrency` in flight at once, and hands the
/// answers on in input order however the batches finish.
struct BatchInference {
    let client: PredictClient
    let model: String
    let version: String
    let rows: [[Float]]
    let batchSize: Int
    let concurrency: Int

    /// Calls `deliver(firstRow, predictions)` batch after batch, in order. The first failure
    /// cancels the batches still in flight and is thrown.
    func run(deliver: (Int, [Prediction]) -> Void) async throws(PredictClientError) {
        let starts = Array(stride(from: 0, to: rows.count, by: batchSize))
        let outcome: Result<Void, PredictClientError> = await withTaskGroup(of: (Int, Result<[Prediction], PredictClientError>).self) { group in
            var nextToStart = 0
            var nextToDeliver = 0
            var finished: [Int: [Prediction]] = [:]
            func startNext() {
                guard nextToStart < starts.count else { return }
                let index = nextToStart
                nextToStart += 1
                let batch = Array(rows[starts[index]..<min(starts[index] + batchSize, rows.count)])
                group.addTask { [client, model, version] in
                    do throws(PredictClientError) {
                        return (index, .success(try await client.infer(model: model, version: version, rows: batch)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for _ in 0..<concurrency { startNext() }
            while let (index, result) = await group.next() {
                switch result {
                case .failure(let error):
                    group.cancelAll()
                    return .failure(error)
                case .success(let predictions):
                    finished[index] = predictions
                }
                while let predictions = finished.removeValue(forKey: nextToDeliver) {
                    deliver(starts[nextToDeliver], predictions)
                    nextToDeliver += 1
                }
                startNext()
            }
            return .success(())
        }
        try outcome.get()
    }
}
