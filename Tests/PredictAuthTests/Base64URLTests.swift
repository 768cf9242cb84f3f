import Foundation
@testable import PredictAuth
import Testing

/// Base64url is decoded strictly: one accepted spelling per byte string.
@Suite struct Base64URLTests {
    @Test func everyLengthRoundTripsAndMatchesFoundation() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Base64URL.encode(bytes)
            #expect(encoded == Base64URLText.encode(bytes))
            #expect(Base64URL.decode(encoded) == bytes)
        }
    }

    @Test func everyByteValueRoundTrips() {
        let bytes = (0...255).map { UInt8($0) }
        #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
    }

    @Test(arguments: ["QQ==", "QQ=", "QUI=", "Q+==", "a+b/", "ab+c", "ab/c", "QU I", " QUI", "QUI\n", "QUI.", "Q", "QUJDR", "QUJD\u{0}", "QUé", "QUJ%"])
    func nonCanonicalTextIsRefused(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }

    @Test func unusedTrailingBitsMustBeZero() {
        #expect(Base64URL.decode("QQ") == [0x41])
        #expect(Base64URL.decode("QR") == nil)
        #expect(Base64URL.decode("QUI") == [0x41, 0x42])
        #expect(Base64URL.decode("QUJ") == nil)
    }

    @Test func theURLSafeCharactersDecode() {
        #expect(Base64URL.decode("-_-_") == [0xFB, 0xFF, 0xBF])
        #expect(Base64URL.decode("") == [])
    }
}
