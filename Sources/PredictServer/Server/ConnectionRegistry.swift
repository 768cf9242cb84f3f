import NIOConcurrencyHelpers
import NIOCore

/// The server's open connections, so a drain can reach each one on its event loop.
final class ConnectionRegistry: Sendable {
    private struct Entry: Sendable {
        var channel: any Channel
        var handler: NIOLoopBound<ConnectionHandler>
    }

    private let entries = NIOLockedValueBox<[ObjectIdentifier: Entry]>([:])

    /// Tracks `channel` until it closes. Call on the channel's event loop.
    func add(_ channel: any Channel, handler: ConnectionHandler) {
        let id = ObjectIdentifier(channel)
        entries.withLockedValue { $0[id] = Entry(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop)) }
        channel.closeFuture.whenComplete { [entries] _ in
            entries.withLockedValue { _ = $0.removeValue(forKey: id) }
        }
    }

    var count: Int { entries.withLockedValue { $0.count } }

    /// Sends every connection GoAway(OK); each closes after its last Result (rule 8). Returns
    /// the futures of their closing.
    func drainAll() -> [EventLoopFuture<Void>] {
        let current = entries.withLockedValue { Array($0.values) }
        return current.map { entry in
            entry.channel.eventLoop.execute { entry.handler.value.drain() }
            return entry.channel.closeFuture
        }
    }

    /// Answers every call still in flight UNAVAILABLE and closes each connection, for a drain
    /// that ran out of time. Returns the futures of their closing.
    func abortAll() -> [EventLoopFuture<Void>] {
        let current = entries.withLockedValue { Array($0.values) }
        return current.map { entry in
            entry.channel.eventLoop.execute { entry.handler.value.drainTimedOut() }
            return entry.channel.closeFuture
        }
    }

    /// Closes every connection now, the last resort when even `abortAll` did not finish.
    func closeAll() {
        let current = entries.withLockedValue { Array($0.values) }
        for entry in current { entry.channel.close(promise: nil) }
    }
}
