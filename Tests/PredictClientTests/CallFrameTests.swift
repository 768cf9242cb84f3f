import NIOCore
import PredictProtocol
import Testing

@testable import PredictClient

/// A Call frame assembled on the loop decodes exactly as the Frame it stands for.
@Suite struct CallFrameTests {
    @Test(arguments: [UInt64(1), 127, 128, 300, 1 << 35, .max])
    func headerAndSerializedCallDecodeAsTheFrame(callID: UInt64) throws {
        var call = Predict_V1_Call()
        call.timeoutMs = 1500
        var request = Inference_ModelMetadataRequest()
        request.name = String(repeating: "m", count: 200)
        call.modelMetadata = request
        let serialized = try SerializedCall(call)

        var buffer = CallFrame.header(callID: callID, callBytes: serialized.bytes.readableBytes, allocator: ByteBufferAllocator())
        var payload = serialized.bytes
        buffer.writeBuffer(&payload)
        #expect(buffer.readableBytes == WireProtocol.framePrefixBytes + CallFrame.payloadBytes(callID: callID, callBytes: serialized.bytes.readableBytes))

        let frame = try #require(try FrameDecoder.decodeFrame(from: &buffer, maxFrameBytes: 1 << 20))
        #expect(frame.callID == callID)
        #expect(frame.call == call)
        #expect(buffer.readableBytes == 0)
    }

    @Test func emptyCallStillMakesACallFrame() throws {
        let serialized = try SerializedCall(Predict_V1_Call())
        var buffer = CallFrame.header(callID: 5, callBytes: serialized.bytes.readableBytes, allocator: ByteBufferAllocator())
        let frame = try #require(try FrameDecoder.decodeFrame(from: &buffer, maxFrameBytes: 100))
        guard case .call = frame.kind else {
            Issue.record("expected a Call, got \(String(describing: frame.kind))")
            return
        }
        #expect(frame.callID == 5)
    }
}
