import TagwayEmulators
import TagwayModel

/// The tags in a simulated reader's field, as scenario steps change it.
extension Array where Element == FieldTag {
    /// A tag that enters again (another antenna, another RSSI) replaces its earlier entry: each
    /// tag is in the field once.
    mutating func enter(_ tag: FieldTag) {
        removeAll { $0.id == tag.id }
        append(tag)
    }

    mutating func leave(_ id: TagID) {
        removeAll { $0.id == id }
    }
}
