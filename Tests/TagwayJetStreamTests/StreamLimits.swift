import CNATS
import Foundation

/// A stream made or changed with limits the sink does not configure (another tool, an operator):
/// at most `maxMessages` messages, new ones refused when full (discard new).
extension StreamReader {
    /// Adds (`update` false) or updates `stream` on `subjects` with `maxMessages` (-1: no limit)
    /// and the discard-new policy; nil when it worked, else what failed.
    func limit(_ stream: String, subjects: [String], maxMessages: Int64, update: Bool) -> String? {
        var config = jsStreamConfig()
        jsStreamConfig_Init(&config)
        let name = strdup(stream)
        var subjectCopies = subjects.map { strdup($0) }
        defer {
            free(name)
            subjectCopies.forEach { free($0) }
        }
        config.Name = UnsafePointer(name)
        config.Storage = js_FileStorage
        config.MaxMsgs = maxMessages
        config.Discard = js_DiscardNew
        config.Duplicates = 120 * 1_000_000_000
        var code = jsErrCode(0)
        let status = subjectCopies.withUnsafeMutableBufferPointer { buffer -> natsStatus in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { pointers in
                config.Subjects = pointers.baseAddress
                config.SubjectsLen = Int32(pointers.count)
                var info: UnsafeMutablePointer<jsStreamInfo>?
                let status = update ? js_UpdateStream(&info, context, &config, nil, &code) : js_AddStream(&info, context, &config, nil, &code)
                jsStreamInfo_Destroy(info)
                return status
            }
        }
        return status == NATS_OK ? nil : "\(String(cString: natsStatus_GetText(status))) (JetStream error \(code.rawValue))"
    }
}
