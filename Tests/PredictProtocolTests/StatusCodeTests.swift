import PredictProtocol
import Testing

@Suite struct StatusCodeTests {
    @Test func numbersAndNamesAreProtocolMdsTable() {
        let table: [(UInt32, String)] = [
            (0, "OK"), (1, "CANCELLED"), (3, "INVALID_ARGUMENT"), (4, "DEADLINE_EXCEEDED"),
            (5, "NOT_FOUND"), (7, "PERMISSION_DENIED"), (8, "RESOURCE_EXHAUSTED"),
            (12, "UNIMPLEMENTED"), (13, "INTERNAL"), (14, "UNAVAILABLE"), (16, "UNAUTHENTICATED"),
        ]
        #expect(StatusCode.allCases.map { ($0.rawValue, $0.name) }.elementsEqual(table) { $0 == $1 })
    }

    @Test func protocolErrorMapsToAWireStatus() {
        let error = ProtocolError(.resourceExhausted, "frame of 9 bytes exceeds the limit of 8")
        #expect(error.status.code == 8)
        #expect(error.status.message == "frame of 9 bytes exceeds the limit of 8")
        #expect(error.status.statusCode == .resourceExhausted)
        #expect(error.description == "RESOURCE_EXHAUSTED: frame of 9 bytes exceeds the limit of 8")
    }

    @Test func aCodeTheProtocolDoesNotUseIsNil() {
        var status = Predict_V1_Status()
        status.code = 2
        #expect(status.statusCode == nil)
        #expect(Predict_V1_Status.ok.statusCode == .ok)
    }

    @Test func defaultsAreTheDocumentedOnes() {
        #expect(ProtocolLimits.default.maxFrameBytes == 4 * 1024 * 1024)
        #expect(ProtocolLimits.default.maxConcurrentCalls == 1024)
        #expect(WireProtocol.version == 1)
        #expect(WireProtocol.alpnProtocol == "predict/1")
    }
}
