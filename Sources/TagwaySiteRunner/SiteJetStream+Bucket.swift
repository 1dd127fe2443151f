import CNATS
import Foundation
import TagwaySinks

/// The key-value bucket's calls: every row at start, puts and deletes of rows, and the lease's
/// create-if-absent and compare-and-set update.
extension SiteJetStream {
    /// Every key (starting with `prefix`, when given) and its value: the site's picture and
    /// positions, read at start and by the API. One watcher of the keys streams every current
    /// value (deletes left out) and marks the end of them: one pass over the bucket's stream,
    /// where listing the keys and getting each would be a round trip per row.
    func entries(prefix: String? = nil) throws(Failure) -> [String: [UInt8]] {
        guard let kv else { return [:] }
        var options = kvWatchOptions()
        kvWatchOptions_Init(&options)
        options.IgnoreDeletes = true
        options.Timeout = waitMilliseconds
        // A prefix ending in a dot is a subject filter of its own; any other is filtered here.
        let filter = prefix.map { $0.hasSuffix(".") ? $0 + ">" : ">" } ?? ">"
        var watcher: OpaquePointer?
        let status = kvStore_Watch(&watcher, kv, filter, &options)
        guard status == NATS_OK, let watcher else { throw Failure(description: "bucket watch \(filter): \(NATSConnection.lastError(status))") }
        defer { kvWatcher_Destroy(watcher) }
        var out: [String: [UInt8]] = [:]
        while true {
            var entry: OpaquePointer?
            let next = kvWatcher_Next(&entry, watcher, waitMilliseconds)
            guard next == NATS_OK else { throw Failure(description: "bucket watch \(filter): \(NATSConnection.lastError(next))") }
            guard let entry else { return out }  // the end of the current values
            defer { kvEntry_Destroy(entry) }
            guard let cKey = kvEntry_Key(entry) else { continue }
            let key = String(cString: cKey)
            if let prefix, !key.hasPrefix(prefix) { continue }
            let length = Int(kvEntry_ValueLen(entry))
            if length > 0, let raw = kvEntry_Value(entry) {
                out[key] = Array(UnsafeRawBufferPointer(start: raw, count: length))
            } else {
                out[key] = []
            }
        }
    }

    /// The key's value and revision; nil when absent or deleted.
    func get(_ key: String) throws(Failure) -> (value: [UInt8], revision: UInt64)? {
        guard let kv else { return nil }
        var entry: OpaquePointer?
        let status = kvStore_Get(&entry, kv, key)
        if status == NATS_NOT_FOUND { return nil }
        guard status == NATS_OK, let entry else { throw Failure(description: "bucket get \(key): \(NATSConnection.lastError(status))") }
        defer { kvEntry_Destroy(entry) }
        let length = Int(kvEntry_ValueLen(entry))
        var bytes: [UInt8] = []
        if length > 0, let raw = kvEntry_Value(entry) {
            bytes = Array(UnsafeRawBufferPointer(start: raw, count: length))
        }
        return (bytes, kvEntry_Revision(entry))
    }

    func put(_ key: String, _ value: [UInt8]) throws(Failure) {
        guard let kv else { return }
        var revision: UInt64 = 0
        let status = value.withUnsafeBytes { kvStore_Put(&revision, kv, key, $0.baseAddress, Int32($0.count)) }
        guard status == NATS_OK else { throw Failure(description: "bucket put \(key): \(NATSConnection.lastError(status))") }
    }

    func delete(_ key: String) throws(Failure) {
        guard let kv else { return }
        let status = kvStore_Delete(kv, key)
        guard status == NATS_OK || status == NATS_NOT_FOUND else {
            throw Failure(description: "bucket delete \(key): \(NATSConnection.lastError(status))")
        }
    }

    /// Writes `key` only when absent (or deleted); the new revision, nil when someone has it.
    func create(_ key: String, _ value: [UInt8]) -> UInt64? {
        guard let kv else { return nil }
        var revision: UInt64 = 0
        let status = value.withUnsafeBytes { kvStore_Create(&revision, kv, key, $0.baseAddress, Int32($0.count)) }
        return status == NATS_OK ? revision : nil
    }

    /// Writes `key` only when its revision is still `last`; the new revision, nil when it moved.
    func update(_ key: String, _ value: [UInt8], last: UInt64) -> UInt64? {
        guard let kv else { return nil }
        var revision: UInt64 = 0
        let status = value.withUnsafeBytes { kvStore_Update(&revision, kv, key, $0.baseAddress, Int32($0.count), last) }
        return status == NATS_OK ? revision : nil
    }
}
