import PredictClient
import PredictProtocol
import Testing

/// What `predict-client` prints, and how it exits.
@Suite struct OutputFormattingTests {
    static let prediction = Prediction(label: "0", confidence: 0.9816571, probabilities: [0.9816571, 0.0183429, 0], classLabels: ["0", "1", "2"])

    @Test func textIsLikeTheFastAPIServers() {
        #expect(PredictionFormatting.text(Self.prediction) == "prediction: 0  confidence: 0.982")
    }

    @Test func jsonHasPredictionConfidenceAndProbabilitiesByClass() {
        #expect(PredictionFormatting.json(Self.prediction)
            == #"{"prediction":"0","confidence":0.981657,"probabilities":{"0":0.981657,"1":0.018343,"2":0}}"#)
        let hard = Prediction(label: "say \"hi\"\n", confidence: 1, probabilities: [], classLabels: [])
        #expect(PredictionFormatting.json(hard) == #"{"prediction":"say \"hi\"\n","confidence":1}"#)
    }

    @Test func batchLinesCarryTheRowNumber() {
        #expect(PredictionFormatting.jsonLine(row: 12, Self.prediction) == #"{"row":12,"prediction":"0","confidence":0.981657}"#)
    }

    @Test func jsonNumbersAreFiniteOrNull() {
        #expect(PredictionFormatting.jsonNumber(0.5) == "0.5")
        #expect(PredictionFormatting.jsonNumber(-0.0) == "0")
        #expect(PredictionFormatting.jsonNumber(.nan) == "null")
        #expect(PredictionFormatting.jsonNumber(.infinity) == "null")
    }

    @Test func exitCodeIsTheStatusCodeNumber() {
        let expected: [StatusCode: Int32] = [
            .cancelled: 1, .invalidArgument: 3, .deadlineExceeded: 4, .notFound: 5, .permissionDenied: 7,
            .resourceExhausted: 8, .unimplemented: 12, .internalError: 13, .unavailable: 14, .unauthenticated: 16,
        ]
        for (code, exit) in expected {
            #expect(PredictClientError(code, "x").exitCode == exit)
        }
    }

    @Test func serverAddressParsesHostsPortsAndBracketedIPv6() throws {
        #expect(try ServerAddress(parsing: "localhost:8443") == ServerAddress(host: "localhost", port: 8443))
        #expect(try ServerAddress(parsing: "127.0.0.1:1") == ServerAddress(host: "127.0.0.1", port: 1))
        #expect(try ServerAddress(parsing: "[::1]:8443") == ServerAddress(host: "::1", port: 8443))
        #expect(ServerAddress(host: "::1", port: 8443).description == "[::1]:8443")
        for bad in ["localhost", "localhost:", ":8443", "host:0", "host:70000", "::1:8443", "[::1]8443"] {
            #expect(throws: PredictClientError.self, "\(bad)") { try ServerAddress(parsing: bad) }
        }
    }
}
