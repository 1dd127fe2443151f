import TagwayIdentity
import TagwayModel

/// The declared reference tags, found by id on the per-read path (one hash lookup when any are
/// declared, nothing when none are), and their states.
///
/// A tag given as an EPC URI is matched in every binary form it can take: each scheme of its
/// family that can hold it, with each of the eight filter values (the URI says neither).
struct ReferenceTagWatch: Sendable {
    private(set) var states: [ReferenceTagState] = []
    /// Per declaration: its reader's index and read point's index (-1: any of the reader's).
    private var places: [(reader: UInt16, readPoint: Int32)] = []
    /// The declarations of each id.
    private var first: [TagID: [Int32]] = [:]

    var isEmpty: Bool { first.isEmpty }

    init() {}

    init(_ specs: [ReferenceTagSpec], reader: (String) -> UInt16, readPoint: (String) -> Int32, at time: Timestamp,
         previous: [ReferenceTagState]) {
        for spec in specs {
            let index = Int32(states.count)
            var state = ReferenceTagState(spec: spec, since: time)
            // A reload keeps what was seen of a declaration it did not change.
            if let old = previous.first(where: { $0.spec == spec }) { state = old }
            states.append(state)
            places.append((reader(spec.reader), spec.readPoint.map(readPoint) ?? -1))
            for id in Self.ids(of: spec.tag) where first[id]?.contains(index) != true { first[id, default: []].append(index) }
        }
    }

    /// Records a read of a reference tag; false when `id` is none.
    mutating func read(_ id: TagID, reader: UInt16, readPoint: Int32, time: Timestamp) -> Bool {
        guard let declarations = first[id] else { return false }
        for index in declarations {
            let place = places[Int(index)]
            if place.reader == reader, place.readPoint < 0 || place.readPoint == readPoint {
                states[Int(index)].reads = states[Int(index)].reads.saturatingAdd(1)
                if states[Int(index)].lastSeen.map({ time > $0 }) ?? true { states[Int(index)].lastSeen = time }
            }
        }
        return true
    }

    /// Every binary id `tag` can be read as.
    static func ids(of tag: ReferenceTagSpec.Tag) -> [TagID] {
        switch tag {
        case .id(let id):
            return [id]
        case .uri(let uri):
            guard let epc = try? EPCPureIdentityURI.parse(uri) else { return [] }
            var out: [TagID] = []
            for scheme in EPCScheme.allCases where scheme.family == epc.scheme.family {
                for filter in scheme.hasFilter ? (0...7).map(Optional.some) : [Int?.none] {
                    let variant = EPC(scheme: scheme, filter: filter, partition: scheme.hasFilter ? epc.partition : nil,
                                      companyPrefix: epc.companyPrefix, reference: epc.reference, serial: epc.serial)
                    if let bytes = try? EPCBinaryEncoder.encode(variant) { out.append(TagID(bytes: bytes)) }
                }
            }
            return out
        }
    }
}
