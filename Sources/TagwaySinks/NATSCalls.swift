import CNATS
import Foundation
import TagwayDelivery

/// The libnats calls both JetStream shells make the same way, the sink (`NATSClient`) and the
/// `tagway site` process: creating a stream from its spec, and libnats' time units. One place, so
/// a stream spec means the same in both.
public enum NATSCalls {
    /// Adds `spec` as a file-stored stream through the JetStream context `js`; nil when it was
    /// created, else what went wrong.
    public static func addStream(_ spec: JetStreamStreamSpec, js: OpaquePointer) -> String? {
        var config = jsStreamConfig()
        jsStreamConfig_Init(&config)
        let name = strdup(spec.name)
        var subjects = spec.subjects.map { strdup($0) }
        defer {
            free(name)
            subjects.forEach { free($0) }
        }
        config.Name = UnsafePointer(name)
        config.Storage = js_FileStorage
        config.Replicas = Int64(spec.replicas)
        config.MaxAge = spec.maxAge.map(nanoseconds) ?? 0
        config.Duplicates = nanoseconds(spec.duplicateWindow)
        var code = jsErrCode(0)
        let status = subjects.withUnsafeMutableBufferPointer { buffer -> natsStatus in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { pointers in
                config.Subjects = pointers.baseAddress
                config.SubjectsLen = Int32(pointers.count)
                var info: UnsafeMutablePointer<jsStreamInfo>?
                defer { jsStreamInfo_Destroy(info) }
                return js_AddStream(&info, js, &config, nil, &code)
            }
        }
        guard status == NATS_OK else {
            return "creating stream '\(spec.name)': \(NATSClient.lastError(status)) (JetStream error \(code.rawValue))"
        }
        return nil
    }

    /// Destroys a JetStream context that may have published asynchronously with a `MaxWait`,
    /// once `maxWait` (and 2 s more) has passed: libnats keeps a timer on such a context for the
    /// PubAcks' deadlines, and libnats before 3.11 (Debian's 3.4.1) frees the context from that
    /// timer's thread when it is destroyed while the timer fires (nats.c issue 880), a write
    /// through freed memory. Once every deadline has passed the timer is idle. The context holds
    /// its own reference to the connection, so the connection may be closed at once; nothing may
    /// use the context after this call. `then` runs once the context is destroyed: what its
    /// PubAck handler was given (the handler's closure) may be released there, no sooner.
    public static func destroyContext(_ js: OpaquePointer, afterPublishesWaiting maxWait: Int64,
                                      then: @escaping @Sendable () -> Void = {}) {
        let context = ContextHandle(pointer: js)
        // At most an hour: `DispatchTimeInterval` counts in nanoseconds and would overflow.
        let delay = Int(clamping: min(max(0, maxWait), 3_600_000) + 2_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(delay)) {
            jsCtx_Destroy(context.pointer)
            then()
        }
    }

    private struct ContextHandle: @unchecked Sendable { let pointer: OpaquePointer }

    /// Whole milliseconds, saturated at `Int64.max` for a duration too long to count in them.
    public static func milliseconds(_ d: Duration) -> Int64 {
        let (seconds, attoseconds) = d.components
        let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1_000)
        return overflow ? .max : ms &+ attoseconds / 1_000_000_000_000_000
    }

    /// Whole nanoseconds (libnats' unit for ages and windows), saturated like `milliseconds`.
    public static func nanoseconds(_ d: Duration) -> Int64 {
        let (seconds, attoseconds) = d.components
        let (ns, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : ns &+ attoseconds / 1_000_000_000
    }
}
