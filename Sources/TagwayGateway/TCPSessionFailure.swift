import Foundation
import NIOCore
import NIOPosix
import TagwaySessions

/// A TCP connect or read error as the session machine counts it: one stable kind per thing an
/// operator would do differently (fix the address, check the reader is on, check the network),
/// with the reader's address in the text.
enum TCPSessionFailure {
    static func failure(_ error: any Error, connecting address: TCPAddress) -> SessionFailure {
        let (kind, what) = classify(error)
        return SessionFailure(kind: kind, description: "\(address): \(what)")
    }

    /// The kind (`connection-refused`, `connect-timeout`, `connection-reset`, `host-unknown`,
    /// `io`) and what happened, in words.
    static func classify(_ error: any Error) -> (kind: String, what: String) {
        switch error {
        case let error as NIOConnectionError:
            // Happy eyeballs: no address at all means the name did not resolve; otherwise the
            // first address's failure says it (they rarely differ).
            guard let first = error.connectionErrors.first else {
                let dns = error.dnsAError ?? error.dnsAAAAError
                return ("host-unknown", "the host name does not resolve" + (dns.map { " (\($0))" } ?? ""))
            }
            return classify(first.error)
        case ChannelError.connectTimeout(let amount):
            return ("connect-timeout", "no answer to the connect within \(amount.nanoseconds / 1_000_000) ms")
        case ChannelError.eof, ChannelError.ioOnClosedChannel, ChannelError.alreadyClosed:
            return ("connection-reset", "the connection was closed")
        case let error as SocketAddressError.UnknownHost:
            return ("host-unknown", "the host name does not resolve (\(error.errorDescription))")
        case let error as SocketAddressError:
            return ("host-unknown", "\(error)")
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED: return ("connection-refused", "connection refused (is the reader on, is the port right?)")
            case ECONNRESET, EPIPE: return ("connection-reset", "connection reset by the reader")
            case ETIMEDOUT: return ("connect-timeout", "the connection timed out")
            default: return ("io", "\(error)")
            }
        default:
            return ("io", "\(error)")
        }
    }
}
