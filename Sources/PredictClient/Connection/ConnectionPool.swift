import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The client's connections: up to `size`, opened when a call first needs one, replaced once
/// they stop taking calls (GoAway, closed, failed to connect), handed out round-robin.
final class ConnectionPool: Sendable {
    private let settings: Result<ConnectionSettings, PredictClientError>
    private let size: Int
    private let group: any EventLoopGroup
    private let state: NIOLockedValueBox<State>

    private struct State {
        var slots: [ClientConnection?]
        /// Connections replaced in their slot that still finish calls; kept for `close`.
        var retiring: [ObjectIdentifier: ClientConnection] = [:]
        var next = 0
        var isClosed = false
    }

    init(configuration: PredictClient.Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        // A bad CA file is reported by every call rather than by `init`, which cannot fail.
        settings = Result { () throws(PredictClientError) in try ConnectionSettings(configuration) }
        size = max(1, configuration.connectionCount)
        self.group = group
        state = NIOLockedValueBox(State(slots: Array(repeating: nil, count: size)))
    }

    /// A loop of the pool's group, for work that must not run on the caller's stack.
    var anyEventLoop: any EventLoop { group.any() }

    /// A connection that takes calls, opening one (whose Hello carries `token`) if needed.
    func connection(token: String?) throws(PredictClientError) -> ClientConnection {
        let settings = try settings.get()
        let picked = state.withLockedValue { state -> (connection: ClientConnection, isNew: Bool)? in
            guard !state.isClosed else { return nil }
            let index = state.next % size
            state.next &+= 1
            if let connection = state.slots[index], connection.takesCalls {
                return (connection, false)
            }
            if let old = state.slots[index] {
                state.retiring[ObjectIdentifier(old)] = old
            }
            let connection = ClientConnection.open(settings: settings, token: token, on: group.next())
            state.slots[index] = connection
            return (connection, true)
        }
        guard let (connection, isNew) = picked else {
            throw PredictClientError(.unavailable, "the client is closed")
        }
        if isNew {
            // Outside the lock: the callback runs at once if the connection already closed.
            connection.closed.whenComplete { _ in self.forget(connection) }
        }
        return connection
    }

    /// Takes no new calls, lets calls in flight finish, and closes every connection.
    func close() async {
        let connections = state.withLockedValue { state in
            state.isClosed = true
            return state.slots.compactMap { $0 } + Array(state.retiring.values)
        }
        for connection in connections {
            try? await connection.closeGracefully().get()
        }
    }

    /// Starts closing every connection without waiting, for a client dropped without `close`.
    func closeInBackground() {
        let connections = state.withLockedValue { state in
            state.isClosed = true
            return state.slots.compactMap { $0 } + Array(state.retiring.values)
        }
        for connection in connections {
            _ = connection.closeGracefully()
        }
    }

    private func forget(_ connection: ClientConnection) {
        state.withLockedValue { state in
            state.retiring[ObjectIdentifier(connection)] = nil
            if let index = state.slots.firstIndex(where: { $0 === connection }) {
                state.slots[index] = nil
            }
        }
    }
}
