import Foundation
import Testing
@testable import TagwayIdentity

/// Our GS1 barcode parsing against PyPI's biip on generated element strings, raw (AIM identifier,
/// FNC1 as GS) and human-readable, valid and mutated. Elements, element string, symbology and
/// validity are compared; biip's documented gaps are accepted only in their exact shape.
@Suite("Differential: GS1 vs biip", .serialized, .enabled(if: Oracle.reachable, "PyPI unreachable: epcpy/biip not installable"))
struct GS1DifferentialTests {
    enum Deviation: String, CaseIterable {
        /// GS1 General Specifications §7.9 / Barcode Syntax Dictionary `csum`: GRAI (8003), GDTI (253),
        /// GCN (255), GSIN (402), GSRN (8017/8018) carry a check digit; biip checks only GTIN, SSCC, GLN.
        case checkDigitUnchecked = "biip does not check the GRAI/GDTI/GCN/GSIN/GSRN check digit"
        /// GS1 General Specifications §7.12: day "00" (end of month) is allowed only where the AI says
        /// YYMMDD with "00" permitted (11, 12, 13, 15, 16, 17, 4324, 4325); biip allows it everywhere.
        case dayZeroEverywhere = "biip allows day 00 in every date"
        /// AI (7007) is a date or a date range YYMMDD[YYMMDD]; biip reads the second date as a time.
        case harvestRangeAsTime = "biip reads the (7007) end date as a time"
        /// GS1 General Specifications Figure 5.1.2-2 / ISO/IEC 15424: `]J1` is GS1 DotCode; biip's
        /// ISO symbology table has no code character 'J' and rejects the data.
        case dotCodeUnknown = "biip does not know ]J1 (GS1 DotCode)"
        /// biip strips whitespace around the scanned data before parsing; a space is not in GS1 AI
        /// encodable character set 82 (GS1 General Specifications Figure 7.11-1), so data ending in a
        /// space is not a valid element string.
        case surroundingSpaceStripped = "biip strips a trailing space"
    }

    @Test("≥1,000 GS1 strings: elements, element string, symbology, validity")
    func gs1() throws {
        let samples = GS1Samples.generate(seed: 0x6_51, count: 1100)
        #expect(samples.count >= 1000)
        let answers = try Oracle.answers(samples.map { ["kind": "gs1", "text": $0.text, "hri": $0.humanReadable] })
        var agree = 0, bothRejected = 0
        var deviations: [Deviation: Int] = [:]
        var mismatches: [String] = []
        for (sample, answer) in zip(samples, answers) {
            let ours = Result { () throws(GS1Error) -> (AIMSymbology?, GS1Message) in
                if sample.humanReadable { return (nil, try GS1ElementStringParser.parse(humanReadable: sample.text)) }
                guard case let .gs1(symbology, message) = try BarcodeContent.classify(symbology: nil, data: Array(sample.text.utf8))
                else { throw GS1Error.empty }
                return (symbology, message)
            }
            let oracleOK = answer["ok"] as? Bool == true
            let label = "\(BarcodeText.escaped(Array(sample.text.utf8))) (\(sample.mutation?.rawValue ?? "valid"))"
            switch ours {
            case let .success((symbology, message)):
                if oracleOK {
                    let theirs = (answer["elements"] as? [[String: String]] ?? []).map { GS1Element(ai: $0["ai"]!, value: $0["value"]!) }
                    if theirs == message.elements, answer["elementString"] as? String == message.elementString,
                       (answer["symbology"] as? String) == symbology?.identifier {
                        agree += 1
                    } else {
                        mismatches.append("\(label): ours \(message.elementString) \(symbology?.identifier ?? "-"), biip \(answer)")
                    }
                } else if let deviation = Self.oracleRejects(message: message, answer: answer),
                          deviation != .dotCodeUnknown || symbology?.identifier == "]J1" {
                    deviations[deviation, default: 0] += 1
                } else {
                    mismatches.append("\(label): we accept \(message.elementString), biip \(answer)")
                }
                if sample.mutation != nil { mismatches.append("\(label): we accepted a mutated input") }
                if message.elements != sample.elements { mismatches.append("\(label): parsed \(message.elements)") }
            case let .failure(error):
                if !oracleOK {
                    agree += 1
                    bothRejected += 1
                } else if let deviation = Self.weReject(sample: sample, error: error) {
                    deviations[deviation, default: 0] += 1
                } else {
                    mismatches.append("\(label): we reject (\(error)), biip \(answer)")
                }
            }
        }
        var line = "DIFFERENTIAL GS1 strings (\(samples.count)): agree \(agree) (both rejected \(bothRejected))"
        for (deviation, count) in deviations.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { line += ", \(deviation.rawValue) \(count)" }
        print(line + ", mismatches \(mismatches.count)")
        #expect(mismatches.isEmpty, "\(mismatches.prefix(15).joined(separator: "\n"))")
    }

    static let checkDigitAIsBiipSkips: Set<String> = ["8003", "253", "255", "402", "8017", "8018"]
    static let dayZeroNotAllowed: Set<String> = ["4326", "7003", "7006", "7007", "7011", "8008"]

    /// We reject, biip accepts.
    static func weReject(sample: GS1Samples.Sample, error: GS1Error) -> Deviation? {
        if sample.mutation == .invalidCharacter, sample.text.hasSuffix(" "), case .invalidCharacter(_, " ", _, _) = error {
            return .surroundingSpaceStripped
        }
        switch (sample.mutation, error) {
        case let (.checkDigit?, .checkDigit(ai, _, _)) where checkDigitAIsBiipSkips.contains(ai):
            return .checkDigitUnchecked
        case let (.badDate?, .invalidDate(ai, value, reason)) where dayZeroNotAllowed.contains(ai) && reason == "day 00 is not allowed":
            return value.dropFirst(4).prefix(2) == "00" ? .dayZeroEverywhere : nil
        default:
            return nil
        }
    }

    /// We accept, biip rejects.
    static func oracleRejects(message: GS1Message, answer: [String: Any]) -> Deviation? {
        if (answer["error"] as? String)?.contains("'J' is not a recognized code character") == true {
            return .dotCodeUnknown
        }
        guard let harvest = message.value(of: "7007"), harvest.count == 12,
              (answer["error"] as? String)?.contains("(7007)") == true else { return nil }
        // biip takes YYMMDD of the end date as hour, minute, second: it fails when they are no time.
        let hour = Int(harvest.dropFirst(6).prefix(2))!, minute = Int(harvest.dropFirst(8).prefix(2))!,
            second = Int(harvest.dropFirst(10).prefix(2))!
        return hour > 23 || minute > 59 || second > 59 ? .harvestRangeAsTime : nil
    }
}
