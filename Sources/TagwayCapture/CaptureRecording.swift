/// Where a reader session hands what its connection did: the hook of every transport's shell
/// (serial, TCP, USB HID), so the sessions know nothing of files, rotation or disks.
///
/// `record` must return at once whatever the disk does: it is called on the path of every read,
/// and a recorder that waited would slow the reading it is there to witness. A recorder that
/// cannot keep up drops records and counts them instead.
public protocol CaptureRecording: Sendable {
    func record(_ record: CaptureRecord)
}
