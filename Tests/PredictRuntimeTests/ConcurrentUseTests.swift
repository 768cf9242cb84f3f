import Foundation
import Synchronization
import Testing
@testable import PredictRuntime

/// One loaded model is shared by every worker: concurrent calls on it give each caller exactly
/// the results it would get alone.
@Suite struct ConcurrentUseTests {
    @Test(arguments: ["random_forest_classifier", "lightgbm_multiclass_nan", "mlp_classifier", "svc_rbf_iris_proba", "column_transformer"])
    func concurrentCallsGiveTheSameResultsAsSequentialOnes(_ name: String) throws {
        let fixture = try #require(Fixture.exporterModels.first { $0.name == name })
        let model = try InferenceModel(contentsOf: fixture.modelURL)
        let inputs = fixture.inputs()
        let expected = try model.run(inputs)
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<25 {
                let outputs = try? model.run(inputs)
                if outputs != expected { mismatches.withLock { $0 += 1 } }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}
