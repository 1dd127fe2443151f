import Foundation
import Testing
import TagwayModel
@testable import TagwayIdentity

/// Our EPC decoding and encoding against PyPI's epcpy on thousands of generated inputs.
///
/// Every field is compared. Where epcpy is known to differ from the Tag Data Standard, the case is
/// accepted only when it matches that documented difference exactly (see `EPCOracleDeviation`);
/// anything else is a failure.
@Suite("Differential: EPC vs epcpy", .serialized, .enabled(if: Oracle.reachable, "PyPI unreachable: epcpy/biip not installable"))
struct EPCDifferentialTests {
    @Test("binary EPCs: ≥2,000 valid and invalid across every scheme, partition and filter")
    func binary() throws {
        let (valid, invalid) = EPCSamples.generate(seed: 0x7A6_5EED)
        let samples = valid + invalid
        #expect(samples.count >= 2000)
        let answers = try Oracle.answers(samples.map { ["kind": "epc", "hex": $0.hex] })
        var tally = Tally()
        for (sample, answer) in zip(samples, answers) {
            compare(sample, answer, &tally)
        }
        tally.report("binary EPC decode (\(valid.count) valid + \(invalid.count) invalid)")
        #expect(tally.mismatches.isEmpty, "\(tally.mismatches.prefix(15).joined(separator: "\n"))")
    }

    @Test("tag URIs → hex, valid and invalid")
    func tagURIs() throws {
        let (valid, _) = EPCSamples.generate(seed: 0x7A6_5EED)
        var uris = valid.compactMap { $0.epc?.tagURI }
        uris += Self.invalidURIs(seed: 0x0B_AD)
        let answers = try Oracle.answers(uris.map { ["kind": "taguri", "uri": $0] })
        var tally = Tally()
        for (uri, answer) in zip(uris, answers) {
            let ours = Result { () throws(EPCError) -> EPC in try EPCTagURI.parse(uri) }
            switch (ours, answer["ok"] as? Bool == true) {
            case let (.success(epc), true):
                let hex = try epc.hex
                if hex == answer["hex"] as? String, epc.pureIdentityURI == answer["uri"] as? String {
                    tally.agree += 1
                } else if let deviation = EPCOracleDeviation.tagURI(epc: epc, answer: answer)
                            ?? EPCOracleDeviation.canonicalEscape(epc: epc, uri: uri, answer: answer) {
                    tally.deviations[deviation, default: 0] += 1
                } else {
                    tally.mismatches.append("\(uri): ours \(hex) \(epc.pureIdentityURI), epcpy \(answer)")
                }
            case (.failure, false):
                tally.agree += 1
                tally.bothRejected += 1
            case let (.success(epc), false):
                if let deviation = EPCOracleDeviation.oracleRejectsTagURI(epc: epc, answer: answer) {
                    tally.deviations[deviation, default: 0] += 1
                } else {
                    tally.mismatches.append("\(uri): we accept, epcpy \(answer)")
                }
            case let (.failure(error), true):
                if let deviation = EPCOracleDeviation.weRejectTagURI(uri: uri, error: error, answer: answer) {
                    tally.deviations[deviation, default: 0] += 1
                } else {
                    tally.mismatches.append("\(uri): we reject (\(error)), epcpy \(answer)")
                }
            }
        }
        tally.report("tag URI encode (\(uris.count))")
        #expect(uris.count >= 1500)
        #expect(tally.mismatches.isEmpty, "\(tally.mismatches.prefix(15).joined(separator: "\n"))")
    }

    @Test("GS1 element strings → EPC pure identity with a known company prefix length")
    func elementStringsToEPC() throws {
        let (valid, _) = EPCSamples.generate(seed: 0x7A6_5EED)
        let epcs = valid.compactMap(\.epc).filter { $0.scheme != .gid96 }
        // TDS §7.4: SGLN extension 0 is "no (254)"; epcpy only maps (414) with (254), so it is given
        // the equivalent (254)0 and the case is counted under that deviation.
        func oracleInput(_ epc: EPC) -> String {
            epc.scheme.family == "sgln" && epc.serial == "0" ? epc.elementString! + "(254)0" : epc.elementString!
        }
        let answers = try Oracle.answers(epcs.map { ["kind": "gs1epc", "es": oracleInput($0), "cpl": $0.companyPrefix.count] })
        var tally = Tally()
        for (epc, answer) in zip(epcs, answers) {
            let message = GS1Message(elements: epc.elements!)
            let ours = message.epc(companyPrefixes: GS1CompanyPrefixLengths(companyPrefixes: [epc.companyPrefix]))
            if ours?.pureIdentityURI != epc.pureIdentityURI {
                tally.mismatches.append("\(epc.elementString!): ours \(ours?.pureIdentityURI ?? "nil"), expected \(epc.pureIdentityURI)")
            } else if answer["ok"] as? Bool == true, answer["uri"] as? String == epc.pureIdentityURI {
                if oracleInput(epc) != epc.elementString! {
                    tally.deviations[.sglnZeroExtension, default: 0] += 1
                } else {
                    tally.agree += 1
                }
            } else if let deviation = EPCOracleDeviation.elementString(epc: epc, answer: answer) {
                tally.deviations[deviation, default: 0] += 1
            } else {
                tally.mismatches.append("\(epc.elementString!) cpl \(epc.companyPrefix.count): ours \(epc.pureIdentityURI), epcpy \(answer)")
            }
        }
        tally.report("GS1 element string → EPC (\(epcs.count))")
        #expect(tally.mismatches.isEmpty, "\(tally.mismatches.prefix(15).joined(separator: "\n"))")
    }

