import Foundation
import TagwayProtocols

/// Seeds read from the repository's fixtures: decoder fixture streams, recorded and hostile HID
/// descriptors, EPC and GS1 strings from the identity tests, configurations and profiles, and
/// the regression inputs earlier fuzzing found. The repository is the parent of `devicesDir`.
enum RepositorySeeds {
    static func seeds(for target: String, devicesDir: String) -> [[UInt8]] {
        let root = (devicesDir as NSString).deletingLastPathComponent
        func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }
        var seeds: [[UInt8]] = []
        switch target {
        case "hid-descriptor":
            for file in files(at: path("Tests/TagwayUSBTests/Devices")) {
                for line in text(file).split(separator: "\n") where line.hasPrefix("H: report_descriptor=") {
                    seeds.append(hex(String(line.dropFirst("H: report_descriptor=".count))))
                }
            }
            seeds += files(at: path("Tests/TagwayHIDTests/HostileDescriptors")).map { hex(text($0)) }
        case "epc", "gs1":
            for file in files(at: path("Tests/TagwayIdentityTests")) where file.hasSuffix(".swift") {
                seeds += stringLiterals(text(file)).filter { $0.count >= 4 && $0.count <= 300 }.map { Array($0.utf8) }
            }
        case "llrp-codec":
            // The LLRP fixtures' streams, whole (chunk-size byte 0).
            seeds += files(at: path("Tests/TagwayLLRPTests/Fixtures")).filter { $0.hasSuffix(".hex") }.map { [0] + hex(text($0)) }
        case "config":
            let yaml = files(at: path("Tests/TagwayZonesTests/Fixtures")) + files(at: devicesDir)
            seeds += yaml.filter { $0.hasSuffix(".yaml") }.map { Array(text($0).utf8) }
        default:
            // A serial protocol: its decoder fixtures, whole (chunking byte 0, default options).
            // HID fixtures are one report per line, not the HID targets' record format.
            if let descriptor = ProtocolRegistry.descriptor(for: target), descriptor.transport == .serialBytes {
                seeds += files(at: path("Tests/TagwayDecodersTests/Fixtures/\(descriptor.fixturesFolder)"))
                    .filter { $0.hasSuffix(".hex") }.map { [0, 0] + hex(text($0)) }
            }
            // A conversation protocol: the reader's side of its fixture dialogues, whole (chunk
            // byte 0), 5 ms between chunks.
            if let descriptor = ProtocolRegistry.descriptor(for: target), descriptor.transport == .llrpMessages {
                seeds += files(at: path("Tests/TagwayDecodersTests/Fixtures/\(descriptor.fixturesFolder)"))
                    .filter { $0.hasSuffix(".hex") }.map { [0, 5] + hex(text($0)) }
            }
        }
        let regressions = path("Tests/TagwayDecodersTests/Fixtures/fuzz-regressions/\(target)")
        seeds += files(at: regressions).compactMap { FileManager.default.contents(atPath: $0).map { Array($0) } }
        return seeds
    }

    /// Regular files at `path` (itself, or everything under it), sorted.
    static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [path] }
        let names = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
        return names.sorted().map { (path as NSString).appendingPathComponent($0) }.filter {
            var directory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &directory) && !directory.boolValue
        }
    }

    private static func text(_ file: String) -> String {
        (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }

    /// Hex digits in `text`, `#` comments skipped, as bytes (an odd last digit is dropped).
    static func hex(_ text: String) -> [UInt8] {
        let digits = text.split(separator: "\n").map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "" }
            .joined().compactMap { $0.hexDigitValue }
        return stride(from: 0, to: digits.count - 1, by: 2).map { UInt8(digits[$0] << 4 | digits[$0 + 1]) }
    }

    /// The contents of simple `"..."` literals (no escapes, no interpolation).
    private static func stringLiterals(_ source: String) -> [String] {
        var found: [String] = []
        for line in source.split(separator: "\n") {
            let parts = line.split(separator: "\"", omittingEmptySubsequences: false)
            guard parts.count >= 3 else { continue }
            for index in stride(from: 1, to: parts.count - 1, by: 2) where !parts[index].contains("\\") {
                found.append(String(parts[index]))
            }
        }
        return found
    }
}
