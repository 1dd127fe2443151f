import TagwayIdentity
import TagwayModel
@testable import TagwayFilters

/// Tags made from EPC tag URIs by the library's own encoder, so every byte test is checked
/// against what a real tag of that identity carries.
enum TagFixtures {
    static func id(_ tagURI: String) -> TagID {
        // The fixtures are literals of this file; a bad one fails the tests that use it.
        guard let epc = try? EPCTagURI.parse(tagURI), let bytes = try? EPCBinaryEncoder.encode(epc) else { return TagID(bytes: [0]) }
        return TagID(bytes: bytes)
    }

    static func tag(_ tagURI: String, rssi: Int? = -50) -> TagObservation {
        TagObservation(technology: .epcGen2, id: id(tagURI), rssi: rssi)
    }

    static let sgtin = "urn:epc:tag:sgtin-96:3.0614141.812345.6789"
    static let sgtinOtherCompany = "urn:epc:tag:sgtin-96:3.4012345.012345.1"
    static let giai = "urn:epc:tag:giai-96:0.0614141.12345"
    static let giaiFilter5 = "urn:epc:tag:giai-96:5.0614141.777"
    static let sscc = "urn:epc:tag:sscc-96:1.0614141.1234567890"
    static let grai = "urn:epc:tag:grai-96:0.06141410.0001.42"

    /// A reading time in milliseconds.
    static func at(_ ms: Int64) -> Timestamp { Timestamp(milliseconds: 1_790_000_000_000 + ms) }

    /// Judges each tag once at a fresh filter, in order, and counts the verdicts.
    static func verdicts(_ spec: TagFilterSpec, _ tags: [TagObservation]) -> [FilterVerdict: Int] {
        var filter = CompiledTagFilter(spec)
        var out: [FilterVerdict: Int] = [:]
        for (index, tag) in tags.enumerated() { out[filter.judge(tag, time: Int64(index)), default: 0] += 1 }
        return out
    }
}
