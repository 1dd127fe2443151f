import ArgumentParser
import TagwayIdentity

struct IdentifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identify",
        abstract: "Decode EPCs, EPC URIs and barcodes into their GS1 identity and Tagway asset key.",
        discussion: "Inputs: a hex EPC, an EPC tag URI, a barcode (GS as itself, \\x1D or <GS>, optional ]C1-style AIM prefix), or (AI)value text.")

    @Flag(help: "One JSON object per input.")
    var json = false

    @Option(name: .customLong("company-prefix"),
            help: "A GS1 Company Prefix (repeatable), so GS1 barcodes get the same EPC key as their RFID tags.")
    var companyPrefixes: [String] = []

    @Argument(help: "The inputs to identify.")
    var inputs: [String]

    func validate() throws {
        for prefix in companyPrefixes where !(prefix.allSatisfy(\.isNumber) && (6...12).contains(prefix.count)) {
            throw ValidationError("'\(prefix)' is not a GS1 Company Prefix; expected 6 to 12 digits")
        }
    }

    func run() throws {
        let prefixes = GS1CompanyPrefixLengths(companyPrefixes: companyPrefixes)
        var failed = false
        for input in inputs {
            if json {
                let (line, isError) = IdentifyReport.json(for: input, companyPrefixes: prefixes)
                print(line)
                failed = failed || isError
            } else {
                let (text, isError) = IdentifyReport.text(for: input, companyPrefixes: prefixes)
                print(text)
                failed = failed || isError
            }
        }
        if failed { throw ExitCode(1) }
    }
}
