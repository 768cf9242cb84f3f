/// What the first bytes of a connection say about the client's TLS ClientHello, read before
/// the TLS library sees them.
///
/// BoringSSL, as swift-nio-ssl configures it, carries on without ALPN when the client offers
/// only protocols the server does not speak; PROTOCOL.md wants such a client refused in the
/// handshake. This reads the ALPN extension (RFC 7301) from the ClientHello so the server can
/// answer it with a `no_application_protocol` alert. Anything it cannot read with certainty
/// (not a handshake record, a ClientHello spread over several records) is left to the TLS
/// library, which refuses what is not TLS.
enum ClientHelloInspection: Equatable, Sendable {
    /// The ClientHello is not complete in the bytes so far.
    case needMoreBytes
    /// The bytes are not a ClientHello this inspection can read; let TLS decide.
    case notInspectable
    /// The ClientHello offers no ALPN extension.
    case noALPN
    /// The protocols the ClientHello offers, in its order.
    case offers([String])

    /// TLS record type of handshake messages.
    static let handshakeRecordType: UInt8 = 22
    /// Handshake message type of a ClientHello.
    static let clientHelloType: UInt8 = 1
    /// TLS extension number of ALPN.
    static let alpnExtensionType: UInt16 = 16
    /// The largest TLS plaintext record (2^14) plus its 5-byte header.
    static let maximumRecordBytes = 16_384 + 5

    /// Inspects the first bytes a client sent.
    static func inspect(_ bytes: some Collection<UInt8>) -> ClientHelloInspection {
        var reader = ByteReader(Array(bytes.prefix(maximumRecordBytes)))
        guard let recordType = reader.u8() else { return .needMoreBytes }
        guard recordType == handshakeRecordType else { return .notInspectable }
        guard reader.skip(2), let recordLength = reader.u16() else { return .needMoreBytes }
        guard Int(recordLength) <= maximumRecordBytes - 5 else { return .notInspectable }
        guard var record = reader.take(Int(recordLength)) else { return .needMoreBytes }
        guard let messageType = record.u8(), messageType == clientHelloType,
              let messageLength = record.u24()
        else { return .notInspectable }
        // A ClientHello longer than its record continues in the next one: rare, not worth
        // reassembling here.
        guard var hello = record.take(messageLength) else { return .notInspectable }
        guard hello.skip(2 + 32),                                   // version, random
              let sessionIDLength = hello.u8(), hello.skip(Int(sessionIDLength)),
              let cipherSuitesLength = hello.u16(), hello.skip(Int(cipherSuitesLength)),
              let compressionLength = hello.u8(), hello.skip(Int(compressionLength))
        else { return .notInspectable }
        guard let extensionsLength = hello.u16() else { return .noALPN }
        guard var extensions = hello.take(Int(extensionsLength)) else { return .notInspectable }
        while !extensions.isAtEnd {
            guard let type = extensions.u16(), let length = extensions.u16(),
                  var body = extensions.take(Int(length))
            else { return .notInspectable }
            guard type == alpnExtensionType else { continue }
            guard let listLength = body.u16(), var list = body.take(Int(listLength)) else { return .notInspectable }
            var protocols: [String] = []
            while !list.isAtEnd {
                guard let nameLength = list.u8(), let name = list.take(Int(nameLength)) else { return .notInspectable }
                protocols.append(String(decoding: name.remaining, as: UTF8.self))
            }
            return .offers(protocols)
        }
        return .noALPN
    }
}

/// Big-endian reads over a byte array that fail (return nil) instead of trapping.
private struct ByteReader {
    private let bytes: [UInt8]
    private var index: Int
    private let end: Int

    init(_ bytes: [UInt8]) { self.init(bytes, from: 0, to: bytes.count) }

    private init(_ bytes: [UInt8], from start: Int, to end: Int) {
        self.bytes = bytes
        self.index = start
        self.end = end
    }

    var isAtEnd: Bool { index >= end }
    var remaining: ArraySlice<UInt8> { bytes[index..<end] }

    mutating func skip(_ count: Int) -> Bool {
        guard count <= end - index else { return false }
        index += count
        return true
    }

    mutating func u8() -> UInt8? {
        guard index < end else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func u16() -> UInt16? {
        guard let high = u8(), let low = u8() else { return nil }
        return UInt16(high) << 8 | UInt16(low)
    }

    mutating func u24() -> Int? {
        guard let high = u8(), let rest = u16() else { return nil }
        return Int(high) << 16 | Int(rest)
    }

    /// The next `count` bytes as their own reader, or nil when fewer remain.
    mutating func take(_ count: Int) -> ByteReader? {
        guard count <= end - index else { return nil }
        defer { index += count }
        return ByteReader(bytes, from: index, to: index + count)
    }
}
