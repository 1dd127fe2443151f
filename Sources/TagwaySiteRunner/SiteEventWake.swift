import CNATS
import Foundation
import TagwaySinks

/// Wakes an API event stream (SSE) when a site event is published, whichever process published
/// it: a plain NATS subscription on the site events' subjects, on the API reader's connection.
/// The message itself is not used (the stream is read by sequence, in order); it only says
/// "look now". A wake lost with a dropped connection costs the stream its next poll, no event.
final class SiteEventWake: @unchecked Sendable {
    // @unchecked: `subscription` is written once, in `start`, before any wake can call back.
    private var subscription: OpaquePointer?
    private let wake: @Sendable () -> Void

    private init(wake: @escaping @Sendable () -> Void) { self.wake = wake }

    /// Subscribes to `subjects` on `connection`; nil when the subscription cannot be made (the
    /// caller then relies on its poll).
    static func start(_ connection: NATSConnection, subjects: [String], wake: @escaping @Sendable () -> Void) -> SiteEventWake? {
        guard let subject = subjects.first, subjects.count == 1 else { return nil }
        let box = SiteEventWake(wake: wake)
        // Retained until libnats says the subscription is done (its completion callback), so a
        // message delivered while the stream ends still finds the object.
        let closure = Unmanaged.passRetained(box).toOpaque()
        var sub: OpaquePointer?
        let status = natsConnection_Subscribe(&sub, connection.pointer, subject, { _, _, msg, closure in
            natsMsg_Destroy(msg)
            guard let closure else { return }
            Unmanaged<SiteEventWake>.fromOpaque(closure).takeUnretainedValue().wake()
        }, closure)
        guard status == NATS_OK, let sub else {
            Unmanaged<SiteEventWake>.fromOpaque(closure).release()
            return nil
        }
        _ = natsSubscription_SetOnCompleteCB(sub, { closure in
            guard let closure else { return }
            Unmanaged<SiteEventWake>.fromOpaque(closure).release()
        }, closure)
        box.subscription = sub
        return box
    }

    func stop() {
        guard let subscription else { return }
        natsSubscription_Unsubscribe(subscription)
        natsSubscription_Destroy(subscription)
    }
}
