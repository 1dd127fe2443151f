/// Times kept as 32-bit milliseconds after a base that moves (the presence slots' `epoch`, the
/// window ring's `base`): what moving the base does to one of them.
enum MillisecondOffset {
    /// The time `offset` after `old`, as an offset after `new`: 0 for a time at or before `new`,
    /// `UInt32.max` for one beyond the 32-bit range after it.
    static func shift(_ offset: UInt32, from old: Int64, to new: Int64) -> UInt32 {
        let absolute = old.saturatingAdd(Int64(offset))
        if absolute <= new { return 0 }
        let (d, overflow) = absolute.subtractingReportingOverflow(new)
        return overflow ? .max : UInt32(clamping: d)
    }
}
