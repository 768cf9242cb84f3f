import Foundation
import PredictProtocol
import PredictRuntime
import PredictServing

/// Turns an Open Inference Protocol `ModelInferRequest` into the runtime's tensors, applying
/// the protocol's tensor rules (OPEN_INFERENCE_PROTOCOL.md). Every violation is a
/// `ServingError` whose message names the tensor and says what was expected: INVALID_ARGUMENT
/// for malformed tensors, RESOURCE_EXHAUSTED past the element limit.
///
/// It checks the form of the tensors only; their names, datatypes and shapes against the
/// model's inputs are the serving core's to check.
struct InferRequestDecoder: Sendable {
    /// The most elements all inputs of one request may hold together. The frame size limit
    /// bounds the bytes; this bounds what they expand to (an empty BYTES element is a few bytes
    /// on the wire and a `String` in memory). Default `defaultMaxElements`.
    var maxElements: Int

    /// 64 Mi elements: 256 MiB of FP32, far above any batch a 4 MiB frame carries.
    static let defaultMaxElements = 64 * 1024 * 1024

    init(maxElements: Int = InferRequestDecoder.defaultMaxElements) {
        precondition(maxElements >= 0, "maxElements must not be negative")
        self.maxElements = maxElements
    }

    /// Decodes `request`. `modelOutputs` are the outputs of the model it addresses, against
    /// which requested output names are checked.
    func decode(_ request: Inference_ModelInferRequest, modelOutputs: [TensorInfo]) throws(ServingError) -> DecodedInferRequest {
        let requestedOutputs = try Self.requestedOutputs(request, modelOutputs: modelOutputs)
        let raw = !request.rawInputContents.isEmpty
        if raw {
            if let typed = request.inputs.firstIndex(where: { $0.hasContents && Self.populatedField($0.contents, except: nil) != nil }) {
                throw ServingError(.invalidArgument, "\(Self.label(request.inputs[typed], typed)) carries contents but the request also has raw_input_contents; a request carries all its inputs in one form")
            }
            guard request.rawInputContents.count == request.inputs.count else {
                throw ServingError(.invalidArgument, "raw_input_contents has \(request.rawInputContents.count) entries but the request has \(request.inputs.count) input\(request.inputs.count == 1 ? "" : "s"); send one entry per input, in the same order")
            }
        }

        var inputs = [String: Tensor](minimumCapacity: request.inputs.count)
        var total = 0
        for (index, input) in request.inputs.enumerated() {
            let tensor = Self.label(input, index)
            guard !input.name.isEmpty else { throw ServingError(.invalidArgument, "\(tensor) has no name") }
            guard inputs[input.name] == nil else { throw ServingError(.invalidArgument, "\(tensor) appears more than once; each input is sent once") }
            let type = try WireDatatype.elementType(input.datatype, tensor: tensor)
            let shape = try Self.shape(input.shape, tensor: tensor)
            let count = try Self.elementCount(shape, tensor: tensor)
            guard count <= maxElements - total else {
                throw ServingError(.resourceExhausted, "\(tensor) with shape \(shape) (\(count) element\(count == 1 ? "" : "s")) takes the request past this server's limit of \(maxElements) elements per request")
            }
            total += count
            let storage = raw
                ? try Self.rawStorage(request.rawInputContents[index], type: type, shape: shape, count: count, tensor: tensor, field: "raw_input_contents[\(index)]")
                : try Self.typedStorage(input, type: type, shape: shape, count: count, tensor: tensor)
            inputs[input.name] = Tensor(shape: shape, storage: storage)
        }
        return DecodedInferRequest(
            inputs: inputs,
            reply: InferReplyForm(id: request.id, requestedOutputs: requestedOutputs, usesRawContents: raw))
    }

    /// "input 'x'", or "input 3" for an input without a name.
    private static func label(_ input: Inference_ModelInferRequest.InferInputTensor, _ index: Int) -> String {
        input.name.isEmpty ? "input \(index)" : "input '\(input.name)'"
    }

    private static func requestedOutputs(_ request: Inference_ModelInferRequest, modelOutputs: [TensorInfo]) throws(ServingError) -> [String] {
        var names: [String] = []
        names.reserveCapacity(request.outputs.count)
        for output in request.outputs {
            guard modelOutputs.contains(where: { $0.name == output.name }) else {
                let known = modelOutputs.map { "'\($0.name)'" }.joined(separator: ", ")
                throw ServingError(.invalidArgument, "requested output '\(output.name)' is not an output of model '\(request.modelName)'; its outputs are \(known)")
            }
            guard !names.contains(output.name) else {
                throw ServingError(.invalidArgument, "output '\(output.name)' is requested more than once")
            }
            names.append(output.name)
        }
        return names
    }

    private static func shape(_ dims: [Int64], tensor: String) throws(ServingError) -> [Int] {
        guard dims.allSatisfy({ $0 >= 0 }) else {
            throw ServingError(.invalidArgument, "\(tensor) has shape \(dims); dimensions must be 0 or more")
        }
        // Int64 → Int is exact on the 64-bit platforms the server runs on.
        return dims.map { Int($0) }
    }

