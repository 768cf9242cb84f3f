import PredictProtocol
@testable import PredictServing
import Testing
@testable import PredictServer

@Suite struct ServerMappingTests {
    @Test(arguments: ServingError.Code.allCases)
    func everyServingErrorCodeMapsToTheWireStatusOfTheSameNameAndNumber(code: ServingError.Code) {
        let status = StatusCode(code)
        #expect(status.rawValue == code.rawValue)
        #expect(status.name == code.name)
    }

    @Test func theRepositoryIndexListsEveryVersionWithItsStateAndReason() {
        let models = [
            ModelStatus(name: "zeta", problem: "config.yaml: unknown key 'x'", versions: []),
            ModelStatus(name: "alpha", problem: nil, versions: [
                .init(number: 2, unavailableReason: "opset 99 is not supported"),
                .init(number: 1, unavailableReason: nil),
            ]),
        ]
        let all = RepositoryIndexEncoder.encode(models, readyOnly: false).models
        #expect(all.map { "\($0.name)/\($0.version)/\($0.state)" } == ["alpha/1/READY", "alpha/2/UNAVAILABLE", "zeta//UNAVAILABLE"])
        #expect(all[1].reason == "opset 99 is not supported")
        #expect(all[2].reason.contains("unknown key"))
        let ready = RepositoryIndexEncoder.encode(models, readyOnly: true).models
        #expect(ready.map { "\($0.name)/\($0.version)" } == ["alpha/1"])
    }
}
