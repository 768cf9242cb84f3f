import Foundation
import Testing
import PredictProtocol
@testable import PredictRuntime
@testable import PredictServer
@testable import PredictServing

/// The Open Inference Protocol tensor rules (OPEN_INFERENCE_PROTOCOL.md) on the conversions
/// between OIP messages and the runtime's tensors, without a server.
@Suite struct InferenceConversionTests {
    typealias Input = Inference_ModelInferRequest.InferInputTensor

    static let outputs = [
        TensorInfo(name: "label", elementType: .string, shape: [.dynamic(name: "N")], classLabels: .string(["setosa", "versi,color", "vir\"ginica"])),
        TensorInfo(name: "probabilities", elementType: .float32, shape: [.dynamic(name: "N"), .fixed(3)], classLabels: .int64([0, 1, 2])),
        TensorInfo(name: "score", elementType: .float64, shape: nil),
    ]

    /// One tensor of every datatype the runtime has, with awkward values.
    static let everyDatatype: [Tensor] = [
        Tensor(shape: [2, 3], floats: [1.5, -0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude]),
        Tensor(shape: [3], doubles: [.pi, -1e300, .leastNormalMagnitude]),
        Tensor(shape: [2, 2], int64s: [.min, .max, 0, -1]),
        Tensor(shape: [4], int32s: [.min, .max, 0, -7]),
        Tensor(shape: [2, 2], strings: ["a", "", "héllo, wörld", "🌱\u{0}x"]),
        Tensor(shape: [3], bools: [true, false, true]),
        Tensor(shape: [0, 4], floats: []),
        Tensor(shape: [], int64s: [42]),
    ]

    static func input(_ name: String, _ datatype: String, _ shape: [Int64], _ fill: (inout Inference_InferTensorContents) -> Void = { _ in }) -> Input {
        var input = Input()
        input.name = name
        input.datatype = datatype
        input.shape = shape
        var contents = Inference_InferTensorContents()
        fill(&contents)
        input.contents = contents
        return input
    }

    static func rawInput(_ name: String, _ datatype: String, _ shape: [Int64]) -> Input {
        var input = Input()
        input.name = name
        input.datatype = datatype
        input.shape = shape
        return input
    }

    static func request(_ inputs: [Input], raw: [Data] = [], outputs: [String] = [], id: String = "") -> Inference_ModelInferRequest {
        var request = Inference_ModelInferRequest()
        request.modelName = "iris"
        request.id = id
        request.inputs = inputs
        request.rawInputContents = raw
        request.outputs = outputs.map { name in
            var output = Inference_ModelInferRequest.InferRequestedOutputTensor()
            output.name = name
            return output
        }
        return request
    }

    /// The typed input a client would send for `tensor`.
    static func typedInput(_ name: String, _ tensor: Tensor) -> Input {
        var input = rawInput(name, tensor.elementType.rawValue, tensor.shape.map { Int64($0) })
        input.contents = InferResponseEncoder.typedContents(tensor.storage)
        return input
    }

    static func decode(_ request: Inference_ModelInferRequest, maxElements: Int = InferRequestDecoder.defaultMaxElements) throws(ServingError) -> DecodedInferRequest {
        try InferRequestDecoder(maxElements: maxElements).decode(request, modelOutputs: outputs)
    }

    /// The decoder's error for `request`, which must be INVALID_ARGUMENT unless `code` says otherwise.
    static func rejection(_ request: Inference_ModelInferRequest, code: ServingError.Code = .invalidArgument, maxElements: Int = InferRequestDecoder.defaultMaxElements) -> String {
        do {
            _ = try decode(request, maxElements: maxElements)
            Issue.record("request was accepted")
            return ""
        } catch {
            #expect(error.code == code)
            return error.message
        }
    }

