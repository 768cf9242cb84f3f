import Testing
@testable import PredictServer

/// The ALPN guard's reading of a TLS ClientHello, on hand-built records.
@Suite struct ClientHelloInspectionTests {
    static func u16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] }
    static func u24(_ value: Int) -> [UInt8] { [UInt8(value >> 16 & 0xff)] + u16(value) }

    /// A ClientHello with the given extensions (type, body), framed in one handshake record.
    static func clientHello(extensions: [(UInt16, [UInt8])]?, recordLengthDelta: Int = 0) -> [UInt8] {
        var body: [UInt8] = [3, 3] + Array(repeating: 0xab, count: 32)  // version, random
        body += [32] + Array(repeating: 0x11, count: 32)                 // session id
        body += u16(4) + [0x13, 0x01, 0x13, 0x02]                         // cipher suites
        body += [1, 0]                                                    // compression: null
        if let extensions {
            let encoded = extensions.flatMap { u16(Int($0.0)) + u16($0.1.count) + $0.1 }
            body += u16(encoded.count) + encoded
        }
        let handshake = [UInt8(1)] + u24(body.count) + body
        return [22, 3, 1] + u16(handshake.count + recordLengthDelta) + handshake
    }

    static func alpn(_ protocols: [String]) -> (UInt16, [UInt8]) {
        let list = protocols.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
        return (16, u16(list.count) + list)
    }

    static let serverName: (UInt16, [UInt8]) = (0, u16(12) + [0] + u16(9) + Array("localhost".utf8))

    @Test func readsTheOfferedProtocolsInOrder() {
        let hello = Self.clientHello(extensions: [Self.serverName, Self.alpn(["h2", "predict/1"])])
        #expect(ClientHelloInspection.inspect(hello) == .offers(["h2", "predict/1"]))
    }

    @Test func aClientHelloWithoutALPNSaysSo() {
        #expect(ClientHelloInspection.inspect(Self.clientHello(extensions: [Self.serverName])) == .noALPN)
        #expect(ClientHelloInspection.inspect(Self.clientHello(extensions: nil)) == .noALPN)
    }

    @Test func everyProperPrefixNeedsMoreBytes() {
        let hello = Self.clientHello(extensions: [Self.alpn(["predict/1"])])
        for length in 0..<hello.count {
            #expect(ClientHelloInspection.inspect(hello.prefix(length)) == .needMoreBytes, "prefix \(length)")
        }
    }

    @Test func bytesThatAreNotAHandshakeRecordAreLeftToTLS() {
        #expect(ClientHelloInspection.inspect(Array("GET / HTTP/1.1\r\n".utf8)) == .notInspectable)
        #expect(ClientHelloInspection.inspect([0, 0, 0, 0, 5, 10, 3]) == .notInspectable)
    }

    @Test func aClientHelloLongerThanItsRecordIsLeftToTLS() {
        // The record claims 10 bytes fewer than the ClientHello needs: it continues in a second record.
        let hello = Self.clientHello(extensions: [Self.alpn(["h2"])], recordLengthDelta: -10)
        #expect(ClientHelloInspection.inspect(hello) == .notInspectable)
    }

    @Test func malformedExtensionLengthsAreLeftToTLS() {
        var hello = Self.clientHello(extensions: [Self.alpn(["h2"])])
        hello[hello.count - 5] = 0xff  // the ALPN list length now runs past the extension
        #expect(ClientHelloInspection.inspect(hello) == .notInspectable)
    }

    @Test func anOversizedRecordLengthIsLeftToTLS() {
        #expect(ClientHelloInspection.inspect([22, 3, 1, 0xff, 0xff, 1]) == .notInspectable)
    }
}
