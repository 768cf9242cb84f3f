/// A compact JWS (RFC 7515 §7.1) split into its three segments and decoded, not yet trusted.
struct CompactToken {
    /// The decoded header JSON.
    let header: [UInt8]
    /// The decoded claims JSON.
    let payload: [UInt8]
    /// The decoded signature.
    let signature: [UInt8]
    /// `header.payload` exactly as received: what the signature covers.
    let signingInput: ArraySlice<UInt8>

    /// Splits `token` into exactly three non-empty segments and decodes each as strict
    /// base64url; throws `.malformed` otherwise.
    init(_ token: String) throws(TokenRejection) {
        let bytes = Array(token.utf8)
        var dots: [Int] = []
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: ".") {
            dots.append(index)
            guard dots.count <= 2 else { break }
        }
        guard dots.count == 2 else {
            throw TokenRejection(.malformed, "token is not three dot-separated segments")
        }
        let headerText = bytes[..<dots[0]]
        let payloadText = bytes[(dots[0] + 1)..<dots[1]]
        let signatureText = bytes[(dots[1] + 1)...]
        guard !headerText.isEmpty, !payloadText.isEmpty else {
            throw TokenRejection(.malformed, "token has an empty segment")
        }
        guard !signatureText.isEmpty else {
            throw TokenRejection(.badSignature, "token has no signature")
        }
        guard let header = Base64URL.decode(headerText) else {
            throw TokenRejection(.malformed, "header is not strict base64url")
        }
        guard let payload = Base64URL.decode(payloadText) else {
            throw TokenRejection(.malformed, "claims are not strict base64url")
        }
        guard let signature = Base64URL.decode(signatureText) else {
            throw TokenRejection(.malformed, "signature is not strict base64url")
        }
        self.header = header
        self.payload = payload
        self.signature = signature
        self.signingInput = bytes[..<dots[1]]
    }
}
