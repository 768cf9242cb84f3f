// The cost of authenticating a call: a first verification (RS256, ES256), a cached one, and
// the connection-token path. Release build: bench/auth/run.sh.
import Crypto
import _CryptoExtras
import Foundation
import PredictAuth

let audience = "https://predict.example.com"
let issuer = "https://accounts.google.com"
let now = Date()

func base64URL(_ data: some DataProtocol) -> String {
    Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
}

/// A Google-shaped identity token (about 900 bytes) signed by `sign`.
func token(alg: String, kid: String, sign: (Data) throws -> Data) throws -> String {
    let header = base64URL(Data("{\"alg\":\"\(alg)\",\"kid\":\"\(kid)\",\"typ\":\"JWT\"}".utf8))
    let iat = Int(now.timeIntervalSince1970) - 60
    let claims = """
        {"aud":"\(audience)","azp":"1234567890-abcdefghijklmnopqrstuvwxyz.apps.googleusercontent.com",\
        "email":"svc-caller@my-project.iam.gserviceaccount.com","email_verified":true,"exp":\(iat + 3600),\
        "iat":\(iat),"iss":"\(issuer)","sub":"112233445566778899001"}
        """
    let signingInput = header + "." + base64URL(Data(claims.utf8))
    return signingInput + "." + base64URL(try sign(Data(signingInput.utf8)))
}

let rsaKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
let ecKey = P256.Signing.PrivateKey()
let keys = KeySet(keys: [
    try VerificationKey(keyID: "rsa", rs256: rsaKey.publicKey),
    VerificationKey(keyID: "ec", es256: ecKey.publicKey),
])
let rs256 = try token(alg: "RS256", kid: "rsa") { try rsaKey.signature(for: $0, padding: .insecurePKCS1v1_5).rawRepresentation }
let es256 = try token(alg: "ES256", kid: "ec") { try ecKey.signature(for: $0).rawRepresentation }
let policy = VerificationPolicy(issuers: [issuer], audiences: [audience])
let verifier = TokenVerifier(policy: policy)

/// Median of `rounds` timings of `iterations` calls, in microseconds per call.
func measure(_ name: String, iterations: Int, rounds: Int = 7, _ body: () -> Bool) -> Double {
    var perCall: [Double] = []
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { precondition(body(), "\(name) failed") }
        perCall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations) / 1000)
    }
    let median = perCall.sorted()[rounds / 2]
    print(String(format: "%-44@ %9.3f µs/call  (token %d bytes)", name as NSString, median, name.contains("RS256") ? rs256.utf8.count : es256.utf8.count))
    return median
}

let rsFirst = measure("RS256 first verification", iterations: 500) {
    if case .success = verifier.verify(rs256, keys: keys, now: now) { true } else { false }
}
let esFirst = measure("ES256 first verification", iterations: 500) {
    if case .success = verifier.verify(es256, keys: keys, now: now) { true } else { false }
}
let authenticator = Authenticator(policy: policy, keys: { keys }, now: { now })
let bearer = "Bearer " + rs256
guard case .success(let identity) = authenticator.authenticate(authorization: bearer) else { fatalError("no identity") }
let cached = measure("RS256 cached (per-call token: SHA-256 + lookup)", iterations: 200_000) {
    if case .success = authenticator.authenticate(authorization: bearer) { true } else { false }
}
var recent = RecentToken()
recent.remember(bearer, as: identity)
let sameConnection = measure("RS256 per-call token again on one connection", iterations: 2_000_000) {
    recent.identity(for: bearer, authenticator: authenticator) != nil
}
let connection = measure("connection token (expiry check)", iterations: 2_000_000) {
    authenticator.isStillValid(identity)
}
print(String(format: "ratios: RS256 first/cached %.0fx, ES256 first/cached %.0fx", rsFirst / cached, esFirst / cached))
