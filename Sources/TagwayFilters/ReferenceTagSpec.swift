import TagwayModel

/// A reference tag: a tag fixed near an antenna to prove it reads. Its reads never become
/// events; when it has not been read at its reader (and read point, if given) for longer than
/// `expectEvery`, the reader has a health warning until it is read again.
public struct ReferenceTagSpec: Sendable, Hashable {
    /// The tag as written: hex of its id, or an EPC pure-identity URI.
    public enum Tag: Sendable, Hashable, CustomStringConvertible {
        case id(TagID)
        case uri(String)

        public var description: String {
            switch self {
            case .id(let id): id.hex
            case .uri(let uri): uri
            }
        }
    }

    public var tag: Tag
    public var reader: String
    /// Nil: a read at any of the reader's read points proves it.
    public var readPoint: String?
    public var expectEvery: Duration

    public init(tag: Tag, reader: String, readPoint: String? = nil, expectEvery: Duration) {
        self.tag = tag
        self.reader = reader
        self.readPoint = readPoint
        self.expectEvery = expectEvery
    }
}

extension ReferenceTagSpec.Tag {
    /// A reference tag as written: hex of its id (whole bytes, at most 62), or an EPC
    /// pure-identity URI that a GS1 binary scheme can hold; the problem otherwise.
    public static func parse(_ text: String) -> Result<Self, ReferenceTagProblem> {
        if text.hasPrefix("urn:") {
            let tag = Self.uri(text)
            return ReferenceTagWatch.ids(of: tag).isEmpty ? .failure(ReferenceTagProblem(reason: "not an EPC pure-identity URI a tag can carry")) : .success(tag)
        }
        guard text.utf8.count % 2 == 0, text.utf8.count <= 124, let id = TagID(hex: text), id.count > 0 else {
            return .failure(ReferenceTagProblem(reason: "not the hex of a tag id (whole bytes, at most 62)"))
        }
        return .success(.id(id))
    }
}

public struct ReferenceTagProblem: Error, Sendable, Hashable {
    public var reason: String
}
