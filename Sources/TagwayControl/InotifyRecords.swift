/// The file names in a buffer of `inotify_event` records (wd, mask, cookie, len, then `len`
/// bytes of NUL-padded name), as read(2) returns them from an inotify descriptor.
///
/// Pure and bounds-checked: a record whose length runs past the buffer ends the parse instead of
/// reading past it (the kernel never writes one, but a short read must not become a trap).
public enum InotifyRecords {
    static let headerSize = 16

    public static func names(in bytes: ArraySlice<UInt8>) -> [String] {
        var out: [String] = []
        var at = bytes.startIndex
        while bytes.endIndex - at >= headerSize {
            let length = Int(UInt32(bytes[at + 12]) | UInt32(bytes[at + 13]) << 8 | UInt32(bytes[at + 14]) << 16 | UInt32(bytes[at + 15]) << 24)
            let nameStart = at + headerSize
            guard length <= bytes.endIndex - nameStart else { break }
            let name = bytes[nameStart..<(nameStart + length)].prefix { $0 != 0 }
            if !name.isEmpty { out.append(String(decoding: name, as: UTF8.self)) }
            at = nameStart + length
        }
        return out
    }
}
