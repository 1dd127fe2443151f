/// Every filter and reference tag of a configuration: `readers[].filters`, the top-level
/// `filters:` keyed by read point, and `readers[].referenceTags`. A reload swaps it whole.
public struct FilterConfiguration: Sendable, Hashable {
    /// By reader id: applies to every read of that reader.
    public var readers: [String: TagFilterSpec]
    /// By read point: applies to the reads of that read point, after its reader's filter.
    public var readPoints: [String: TagFilterSpec]
    public var referenceTags: [ReferenceTagSpec]

    public init(readers: [String: TagFilterSpec] = [:], readPoints: [String: TagFilterSpec] = [:],
                referenceTags: [ReferenceTagSpec] = []) {
        self.readers = readers
        self.readPoints = readPoints
        self.referenceTags = referenceTags
    }

    /// True when nothing is filtered and no reference tag is declared: the pipeline skips the
    /// filter step altogether.
    public var isEmpty: Bool {
        readers.values.allSatisfy(\.isEmpty) && readPoints.values.allSatisfy(\.isEmpty) && referenceTags.isEmpty
    }
}
