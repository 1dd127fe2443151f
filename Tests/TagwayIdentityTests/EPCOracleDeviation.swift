import TagwayModel
@testable import TagwayIdentity

/// Documented differences between epcpy 0.1.8 and the GS1 EPC Tag Data Standard (TDS 2.x).
/// Each predicate accepts a difference only in the exact shape described, reproducing epcpy's
/// faulty step where it can, so any other disagreement still fails the test.
///
/// Not listed because the oracle script works around it: epcpy decodes through the pure identity
/// and forgets the filter; the script recovers it as the one filter whose re-encoding is the input.
enum EPCOracleDeviation: String, Hashable, CaseIterable {
    /// TDS §7.4 (SGLN): extension "0" stands for "no GLN extension", so the element string is
    /// (414) alone; epcpy prints `(254)0` and cannot map a bare (414) back to an SGLN.
    case sglnZeroExtension = "SGLN extension 0 ↔ no (254)"
    /// epcpy reads the GIAI reference as `uri.split(":")[4]`, cutting it at the first ':' (which
    /// set 82 allows, TDS Table A-1): truncated element string and binary, or a rejection when the
    /// reference starts with ':'.
    case giaiColon = "epcpy truncates GIAI at ':'"
    /// epcpy's set-82 check splits on `%\d\d` and calls `int(piece[1:], 16)` on any other piece
    /// that starts with '%', so URI escapes with hex letters (%2F %3C %3E %3F, TDS Table A-1)
    /// followed by more text raise ValueError.
    case escapeCrash = "epcpy crashes on %2F/%3C/%3E/%3F escapes"
    /// epcpy measures the GRAI serial (16), GDTI serial (17) and GIAI (30) limits on the URI form,
    /// where an escape counts 3 characters; the limits are on characters (TDS §14.5 footnotes,
    /// GS1 General Specifications AI 8003/253/8004).
    case escapedLength = "epcpy counts escapes as 3 characters"
    /// epcpy accepts `%` + one hex digit (its URI grammar `%[0-9a-fA-F]`); TDS §5 escapes are `%`
    /// + two hex digits. Escapes of characters that need none (%2B for '+') are decoded and written
    /// back canonically (TDS Table A-1 "URI form"), where epcpy keeps them.
    case escapeSyntax = "epcpy URI escape syntax"
    /// TDS §15.1.1/§15.2.2: the EPC occupies exactly ⌈bits/16⌉ words; epcpy ignores extra bits,
    /// a missing padding word and an odd hex digit.
    case lengthLenient = "epcpy ignores wrong length"
    /// TDS §15.1.1: padding after a non-word-aligned encoding is zero; epcpy ignores it.
    case paddingLenient = "epcpy ignores non-zero padding"
    /// TDS §14.5 coding tables: SSCC-96/GSRN-96 reserved bits are zero, and a reference of K = 0
    /// digits has all-zero bits (§14.4 partition decoding); epcpy ignores these bits.
    case fixedBitsLenient = "epcpy ignores reserved/K=0 bits"
    /// TDS §14.4 String decoding stops at the first all-zero character and requires the remaining
    /// bits to be zero; epcpy skips zero characters and keeps decoding.
    case stringAfterTerminator = "epcpy decodes past the string terminator"

    /// Both decoded, fields differ.
    static func fields(epc: EPC, answer: [String: Any], differences: [String]) -> Self? {
        let theirs = answer["elementString"] as? String
        let onlyElementString = differences.allSatisfy { $0.hasPrefix("elementString:") }
        if onlyElementString, epc.scheme.family == "sgln", epc.serial == "0", theirs == (epc.elementString ?? "") + "(254)0" {
            return .sglnZeroExtension
        }
        if epc.scheme == .giai202, epc.reference.contains(":"), answer["uri"] as? String == epc.pureIdentityURI,
           let ours = epc.elementString, theirs == String(ours.prefix { $0 != ":" }),
           answer["filter"] == nil, (answer["filterCandidates"] as? [Any])?.isEmpty == true {
            return .giaiColon
        }
        return nil
    }

    /// We decode or encode, epcpy raises.
    static func oracleRejects(epc: EPC, answer: [String: Any]) -> Self? {
        let location = answer["where"] as? String ?? ""
        let component = epc.scheme.family == "giai" ? String(epc.reference.prefix { $0 != ":" }) : (epc.serial ?? "")
        if location == "common.py:515", answer["errorType"] as? String == "ValueError", escapeCrashes(component) {
            return .escapeCrash
        }
        if location == "common.py:518", epc.scheme.family == "giai", epc.reference.hasPrefix(":") { return .giaiColon }
        let serialURILength = epc.serial?.count ?? 0
        switch location {
        case "grai.py:148" where serialURILength > 16 && rawCount(epc.serial) <= 16:
            return .escapedLength
        case "gdti.py:148" where serialURILength > 17 && rawCount(epc.serial) <= 17:
            return .escapedLength
        case "giai.py:204" where epc.companyPrefix.count + component.count > 30:
            return .escapedLength
        default:
            return nil
        }
    }

