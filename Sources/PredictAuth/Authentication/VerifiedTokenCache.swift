import Crypto
import Foundation
import Synchronization

/// Tokens already verified, keyed by their SHA-256 so the cache never holds a token, each kept
/// until its own expiry. A service calls with the same token for up to an hour, so a repeat
/// costs a hash and a dictionary hit instead of a signature check (PERFORMANCE.md).
///
/// Bounded: when full, expired entries go first, then an arbitrary half, so a flood of distinct
/// valid tokens costs re-verification, never unbounded memory.
final class VerifiedTokenCache: Sendable {
    private struct Key: Hashable {
        var high: UInt64, low: UInt64, more: UInt64, last: UInt64
    }

    private struct Entry {
        var identity: VerifiedIdentity
        /// Seconds since 1970 after which the entry is no good (the token's exp plus leeway).
        var validUntil: Double
    }

    let capacity: Int
    private let entries = Mutex<[Key: Entry]>([:])

    init(capacity: Int = 4096) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    /// The identity of `token` if it was verified and has not expired at `now`.
    func identity(for token: Substring, now: Double) -> VerifiedIdentity? {
        let key = Self.key(token)
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard now <= entry.validUntil else {
                entries[key] = nil
                return nil
            }
            return entry.identity
        }
    }

    func store(_ identity: VerifiedIdentity, for token: Substring, validUntil: Double, now: Double) {
        let key = Self.key(token)
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.validUntil >= now }
                if entries.count >= capacity {
                    var dropped = 0
                    for key in entries.keys where dropped < capacity / 2 {
                        entries[key] = nil
                        dropped += 1
                    }
                }
            }
            entries[key] = Entry(identity: identity, validUntil: validUntil)
        }
    }

    var count: Int { entries.withLock { $0.count } }

    private static func key(_ token: Substring) -> Key {
        var hasher = SHA256()
        var token = token
        token.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        let digest = hasher.finalize()
        return digest.withUnsafeBytes { bytes in
            Key(high: bytes.load(fromByteOffset: 0, as: UInt64.self), low: bytes.load(fromByteOffset: 8, as: UInt64.self),
                more: bytes.load(fromByteOffset: 16, as: UInt64.self), last: bytes.load(fromByteOffset: 24, as: UInt64.self))
        }
    }
}
