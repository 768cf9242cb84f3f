/// Base64url without padding (RFC 7515 §2), the encoding of every part of a compact JWS and of
/// JWK numbers.
///
/// Decoding is strict on purpose: Foundation's decoder skips or tolerates characters a JWS must
/// not contain, which would let one token have many spellings. Only `A-Z a-z 0-9 - _` are
/// accepted, no padding, a length that is not 1 mod 4, and unused trailing bits that are zero,
/// so each byte string has exactly one accepted encoding.
enum Base64URL {
    /// The bytes `text` encodes, or nil when it is not canonical unpadded base64url.
    static func decode(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.count % 4 != 1 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count * 3 / 4)
        var pending: UInt32 = 0
        var pendingBits = 0
        for character in text {
            guard let sextet = sextet(of: character) else { return nil }
            pending = pending << 6 | UInt32(sextet)
            pendingBits += 6
            if pendingBits >= 8 {
                pendingBits -= 8
                bytes.append(UInt8(truncatingIfNeeded: pending >> UInt32(pendingBits)))
                pending &= (1 << UInt32(pendingBits)) - 1
            }
        }
        // Non-zero leftover bits would give a second spelling of the same bytes.
        guard pending == 0 else { return nil }
        return bytes
    }

    /// The bytes `text` encodes, or nil when it is not canonical unpadded base64url.
    static func decode(_ text: String) -> [UInt8]? {
        decode(ArraySlice(text.utf8))
    }

    /// `bytes` as unpadded base64url.
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count * 4 + 2) / 3)
        var pending: UInt32 = 0
        var pendingBits = 0
        for byte in bytes {
            pending = pending << 8 | UInt32(byte)
            pendingBits += 8
            while pendingBits >= 6 {
                pendingBits -= 6
                text.append(alphabet[Int((pending >> UInt32(pendingBits)) & 0x3F)])
            }
            pending &= (1 << UInt32(pendingBits)) - 1
        }
        if pendingBits > 0 {
            text.append(alphabet[Int((pending << UInt32(6 - pendingBits)) & 0x3F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    private static func sextet(of character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
