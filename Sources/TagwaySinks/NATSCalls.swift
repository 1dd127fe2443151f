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
