import Foundation

/// A `/metrics` body as the official Python client's parser reads it
/// (`prometheus_client.parser.text_string_to_metric_families`, Debian's python3-prometheus-client):
/// a text the real parser refuses fails the test instead of being read leniently here.
struct PrometheusScrape {
    struct Sample: Hashable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    let samples: [Sample]
    /// Family name (as the parser gives it: counters without `_total`) to type.
    let types: [String: String]

    static let parser = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        samples, types = [], {}
        for family in text_string_to_metric_families(open(sys.argv[1]).read()):
            types[family.name] = family.type
            for s in family.samples:
                samples.append({"name": s.name, "labels": s.labels, "value": s.value})
        print(json.dumps({"samples": samples, "types": types}))
        """

    enum ParseError: Error, CustomStringConvertible {
        case refused(String)
        var description: String { switch self { case .refused(let text): "the Prometheus parser refused the scrape: \(text)" } }
    }

    /// Parses `text` with the Debian python (the package installs into its dist-packages).
    init(parsing text: String, scratch dir: String) throws {
        let file = dir + "/metrics.txt"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let process = Process()
        let output = Pipe(), errors = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.parser, file]
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = object["samples"] as? [[String: Any]], let types = object["types"] as? [String: String]
        else { throw ParseError.refused(problem) }
        samples = list.compactMap { entry in
            let number = entry["value"]
            guard let name = entry["name"] as? String,
                  let value = (number as? Double) ?? (number as? Int).map(Double.init) ?? (number as? NSNumber)?.doubleValue
            else { return nil }
            return Sample(name: name, labels: entry["labels"] as? [String: String] ?? [:], value: value)
        }
        self.types = types
    }

    /// The value of the one sample `name` whose labels include `labels` (nil: none, or several).
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
        return matching.count == 1 ? matching[0].value : nil
    }

    /// The sum of every sample `name` whose labels include `labels` (0 when none).
    func sum(_ name: String, _ labels: [String: String] = [:]) -> Double {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
            .reduce(0) { $0 + $1.value }
    }

    var names: Set<String> { Set(samples.map(\.name)) }
}