    private func compare(_ sample: EPCSamples.Sample, _ answer: [String: Any], _ tally: inout Tally) {
        let ours = Result { () throws(EPCError) -> EPC in try EPCBinaryDecoder.decode(hex: sample.hex) }
        let oracleOK = answer["ok"] as? Bool == true
        switch ours {
        case let .success(epc):
            if sample.mutation != nil {
                tally.mismatches.append("\(sample.hex) (\(sample.mutation!)): we accepted a mutated input as \(epc.tagURI)")
                return
            }
            guard oracleOK else {
                if let deviation = EPCOracleDeviation.oracleRejects(epc: epc, answer: answer) {
                    tally.deviations[deviation, default: 0] += 1
                } else {
                    tally.mismatches.append("\(sample.hex): ours \(epc.tagURI), epcpy \(answer)")
                }
                return
            }
            let differences = Self.differences(epc, answer)
            if differences.isEmpty {
                tally.agree += 1
            } else if let deviation = EPCOracleDeviation.fields(epc: epc, answer: answer, differences: differences) {
                tally.deviations[deviation, default: 0] += 1
            } else {
                tally.mismatches.append("\(sample.hex): \(differences.joined(separator: "; "))")
            }
            if epc != sample.epc { tally.mismatches.append("\(sample.hex): decodes to \(epc.tagURI), generated \(sample.epc!.tagURI)") }
        case let .failure(error):
            if !oracleOK {
                tally.agree += 1
                tally.bothRejected += 1
            } else if let deviation = EPCOracleDeviation.weReject(sample: sample, error: error, answer: answer) {
                tally.deviations[deviation, default: 0] += 1
            } else {
                tally.mismatches.append("\(sample.hex) (\(sample.mutation.map { $0.rawValue } ?? "valid")): we reject (\(error)), epcpy \(answer)")
            }
        }
    }

    /// Field-by-field differences between our decode and epcpy's.
    static func differences(_ epc: EPC, _ answer: [String: Any]) -> [String] {
        var out = [String]()
        func check(_ name: String, _ ours: Any?, _ theirs: Any?) {
            let left = ours.map { "\($0)" } ?? "nil", right = theirs.map { "\($0)" } ?? "nil"
            if left != right { out.append("\(name): ours \(left), epcpy \(right)") }
        }
        check("scheme", epc.scheme.rawValue, answer["scheme"])
        check("uri", epc.pureIdentityURI, answer["uri"])
        check("partition", epc.partition, answer["partition"])
        check("elementString", epc.elementString, answer["elementString"])
        check("filter", epc.filter, answer["filter"])
        check("tagUri", epc.tagURI, answer["tagUri"])
        check("hex", try? epc.hex, answer["hex"])
        return out
    }

    static func invalidURIs(seed: UInt64) -> [String] {
        var rng = SeededGenerator(seed: seed)
        var out = [String]()
        let bad = ["#", " ", "/", "%", "%2", "%ZZ", "%23", "é", "~"]
        for _ in 0..<40 {
            let prefix = EPCSamples.digits(7, &rng)
            out.append("urn:epc:tag:sgtin-96:3.\(prefix).812345.0\(Int.random(in: 1...999, using: &rng))")
            out.append("urn:epc:tag:sgtin-96:3.\(prefix).812345.\(UInt64(1) << 38 + UInt64.random(in: 0...999, using: &rng))")
            out.append("urn:epc:tag:sgtin-198:\(Int.random(in: 0...7, using: &rng)).\(prefix).812345.A\(bad.randomElement(using: &rng)!)B")
            out.append("urn:epc:tag:sgtin-198:3.\(prefix).812345.\(String(repeating: "x", count: 21))")
            out.append("urn:epc:tag:giai-96:3.\(prefix).0\(Int.random(in: 1...999, using: &rng))")
            out.append("urn:epc:tag:giai-202:3.\(prefix).\(String(repeating: "Z", count: 24))")
            out.append("urn:epc:tag:sgln-96:9.\(prefix).12345.1")
            out.append("urn:epc:tag:grai-96:3.\(EPCSamples.digits(5, &rng)).1234567.1")
            out.append("urn:epc:tag:gid-96:\(UInt64(1) << 28).1.1")
            out.append("urn:epc:tag:sscc-96:3.\(prefix).12345678901")
        }
        return out
    }
}

/// Counts of one differential run, printed for the note in Oracle/README.md.
struct Tally {
    var agree = 0
    var bothRejected = 0
    var deviations: [EPCOracleDeviation: Int] = [:]
    var mismatches: [String] = []

    func report(_ title: String) {
        let total = agree + deviations.values.reduce(0, +) + mismatches.count
        var line = "DIFFERENTIAL \(title): compared \(total), agree \(agree) (both rejected \(bothRejected))"
        for (deviation, count) in deviations.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            line += ", \(deviation.rawValue) \(count)"
        }
        line += ", mismatches \(mismatches.count)"
        print(line)
        var groups: [String: (Int, String)] = [:]
        for mismatch in mismatches {
            let key = mismatch.components(separatedBy: "where").last.map { String($0.prefix(30)) } ?? ""
            let scheme = mismatch.components(separatedBy: ":tag:").dropFirst().first.map { String($0.prefix(8)) } ?? ""
            groups[scheme + key, default: (0, mismatch)].0 += 1
        }
        for (key, value) in groups.sorted(by: { $0.key < $1.key }) { print("  GROUP \(key) ×\(value.0): \(value.1.prefix(400))") }
    }
}
