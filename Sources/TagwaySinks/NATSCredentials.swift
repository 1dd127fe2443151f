import Foundation

/// A `.creds` file as `nsc` writes it: the user JWT and the user's NKey seed, each on the line
/// between two marker lines (`-----BEGIN NATS USER JWT-----` … `------END NATS USER JWT------`).
///
/// Tagway reads the file itself instead of handing its path to libnats, so the nonce is signed by
/// `NKeySigner`, which notices the signatures libnats 3.4.1 would leave out (see there); libnats'
/// own signing of a `.creds` login fails the same one connect in 256. The file is read at each
/// connect, as libnats does, so credentials rotated on disk apply at the next one.
struct NATSCredentials: Sendable {
    let jwt: String
    let seed: NKeySeed

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    init(file path: String) throws(Problem) {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw Problem(description: "credentials file \(path) cannot be read: \(error.localizedDescription)")
        }
        try self.init(text: text, source: path)
    }

    init(text: String, source: String) throws(Problem) {
        let values = Self.markedValues(text)
        guard values.count >= 2 else {
            throw Problem(description: "credentials file \(source) has no user JWT and seed between '-----' marker lines (as `nsc generate creds` writes)")
        }
        guard let seed = NKeySeed(values[1]) else {
            throw Problem(description: "credentials file \(source): its second section is not a user NKey seed (SU…)")
        }
        jwt = values[0]
        self.seed = seed
    }

    /// The lines that stand alone between two marker lines (three dashes or more at both ends),
    /// in file order; blank lines do not count.
    static func markedValues(_ text: String) -> [String] {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        func isMarker(_ line: String) -> Bool { line.count >= 6 && line.hasPrefix("---") && line.hasSuffix("---") }
        var values: [String] = []
        var index = 0
        while index + 2 < lines.count {
            if isMarker(lines[index]), !isMarker(lines[index + 1]), isMarker(lines[index + 2]) {
                values.append(lines[index + 1])
                index += 3
            } else {
                index += 1
            }
        }
        return values
    }
}