    static func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> Data {
        var data = Data()
        for v in values { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func response(_ outputs: [(String, Tensor)], version: Int = 7) -> InferenceResponse {
        InferenceResponse(model: "iris", version: version, outputs: outputs.map { (name: $0.0, tensor: $0.1) })
    }

    // MARK: Round trips

    @Test(arguments: everyDatatype)
    func typedContentsRoundTripEveryDatatype(_ tensor: Tensor) throws {
        let decoded = try Self.decode(Self.request([Self.typedInput("x", tensor)]))
        #expect(decoded.inputs["x"] == tensor)
        #expect(decoded.reply.usesRawContents == false)

        let message = try InferResponseEncoder(modelOutputs: Self.outputs).encode(Self.response([("y", tensor)]), reply: decoded.reply)
        #expect(message.rawOutputContents.isEmpty)
        let output = try #require(message.outputs.first)
        #expect(output.name == "y" && output.datatype == tensor.elementType.rawValue && output.shape == tensor.shape.map { Int64($0) })
        // What the server sends decodes, as a client's request, to the same tensor.
        #expect(try Self.decode(Self.request([Self.typedInput("y", tensor)])).inputs["y"] == tensor)
        var echoed = Self.rawInput("y", output.datatype, output.shape)
        echoed.contents = output.contents
        #expect(try Self.decode(Self.request([echoed])).inputs["y"] == tensor)
    }

    @Test(arguments: everyDatatype)
    func rawContentsRoundTripEveryDatatype(_ tensor: Tensor) throws {
        let bytes = RawTensorBytes.encode(tensor.storage)
        let request = Self.request([Self.rawInput("x", tensor.elementType.rawValue, tensor.shape.map { Int64($0) })], raw: [bytes])
        let decoded = try Self.decode(request)
        #expect(decoded.inputs["x"] == tensor)
        #expect(decoded.reply.usesRawContents)

        let message = try InferResponseEncoder(modelOutputs: Self.outputs).encode(Self.response([("y", tensor)]), reply: decoded.reply)
        #expect(message.rawOutputContents == [bytes])
        #expect(message.outputs.count == 1 && !message.outputs[0].hasContents)
    }

    @Test func rawFixedSizeElementsAreLittleEndian() throws {
        let floats = Self.littleEndian([Float(1.5).bitPattern, Float(-2).bitPattern])
        let ints = Self.littleEndian([Int32(1), Int32(-2)])
        let longs = Self.littleEndian([Int64(1) << 40])
        let doubles = Self.littleEndian([Double(0.25).bitPattern])
        let bools = Data([1, 0, 1])
        let decoded = try Self.decode(Self.request([
            Self.rawInput("f", "FP32", [2]), Self.rawInput("i", "INT32", [1, 2]), Self.rawInput("l", "INT64", [1]),
            Self.rawInput("d", "FP64", [1]), Self.rawInput("b", "BOOL", [3]),
        ], raw: [floats, ints, longs, doubles, bools]))
        #expect(decoded.inputs["f"] == Tensor(shape: [2], floats: [1.5, -2]))
        #expect(decoded.inputs["i"] == Tensor(shape: [1, 2], int32s: [1, -2]))
        #expect(decoded.inputs["l"] == Tensor(shape: [1], int64s: [1 << 40]))
        #expect(decoded.inputs["d"] == Tensor(shape: [1], doubles: [0.25]))
        #expect(decoded.inputs["b"] == Tensor(shape: [3], bools: [true, false, true]))
    }

    @Test func rawBytesElementsAreLengthPrefixed() throws {
        let strings = ["a", "", "héllo"]
        var expected = Data([1, 0, 0, 0]) + Data("a".utf8)
        expected += Data([0, 0, 0, 0])
        expected += Data([6, 0, 0, 0]) + Data("héllo".utf8)
        #expect(RawTensorBytes.encode(strings) == expected)
        let decoded = try Self.decode(Self.request([Self.rawInput("s", "BYTES", [3])], raw: [expected]))
        #expect(decoded.inputs["s"] == Tensor(shape: [3], strings: strings))
    }

    @Test func rawContentsAtAnOddAddressDecode() throws {
        let values: [Double] = [1, -2.5, .pi, 1e-300]
        // A slice starting one byte in: its storage is not 8-byte aligned.
        let padded = Data([0xAA]) + RawTensorBytes.encode(values)
        let slice = padded[padded.startIndex + 1 ..< padded.endIndex]
        let decoded = try Self.decode(Self.request([Self.rawInput("x", "FP64", [2, 2])], raw: [slice]))
        #expect(decoded.inputs["x"]?.doubles == values)

        let longs = Data([0xAA, 0xBB, 0xCC]) + Self.littleEndian([Int64(-5), 9])
        let decodedLongs = try Self.decode(Self.request([Self.rawInput("x", "INT64", [2])], raw: [longs.dropFirst(3)]))
        #expect(decodedLongs.inputs["x"]?.int64s == [-5, 9])
    }

    @Test func notANumberIsAcceptedInFloatingPointInputs() throws {
        let typed = try Self.decode(Self.request([Self.input("x", "FP32", [2]) { $0.fp32Contents = [.nan, 1] }]))
        #expect(typed.inputs["x"]?.floats?[0].isNaN == true)
        let raw = try Self.decode(Self.request([Self.rawInput("x", "FP64", [1])], raw: [RawTensorBytes.encode([Double.nan])]))
        #expect(raw.inputs["x"]?.doubles?[0].isNaN == true)
    }

    @Test func aZeroElementTensorNeedsNoContents() throws {
        let decoded = try Self.decode(Self.request([Self.rawInput("x", "FP32", [0, 4])]))
        #expect(decoded.inputs["x"] == Tensor(shape: [0, 4], floats: []))
    }

    @Test func severalInputsDecodeByName() throws {
        let decoded = try Self.decode(Self.request([
            Self.input("a", "FP32", [1, 2]) { $0.fp32Contents = [1, 2] },
            Self.input("b", "BYTES", [1]) { $0.bytesContents = [Data("z".utf8)] },
        ]))
        #expect(decoded.inputs.count == 2)
        #expect(decoded.inputs["a"]?.floats == [1, 2])
        #expect(decoded.inputs["b"]?.strings == ["z"])
    }

    // MARK: Datatypes

    @Test(arguments: ["INT8", "INT16", "UINT8", "UINT16", "UINT32", "UINT64", "FP16", "BF16"])
    func protocolDatatypesTheRuntimeLacksAreInvalidArgument(_ datatype: String) {
        let message = Self.rejection(Self.request([Self.input("x", datatype, [1]) { $0.intContents = [1] }]))
        #expect(message == "input 'x': datatype \(datatype) is not supported by this server; supported: FP32, FP64, INT64, INT32, BYTES, BOOL")
    }

    @Test func anUnknownDatatypeIsInvalidArgument() {
        let message = Self.rejection(Self.request([Self.input("x", "FLOAT", [1]) { $0.fp32Contents = [1] }]))
        #expect(message == "input 'x': unknown datatype 'FLOAT'; supported: FP32, FP64, INT64, INT32, BYTES, BOOL")
    }

    @Test func elementsInTheWrongContentsFieldAreInvalidArgument() {
        let message = Self.rejection(Self.request([Self.input("x", "FP32", [2]) { $0.fp64Contents = [1, 2] }]))
        #expect(message == "input 'x' has datatype FP32 but carries fp64_contents; FP32 elements go in fp32_contents")
        let int64 = Self.rejection(Self.request([Self.input("n", "INT64", [1]) { $0.intContents = [1] }]))
        #expect(int64 == "input 'n' has datatype INT64 but carries int_contents; INT64 elements go in int64_contents")
    }

    @Test func invalidUTF8InBytesIsInvalidArgument() {
        let typed = Self.rejection(Self.request([Self.input("s", "BYTES", [2]) { $0.bytesContents = [Data("ok".utf8), Data([0xC3, 0x28])] }]))
        #expect(typed == "input 's': element 1 is not valid UTF-8; BYTES tensors carry UTF-8 text")
        let raw = Self.rejection(Self.request([Self.rawInput("s", "BYTES", [1])], raw: [Data([2, 0, 0, 0, 0xFF, 0xFE])]))
        #expect(raw == "input 's': element 0 is not valid UTF-8; BYTES tensors carry UTF-8 text")
    }

    // MARK: Shapes and counts

    @Test func typedElementCountMustMatchTheShape() {
        let message = Self.rejection(Self.request([Self.input("x", "FP32", [2, 3]) { $0.fp32Contents = [1, 2, 3, 4, 5] }]))
        #expect(message == "input 'x' has shape [2, 3] (6 elements) but fp32_contents holds 5")
        let missing = Self.rejection(Self.request([Self.rawInput("b", "BOOL", [1])]))
        #expect(missing == "input 'b' has shape [1] (1 element) but bool_contents holds 0")
    }

    @Test func rawByteCountMustMatchTheShape() {
        let message = Self.rejection(Self.request([Self.rawInput("x", "FP32", [2, 3])], raw: [Data(count: 20)]))
        #expect(message == "input 'x' has shape [2, 3] of FP32 (6 × 4 = 24 bytes) but raw_input_contents[0] holds 20 bytes")
    }

    @Test func negativeDimensionsAreInvalidArgument() {
        let message = Self.rejection(Self.request([Self.input("x", "FP32", [-1, 4]) { $0.fp32Contents = [1, 2, 3, 4] }]))
        #expect(message == "input 'x' has shape [-1, 4]; dimensions must be 0 or more")
    }

    @Test func aShapeWhoseElementCountOverflowsIsInvalidArgument() {
        let message = Self.rejection(Self.request([Self.input("x", "FP32", [1 << 40, 1 << 40]) { $0.fp32Contents = [1] }]))
        #expect(message == "input 'x' has shape [1099511627776, 1099511627776], whose element count does not fit in 64 bits")
    }

    @Test func duplicateInputNamesAreInvalidArgument() {
        let message = Self.rejection(Self.request([
            Self.input("x", "FP32", [1]) { $0.fp32Contents = [1] },
            Self.input("x", "FP32", [1]) { $0.fp32Contents = [2] },
        ]))
        #expect(message == "input 'x' appears more than once; each input is sent once")
    }

    @Test func anInputWithoutANameIsInvalidArgument() {
        let message = Self.rejection(Self.request([Self.input("", "FP32", [1]) { $0.fp32Contents = [1] }]))
        #expect(message == "input 0 has no name")
    }

    @Test func theElementLimitIsResourceExhausted() throws {
        let a = Self.input("a", "FP32", [2, 3]) { $0.fp32Contents = [1, 2, 3, 4, 5, 6] }
        let b = Self.rawInput("b", "FP32", [1, 5])
        let raw = [RawTensorBytes.encode([Float](repeating: 0, count: 6)), RawTensorBytes.encode([Float](repeating: 0, count: 5))]
        var rawA = a
        rawA.clearContents()
        _ = try Self.decode(Self.request([rawA, b], raw: raw), maxElements: 11)
        let message = Self.rejection(Self.request([rawA, b], raw: raw), code: .resourceExhausted, maxElements: 10)
        #expect(message == "input 'b' with shape [1, 5] (5 elements) takes the request past this server's limit of 10 elements per request")
        // A huge shape is refused before anything of its size is allocated.
        let huge = Self.rejection(Self.request([Self.rawInput("h", "BOOL", [1 << 20, 1 << 20])]), code: .resourceExhausted)
        #expect(huge == "input 'h' with shape [1048576, 1048576] (1099511627776 elements) takes the request past this server's limit of 67108864 elements per request")
        // The count is checked without adding it to the others, so a count near Int.max cannot overflow.
        let nearMax = Self.rejection(Self.request([rawA, Self.rawInput("m", "BOOL", [Int64.max])], raw: [raw[0], Data()]), code: .resourceExhausted)
        #expect(nearMax.hasPrefix("input 'm' with shape [9223372036854775807]"))
    }

    // MARK: Raw form

    @Test func mixingRawAndTypedContentsIsInvalidArgument() {
        let message = Self.rejection(Self.request([
            Self.rawInput("a", "FP32", [1]),
            Self.input("b", "FP32", [1]) { $0.fp32Contents = [1] },
        ], raw: [RawTensorBytes.encode([Float(1)])]))
        #expect(message == "input 'b' carries contents but the request also has raw_input_contents; a request carries all its inputs in one form")
    }

    @Test func rawContentsNeedOneEntryPerInput() {
        let message = Self.rejection(Self.request([
            Self.rawInput("a", "FP32", [1]), Self.rawInput("b", "FP32", [1]),
        ], raw: [RawTensorBytes.encode([Float(1)])]))
        #expect(message == "raw_input_contents has 1 entries but the request has 2 inputs; send one entry per input, in the same order")
    }

    @Test func malformedRawBytesElementsAreInvalidArgument() {
        func rejection(_ bytes: [UInt8], count: Int64) -> String {
            Self.rejection(Self.request([Self.rawInput("s", "BYTES", [count])], raw: [Data(bytes)]))
        }
        #expect(rejection([1, 0, 0, 0, 0x61, 2, 0], count: 2)
            == "input 's': raw_input_contents[0] ends at byte 7 inside the length of element 1 of 2; each BYTES element is a 4-byte little-endian length followed by that many bytes")
        #expect(rejection([5, 0, 0, 0, 0x61], count: 1)
            == "input 's': element 0 in raw_input_contents[0] declares 5 bytes but only 1 remain; each BYTES element is a 4-byte little-endian length followed by that many bytes")
        #expect(rejection([1, 0, 0, 0, 0x61, 0x62], count: 1)
            == "input 's': raw_input_contents[0] has 1 bytes left after the 1 elements of its shape; each BYTES element is a 4-byte little-endian length followed by that many bytes")
    }

    @Test func rawBoolBytesMustBeZeroOrOne() {
        let message = Self.rejection(Self.request([Self.rawInput("b", "BOOL", [3])], raw: [Data([1, 0, 2])]))
        #expect(message == "input 'b': byte 2 of raw_input_contents[0] is 2; raw BOOL elements are one byte, 0 or 1")
    }

    // MARK: Requested outputs and the response

    @Test func requestedOutputsSelectAndOrderTheResponse() throws {
        let decoded = try Self.decode(Self.request([Self.input("x", "FP32", [1]) { $0.fp32Contents = [1] }], outputs: ["probabilities", "label"], id: "req-9"))
        #expect(decoded.reply == InferReplyForm(id: "req-9", requestedOutputs: ["probabilities", "label"], usesRawContents: false))
        let response = Self.response([
            ("label", Tensor(shape: [1], strings: ["setosa"])),
            ("probabilities", Tensor(shape: [1, 3], floats: [0.9, 0.05, 0.05])),
            ("score", Tensor(shape: [1], doubles: [0.5])),
        ], version: 3)
        let message = try InferResponseEncoder(modelOutputs: Self.outputs).encode(response, reply: decoded.reply)
        #expect(message.modelName == "iris" && message.modelVersion == "3" && message.id == "req-9")
        #expect(message.outputs.map(\.name) == ["probabilities", "label"])
        #expect(message.outputs[0].contents.fp32Contents == [0.9, 0.05, 0.05])
        #expect(message.outputs[1].contents.bytesContents == [Data("setosa".utf8)])

        let all = try InferResponseEncoder(modelOutputs: Self.outputs).encode(response, reply: InferReplyForm())
        #expect(all.outputs.map(\.name) == ["label", "probabilities", "score"])
    }

    @Test func anUnknownRequestedOutputIsInvalidArgument() {
        let message = Self.rejection(Self.request([Self.input("x", "FP32", [1]) { $0.fp32Contents = [1] }], outputs: ["label", "logits"]))
        #expect(message == "requested output 'logits' is not an output of model 'iris'; its outputs are 'label', 'probabilities', 'score'")
        let twice = Self.rejection(Self.request([], outputs: ["label", "label"]))
        #expect(twice == "output 'label' is requested more than once")
    }

    @Test func theResponseIsRawExactlyWhenTheRequestWas() throws {
        let probabilities = Tensor(shape: [1, 3], floats: [0.25, 0.5, 0.25])
        let response = Self.response([("label", Tensor(shape: [1], strings: ["versi,color"])), ("probabilities", probabilities)])
        let encoder = InferResponseEncoder(modelOutputs: Self.outputs)

        let raw = try Self.decode(Self.request([Self.rawInput("x", "FP32", [1])], raw: [RawTensorBytes.encode([Float(1)])]))
        let rawMessage = try encoder.encode(response, reply: raw.reply)
        #expect(rawMessage.rawOutputContents == [RawTensorBytes.encode(["versi,color"]), RawTensorBytes.encode([Float](probabilities.floats!))])
        #expect(rawMessage.outputs.allSatisfy { !$0.hasContents })

        let typed = try Self.decode(Self.request([Self.input("x", "FP32", [1]) { $0.fp32Contents = [1] }]))
        let typedMessage = try encoder.encode(response, reply: typed.reply)
        #expect(typedMessage.rawOutputContents.isEmpty)
        #expect(typedMessage.outputs[1].contents.fp32Contents == [0.25, 0.5, 0.25])
    }

    @Test func classLabelsTravelAsAJSONArrayParameter() throws {
        let response = Self.response([
            ("label", Tensor(shape: [1], strings: ["setosa"])),
            ("probabilities", Tensor(shape: [1, 3], floats: [1, 0, 0])),
            ("score", Tensor(shape: [1], doubles: [1])),
        ])
        let message = try InferResponseEncoder(modelOutputs: Self.outputs).encode(response, reply: InferReplyForm())
        let stringLabels = try #require(message.outputs[0].parameters["class_labels"]?.stringParam)
        #expect(stringLabels == #"["setosa","versi,color","vir\"ginica"]"#)
        #expect(try JSONDecoder().decode([String].self, from: Data(stringLabels.utf8)) == ["setosa", "versi,color", "vir\"ginica"])
        #expect(message.outputs[1].parameters["class_labels"]?.stringParam == "[0,1,2]")
        #expect(message.outputs[2].parameters.isEmpty)
    }

    @Test func labelTextWithControlCharactersIsValidJSON() throws {
        let labels = ["tab\there", "back\\slash", "bell\u{7}", "new\nline", "ünï🌱"]
        let text = ClassLabelsParameter.jsonText(.string(labels))
        #expect(try JSONDecoder().decode([String].self, from: Data(text.utf8)) == labels)
        #expect(ClassLabelsParameter.jsonText(.int64([-3, Int64.max])) == "[-3,9223372036854775807]")
    }

    @Test func anOutputTheModelDidNotProduceIsInternal() {
        let reply = InferReplyForm(requestedOutputs: ["score"])
        #expect(throws: ServingError(.internalError, "model 'iris' version 7 did not produce output 'score'")) {
            try InferResponseEncoder(modelOutputs: Self.outputs).encode(Self.response([]), reply: reply)
        }
    }

    // MARK: Metadata

    @Test func metadataSpellsDynamicDimensionsAsMinusOne() {
        let metadata = ModelMetadata(
            name: "iris", version: 2, readyVersions: [1, 2, 10], platform: "onnx_onnxv1",
            inputs: [TensorInfo(name: "float_input", elementType: .float32, shape: [.dynamic(name: "N"), .fixed(4)])],
            outputs: [
                TensorInfo(name: "label", elementType: .int64, shape: [.dynamic(name: nil)]),
                TensorInfo(name: "unknown", elementType: .bool, shape: nil),
            ])
        let message = ModelMetadataEncoder.encode(metadata)
        #expect(message.name == "iris" && message.versions == ["1", "2", "10"] && message.platform == "onnx_onnxv1")
        #expect(message.inputs.map(\.name) == ["float_input"])
        #expect(message.inputs[0].datatype == "FP32" && message.inputs[0].shape == [-1, 4])
        #expect(message.outputs.map(\.datatype) == ["INT64", "BOOL"])
        #expect(message.outputs[0].shape == [-1])
        #expect(message.outputs[1].shape == [])
    }
}
