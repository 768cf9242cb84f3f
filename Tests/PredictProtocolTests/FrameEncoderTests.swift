import NIOCore
import NIOEmbedded
import PredictProtocol
import Testing

@Suite struct FrameEncoderTests {
    @Test func everyFrameKindSurvivesARoundTrip() throws {
        for frame in FrameFixtures.all {
            var buffer = try ByteBuffer(frame: frame)
            let decoded = try FrameDecoder.decodeFrame(from: &buffer, maxFrameBytes: ProtocolLimits.defaultMaxFrameBytes)
            #expect(decoded == frame)
            #expect(buffer.readableBytes == 0)
        }
    }

    @Test func prefixCarriesZeroFlagsAndThePayloadLengthBigEndian() throws {
        let frame = FrameFixtures.inferCall
        let buffer = try ByteBuffer(frame: frame)
        let payload: [UInt8] = try frame.serializedBytes()
        #expect(buffer.getInteger(at: 0, as: UInt8.self) == 0)
        #expect(buffer.getInteger(at: 1, as: UInt32.self) == UInt32(payload.count))
        #expect(buffer.getBytes(at: 5, length: payload.count) == payload)
        #expect(buffer.readableBytes == 5 + payload.count)
    }

    @Test func writeFrameAppendsFramesBackToBack() throws {
        var buffer = ByteBuffer(bytes: [0xAA])
        let written = try buffer.writeFrame(FrameFixtures.ping) + buffer.writeFrame(FrameFixtures.pong)
        #expect(written == buffer.readableBytes - 1)
        buffer.moveReaderIndex(forwardBy: 1)
        let limit = ProtocolLimits.defaultMaxFrameBytes
        #expect(try FrameDecoder.decodeFrame(from: &buffer, maxFrameBytes: limit) == FrameFixtures.ping)
        #expect(try FrameDecoder.decodeFrame(from: &buffer, maxFrameBytes: limit) == FrameFixtures.pong)
        #expect(try FrameDecoder.decodeFrame(from: &buffer, maxFrameBytes: limit) == nil)
    }

    @Test func encoderHandlerAndDecoderHandlerTalkToEachOther() throws {
        let client = EmbeddedChannel()
        try client.pipeline.syncOperations.addHandler(MessageToByteHandler(FrameEncoder()))
        let server = EmbeddedChannel()
        try server.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder()))
        for frame in FrameFixtures.all {
            try client.writeOutbound(frame)
        }
        while let bytes = try client.readOutbound(as: ByteBuffer.self) {
            try server.writeInbound(bytes)
        }
        for frame in FrameFixtures.all {
            #expect(try server.readInbound(as: Predict_V1_Frame.self) == frame)
        }
        #expect(try client.finish().isClean)
        #expect(try server.finish().isClean)
    }

    @Test func anEmptyFrameEncodesButIsRefusedByTheDecoder() throws {
        // A Frame with nothing set serializes to zero bytes: a protocol error on arrival, so
        // senders always set a kind.
        var buffer = try ByteBuffer(frame: Predict_V1_Frame())
        #expect(Array(buffer.readableBytesView) == [0, 0, 0, 0, 0])
        #expect(throws: ProtocolError.self) {
            try FrameDecoder.decodeFrame(from: &buffer, maxFrameBytes: 16)
        }
    }
}
