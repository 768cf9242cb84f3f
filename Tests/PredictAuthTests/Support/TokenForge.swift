import Crypto
import Foundation
import PredictAuth
import _CryptoExtras

/// A JSON value for forged headers and claims, written as a literal in tests.
enum JSONLiteral: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case strings([String])
    /// Inserted as is: for numbers as strings, nested values, anything odd.
    case raw(String)

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(floatLiteral value: Double) { self = .double(value) }

    var json: String {
        switch self {
        case .string(let value): Self.quoted(value)
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .strings(let values): "[" + values.map(Self.quoted).joined(separator: ",") + "]"
        case .raw(let text): text
        }
    }

    static func quoted(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case _ where scalar.value < 0x20: text += String(format: "\\u%04x", scalar.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}

/// An ordered JSON object that may repeat member names, as attackers write them.
struct JSONMembers: ExpressibleByDictionaryLiteral {
    var pairs: [(String, JSONLiteral)]

    init(dictionaryLiteral elements: (String, JSONLiteral)...) {
        pairs = elements
    }

    /// These members with `name` set to `value` (replacing it in place), or removed when nil.
    func setting(_ name: String, _ value: JSONLiteral?) -> JSONMembers {
        var copy = self
        if let value {
            if let index = copy.pairs.firstIndex(where: { $0.0 == name }) {
                copy.pairs[index].1 = value
            } else {
                copy.pairs.append((name, value))
            }
        } else {
            copy.pairs.removeAll { $0.0 == name }
        }
        return copy
    }

    /// These members with one more `name`, even if it is there already.
    func appending(_ name: String, _ value: JSONLiteral) -> JSONMembers {
        var copy = self
        copy.pairs.append((name, value))
        return copy
    }

    var json: String {
        "{" + pairs.map { JSONLiteral.quoted($0.0) + ":" + $0.1.json }.joined(separator: ",") + "}"
    }
}

/// How a forged token is signed.
enum Signer {
    case rs256(_RSA.Signing.PrivateKey)
    case ps256(_RSA.Signing.PrivateKey)
    case es256(P256.Signing.PrivateKey)
    /// HMAC-SHA-256/384/512 with `secret`: the key-confusion attack.
    case hs256([UInt8]), hs384([UInt8]), hs512([UInt8])
    /// Exactly these signature bytes.
    case raw([UInt8])

    func signature(over input: [UInt8]) -> [UInt8] {
        switch self {
        case .rs256(let key):
            Array(try! key.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation)
        case .ps256(let key):
            Array(try! key.signature(for: SHA256.hash(data: input), padding: .PSS).rawRepresentation)
        case .es256(let key):
            Array(try! key.signature(for: SHA256.hash(data: input)).rawRepresentation)
        case .hs256(let secret):
            Array(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: secret)))
        case .hs384(let secret):
            Array(HMAC<SHA384>.authenticationCode(for: input, using: SymmetricKey(data: secret)))
        case .hs512(let secret):
            Array(HMAC<SHA512>.authenticationCode(for: input, using: SymmetricKey(data: secret)))
        case .raw(let bytes):
            bytes
        }
    }
}

/// Builds tokens with arbitrary headers, claims and signatures.
enum TokenForge {
    /// A token of raw header and claims bytes (which need not be JSON or UTF-8).
    static func token(headerBytes: [UInt8], claimsBytes: [UInt8], signer: Signer) -> String {
        let input = Base64URLText.encode(headerBytes) + "." + Base64URLText.encode(claimsBytes)
        return input + "." + Base64URLText.encode(signer.signature(over: Array(input.utf8)))
    }

    static func token(headerJSON: String, claimsJSON: String, signer: Signer) -> String {
        token(headerBytes: Array(headerJSON.utf8), claimsBytes: Array(claimsJSON.utf8), signer: signer)
    }

    static func token(header: JSONMembers, claims: JSONMembers = Fixture.claims, signer: Signer) -> String {
        token(headerJSON: header.json, claimsJSON: claims.json, signer: signer)
    }

    /// The header a legitimate issuer writes for `alg` and `kid`.
    static func header(_ alg: String, kid: String) -> JSONMembers {
        ["alg": .string(alg), "kid": .string(kid), "typ": "JWT"]
    }

    /// A token the trusted key of `algorithm` signs properly, with `claims`.
    static func valid(_ algorithm: SignatureAlgorithm, claims: JSONMembers = Fixture.claims) -> String {
        switch algorithm {
        case .rs256: token(header: header("RS256", kid: TestKeys.rsaKeyID), claims: claims, signer: .rs256(TestKeys.rsa))
        case .ps256: token(header: header("PS256", kid: TestKeys.pssKeyID), claims: claims, signer: .ps256(TestKeys.pss))
        case .es256: token(header: header("ES256", kid: TestKeys.ecKeyID), claims: claims, signer: .es256(TestKeys.ec))
        }
    }

    /// A properly signed ES256 token with `claims`.
    static func es256(_ claims: JSONMembers) -> String {
        valid(.es256, claims: claims)
    }

    /// `token`'s three segments.
    static func segments(_ token: String) -> [Substring] {
        token.split(separator: ".", omittingEmptySubsequences: false)
    }

    /// `token` with its signature bytes replaced by `transform` of them.
    static func replacingSignature(of token: String, _ transform: ([UInt8]) -> [UInt8]) -> String {
        let parts = segments(token)
        return parts[0] + "." + parts[1] + "." + Base64URLText.encode(transform(Base64URLText.decode(parts[2])))
    }
}
