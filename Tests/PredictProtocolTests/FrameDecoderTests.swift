import NIOCore
import NIOEmbedded
import NIOTestUtils
import PredictProtocol
import Testing

@Suite struct FrameDecoderTests {
    func makeChannel(maxFrameBytes: Int = ProtocolLimits.defaultMaxFrameBytes) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(maxFrameBytes: maxFrameBytes)))
        return channel
    }

    func buffer(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }

    /// Writes `bytes` inbound and returns the error the decoder threw, if any.
    func protocolError(afterWriting bytes: [UInt8], maxFrameBytes: Int = ProtocolLimits.defaultMaxFrameBytes) throws -> ProtocolError? {
        let channel = try makeChannel(maxFrameBytes: maxFrameBytes)
        defer { _ = try? channel.finish() }
        do {
            try channel.writeInbound(buffer(bytes))
        } catch let error as ProtocolError {
            #expect(try channel.readInbound(as: Predict_V1_Frame.self) == nil)
            return error
        }
        return nil
    }

    @Test func frameSplitAtEveryByteBoundaryDecodesIdentically() throws {
        let frame = FrameFixtures.inferCall
        let bytes = try FrameFixtures.bytes(frame)
        for split in 0...bytes.count {
            let channel = try makeChannel()
            try channel.writeInbound(buffer(Array(bytes[..<split])))
            if split < bytes.count {
                #expect(try channel.readInbound(as: Predict_V1_Frame.self) == nil, "frame delivered after \(split) of \(bytes.count) bytes")
                try channel.writeInbound(buffer(Array(bytes[split...])))
            }
            #expect(try channel.readInbound(as: Predict_V1_Frame.self) == frame, "split at \(split)")
            #expect(try channel.finish().isClean)
        }
    }

    @Test func frameFedByteByByteDecodesOnceAtTheLastByte() throws {
        let frame = FrameFixtures.welcome
        let bytes = try FrameFixtures.bytes(frame)
        let channel = try makeChannel()
        for (index, byte) in bytes.enumerated() {
            try channel.writeInbound(buffer([byte]))
            let decoded = try channel.readInbound(as: Predict_V1_Frame.self)
            #expect(decoded == (index == bytes.count - 1 ? frame : nil))
        }
        #expect(try channel.finish().isClean)
    }

    @Test func verifierAcceptsTheDecoderForEveryFrameKind() throws {
        let pairs = try FrameFixtures.all.map { (buffer(try FrameFixtures.bytes($0)), [$0]) }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { FrameDecoder() }
    }

    @Test func severalFramesInOneReadAllDecodeInOrder() throws {
        let frames = FrameFixtures.all
        var bytes: [UInt8] = []
        for frame in frames { bytes += try FrameFixtures.bytes(frame) }
        let channel = try makeChannel()
        try channel.writeInbound(buffer(bytes))
        for frame in frames {
            #expect(try channel.readInbound(as: Predict_V1_Frame.self) == frame)
        }
        #expect(try channel.readInbound(as: Predict_V1_Frame.self) == nil)
        #expect(try channel.finish().isClean)
    }

    @Test func severalFramesAndAPartialOneDeliverTheWholeOnesFirst() throws {
        let first = try FrameFixtures.bytes(FrameFixtures.ping)
        let second = try FrameFixtures.bytes(FrameFixtures.inferResult)
        let channel = try makeChannel()
        try channel.writeInbound(buffer(first + second.prefix(7)))
        #expect(try channel.readInbound(as: Predict_V1_Frame.self) == FrameFixtures.ping)
        #expect(try channel.readInbound(as: Predict_V1_Frame.self) == nil)
        try channel.writeInbound(buffer(Array(second.dropFirst(7))))
        #expect(try channel.readInbound(as: Predict_V1_Frame.self) == FrameFixtures.inferResult)
        #expect(try channel.finish().isClean)
    }

    @Test func oversizeFrameIsRejectedFromItsPrefixAlone() throws {
        // Only the prefix, claiming 4 GiB - 1: the error comes before any payload is sent.
        let error = try protocolError(afterWriting: [0x00, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(error == ProtocolError(.resourceExhausted, "frame of 4294967295 bytes exceeds the limit of 4194304"))
    }

    @Test func frameOneByteOverAConfiguredLimitIsRejectedAndOneAtTheLimitIsAccepted() throws {
        let bytes = try FrameFixtures.bytes(FrameFixtures.inferCall)
        let payload = bytes.count - WireProtocol.framePrefixBytes
        let error = try protocolError(afterWriting: Array(bytes.prefix(5)), maxFrameBytes: payload - 1)
        #expect(error?.code == .resourceExhausted)
        #expect(error?.message == "frame of \(payload) bytes exceeds the limit of \(payload - 1)")

        let channel = try makeChannel(maxFrameBytes: payload)
        try channel.writeInbound(buffer(bytes))
        #expect(try channel.readInbound(as: Predict_V1_Frame.self) == FrameFixtures.inferCall)
        #expect(try channel.finish().isClean)
    }

    @Test(arguments: 0..<8)
    func eachSetFlagBitIsRejected(bit: Int) throws {
        var bytes = try FrameFixtures.bytes(FrameFixtures.ping)
        bytes[0] = UInt8(1) << UInt8(bit)
        let error = try protocolError(afterWriting: bytes)
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains(bit == 0 ? "compressed" : "reserved") == true)
    }

    @Test func flagsAreCheckedFromThePrefixBeforeThePayloadArrives() throws {
        let error = try protocolError(afterWriting: [0x80, 0x00, 0x00, 0x00, 0x04])
        #expect(error == ProtocolError(.invalidArgument, "reserved frame flag bits are set (flags 0x80)"))
    }

    @Test func emptyPayloadIsRejected() throws {
        let error = try protocolError(afterWriting: [0x00, 0x00, 0x00, 0x00, 0x00])
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("empty frame") == true)
    }

    @Test(arguments: [
        [0x0F] as [UInt8],                 // field 1 with wire type 7, which does not exist
        [0x08, 0xFF, 0xFF],                // call_id varint cut short
        [0x3A, 0x05, 0x08, 0x07],          // ping claims 5 bytes, 2 follow
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], // over-long varint tag
    ])
    func undecodablePayloadIsRejected(payload: [UInt8]) throws {
        let bytes = [0x00, 0x00, 0x00, 0x00, UInt8(payload.count)] + payload
        let error = try protocolError(afterWriting: bytes)
        #expect(error == ProtocolError(.invalidArgument, "frame payload of \(payload.count) bytes is not a predict.v1.Frame"))
    }

    @Test func handWrittenPingBytesProveTheWireNumbers() throws {
        // Frame.ping is field 7 (tag 0x3A = 7 << 3 | length-delimited), Ping.opaque field 1.
        let bytes: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x04, 0x3A, 0x02, 0x08, 0x07]
        let channel = try makeChannel()
        try channel.writeInbound(buffer(bytes))
        let frame = try #require(try channel.readInbound(as: Predict_V1_Frame.self))
        #expect(frame.callID == 0)
        #expect(frame.kind == .ping(.with { $0.opaque = 7 }))
        #expect(try channel.finish().isClean)
        #expect(try FrameFixtures.bytes(FrameFixtures.ping) == bytes)
    }

    @Test func handWrittenCallBytesProveTheWireNumbers() throws {
        // call_id 3 (field 1), call (field 4) with timeout_ms 5 (field 1) and
        // model_ready (field 12, tag 0x62) naming model "m" (field 1).
        let payload: [UInt8] = [0x08, 0x03, 0x22, 0x07, 0x08, 0x05, 0x62, 0x03, 0x0A, 0x01, 0x6D]
        let channel = try makeChannel()
        try channel.writeInbound(buffer([0, 0, 0, 0, UInt8(payload.count)] + payload))
        let frame = try #require(try channel.readInbound(as: Predict_V1_Frame.self))
        #expect(frame.callID == 3)
        #expect(frame.call.timeoutMs == 5)
        #expect(frame.call.request == .modelReady(.with { $0.name = "m" }))
        #expect(try channel.finish().isClean)
    }

    @Test func unknownFieldsAreKeptNotRejected() throws {
        // A request this version does not define (field 49 of Call, in the administration range)
        // from a newer client still decodes; the server answers it UNIMPLEMENTED rather than
        // dropping the connection.
        let payload: [UInt8] = [0x08, 0x01, 0x22, 0x03, 0x8A, 0x03, 0x00]
        let channel = try makeChannel()
        try channel.writeInbound(buffer([0, 0, 0, 0, UInt8(payload.count)] + payload))
        let frame = try #require(try channel.readInbound(as: Predict_V1_Frame.self))
        #expect(frame.callID == 1)
        #expect(frame.call.request == nil)
        #expect(try channel.finish().isClean)
    }
}