    private static func elementCount(_ shape: [Int], tensor: String) throws(ServingError) -> Int {
        if shape.contains(0) { return 0 }
        var count = 1
        for dim in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else {
                throw ServingError(.invalidArgument, "\(tensor) has shape \(shape), whose element count does not fit in 64 bits")
            }
            count = product
        }
        return count
    }

    // MARK: Typed contents

    /// The protobuf name of the first `contents` field other than `except` that holds elements.
    private static func populatedField(_ c: Inference_InferTensorContents, except: String?) -> String? {
        let fields: [(String, Bool)] = [
            ("bool_contents", !c.boolContents.isEmpty), ("int_contents", !c.intContents.isEmpty),
            ("int64_contents", !c.int64Contents.isEmpty), ("uint_contents", !c.uintContents.isEmpty),
            ("uint64_contents", !c.uint64Contents.isEmpty), ("fp32_contents", !c.fp32Contents.isEmpty),
            ("fp64_contents", !c.fp64Contents.isEmpty), ("bytes_contents", !c.bytesContents.isEmpty),
        ]
        return fields.first { $0.1 && $0.0 != except }?.0
    }

    /// The `contents` field that carries `type`.
    static func contentsField(_ type: ElementType) -> String {
        switch type {
        case .float32: "fp32_contents"
        case .float64: "fp64_contents"
        case .int64: "int64_contents"
        case .int32: "int_contents"
        case .string: "bytes_contents"
        case .bool: "bool_contents"
        }
    }

    /// Takes the typed contents over without copying them: the repeated fields already are
    /// Swift arrays of the runtime's element types (BYTES excepted, which become Strings).
    private static func typedStorage(
        _ input: Inference_ModelInferRequest.InferInputTensor, type: ElementType, shape: [Int], count: Int, tensor: String
    ) throws(ServingError) -> Tensor.Storage {
        let contents = input.contents
        let field = contentsField(type)
        if let stray = populatedField(contents, except: field) {
            throw ServingError(.invalidArgument, "\(tensor) has datatype \(type.rawValue) but carries \(stray); \(type.rawValue) elements go in \(field)")
        }
        let received = switch type {
        case .float32: contents.fp32Contents.count
        case .float64: contents.fp64Contents.count
        case .int64: contents.int64Contents.count
        case .int32: contents.intContents.count
        case .bool: contents.boolContents.count
        case .string: contents.bytesContents.count
        }
        guard received == count else {
            throw ServingError(.invalidArgument, "\(tensor) has shape \(shape) (\(count) element\(count == 1 ? "" : "s")) but \(field) holds \(received)")
        }
        switch type {
        case .float32: return .float32(contents.fp32Contents)
        case .float64: return .float64(contents.fp64Contents)
        case .int64: return .int64(contents.int64Contents)
        case .int32: return .int32(contents.intContents)
        case .bool: return .bool(contents.boolContents)
        case .string:
            var strings: [String] = []
            strings.reserveCapacity(count)
            for (element, bytes) in contents.bytesContents.enumerated() {
                guard let string = RawTensorBytes.utf8String(bytes) else {
                    throw ServingError(.invalidArgument, "\(tensor): element \(element) is not valid UTF-8; BYTES tensors carry UTF-8 text")
                }
                strings.append(string)
            }
            return .string(strings)
        }
    }

    // MARK: Raw contents

    private static func rawStorage(
        _ data: Data, type: ElementType, shape: [Int], count: Int, tensor: String, field: String
    ) throws(ServingError) -> Tensor.Storage {
        guard let size = RawTensorBytes.elementSize(type) else {
            return .string(try RawTensorBytes.decodeStrings(count: count, from: data, tensor: tensor, field: field))
        }
        let (expected, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, data.count == expected else {
            throw ServingError(.invalidArgument, "\(tensor) has shape \(shape) of \(type.rawValue) (\(count) × \(size) = \(expected) bytes) but \(field) holds \(data.count) bytes")
        }
        switch type {
        case .float32: return .float32(RawTensorBytes.decode(Float.self, count: count, from: data))
        case .float64: return .float64(RawTensorBytes.decode(Double.self, count: count, from: data))
        case .int64: return .int64(RawTensorBytes.decode(Int64.self, count: count, from: data))
        case .int32: return .int32(RawTensorBytes.decode(Int32.self, count: count, from: data))
        case .bool:
            switch RawTensorBytes.decodeBools(data) {
            case .success(let bools): return .bool(bools)
            case .failure(let bad):
                throw ServingError(.invalidArgument, "\(tensor): byte \(bad.offset) of \(field) is \(bad.value); raw BOOL elements are one byte, 0 or 1")
            }
        case .string: preconditionFailure("BYTES has no fixed element size")
        }
    }
}