    /// We reject a binary input, epcpy decodes it: only for mutations of TDS rules epcpy does not
    /// check, and only when undoing the mutation gives exactly epcpy's answer.
    static func weReject(sample: EPCSamples.Sample, error: EPCError, answer: [String: Any]) -> Self? {
        guard let mutation = sample.mutation, let source = sample.epc else { return nil }
        let sameIdentity = answer["uri"] as? String == source.pureIdentityURI
        switch (mutation, error) {
        case (.extended, .wrongLength), (.truncated, .wrongLength), (.oddLength, .oddHexLength):
            return sameIdentity ? .lengthLenient : nil
        case (.nonZeroPadding, .nonZeroPadding):
            return sameIdentity ? .paddingLenient : nil
        case (.reservedNonZero, .reservedNotZero), (.referenceOverflow, .reservedNotZero):
            return sameIdentity ? .fixedBitsLenient : nil
        case (.dataAfterTerminator, .dataAfterTerminator):
            // epcpy skips the zero character and appends what follows ('A').
            guard let uri = answer["uri"] as? String else { return nil }
            return uri.hasSuffix("A") && uri.dropLast() == Substring(source.pureIdentityURI) ? .stringAfterTerminator : nil
        default:
            return nil
        }
    }

    /// Both encoded a tag URI, results differ.
    static func tagURI(epc: EPC, answer: [String: Any]) -> Self? {
        guard epc.scheme == .giai202, epc.reference.contains(":") else { return nil }
        var truncated = epc
        truncated.reference = String(epc.reference.prefix { $0 != ":" })
        guard !truncated.reference.isEmpty, let hex = try? truncated.hex else { return nil }
        return answer["hex"] as? String == hex && answer["uri"] as? String == epc.pureIdentityURI ? .giaiColon : nil
    }

    static func oracleRejectsTagURI(epc: EPC, answer: [String: Any]) -> Self? { oracleRejects(epc: epc, answer: answer) }

    /// We reject a tag URI epcpy encodes.
    static func weRejectTagURI(uri: String, error: EPCError, answer: [String: Any]) -> Self? {
        guard case let .invalidCharacter(_, _, character, _) = error, character.hasPrefix("%") else { return nil }
        let bytes = Array(character.utf8)
        let malformed = bytes.count < 3 || HexCoding.nibble(bytes[1]) == nil || HexCoding.nibble(bytes[2]) == nil
        return malformed ? .escapeSyntax : nil
    }

    /// Both encoded a tag URI to the same binary but write the pure identity differently: epcpy
    /// keeps an escape of a character that needs none (e.g. %2B), we write the character.
    static func canonicalEscape(epc: EPC, uri: String, answer: [String: Any]) -> Self? {
        guard answer["hex"] as? String == (try? epc.hex), let theirs = answer["uri"] as? String,
              theirs != epc.pureIdentityURI, unescapeAll(theirs) == unescapeAll(epc.pureIdentityURI)
        else { return nil }
        let bytes = Array(theirs.utf8)
        let needless = bytes.indices.contains { index in
            bytes[index] == UInt8(ascii: "%") && index + 2 < bytes.count
                && HexCoding.nibble(bytes[index + 1]).flatMap { high in HexCoding.nibble(bytes[index + 2]).map { high << 4 | $0 } }
                .map { GS1CharacterSet82.contains($0) && !GS1CharacterSet82.needsEscape($0) } == true
        }
        return needless ? .escapeSyntax : nil
    }

    /// GS1 element string → EPC: epcpy raises where we map.
    static func elementString(epc: EPC, answer: [String: Any]) -> Self? { oracleRejects(epc: epc, answer: answer) }

    // MARK: epcpy's faulty steps, reproduced

    /// True when epcpy's `verify_gs3a3_component` raises ValueError for this URI component.
    static func escapeCrashes(_ component: String) -> Bool {
        let bytes = Array(component.utf8)
        var pieces: [[UInt8]] = [[]]
        var index = 0
        func digit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 48 && bytes[i] <= 57 }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), digit(index + 1), digit(index + 2) {
                pieces.append([])
                index += 3
            } else {
                pieces[pieces.count - 1].append(bytes[index])
                index += 1
            }
        }
        return pieces.contains { piece in
            guard piece.first == UInt8(ascii: "%") else { return false }
            let rest = piece.dropFirst()
            return rest.isEmpty || rest.contains { HexCoding.nibble($0) == nil }
        }
    }

    static func rawCount(_ uriForm: String?) -> Int {
        guard let uriForm else { return 0 }
        return (try? GS1CharacterSet82.unescape(Substring(uriForm), scheme: "", field: ""))?.count ?? uriForm.count
    }

    /// Every `%XX` replaced by its byte.
    static func unescapeAll(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out = [UInt8]()
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count, let high = HexCoding.nibble(bytes[index + 1]),
               let low = HexCoding.nibble(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }
}
