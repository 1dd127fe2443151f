import ArgumentParser
import TagwayIdentity

struct IdentifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identify",
        abstract: "Decode EPCs, EPC URIs and barcodes into their GS1 identity and Tagway asset key.",
        discussion: "Inputs: a hex EPC, an EPC tag URI, a barcode (GS as itself, \\x1D or <GS>, optional ]C1-style AIM prefix), or (AI)value text.")

    @Flag(help: "One JSON object per input.")
    var json = false

    @Argument(help: "The inputs to identify.")
    var inputs: [String]

    func run() throws {
        var failed = false
        for input in inputs {
            if json {
                let (line, isError) = IdentifyReport.json(for: input)
                print(line)
                failed = failed || isError
            } else {
                let (text, isError) = IdentifyReport.text(for: input)
                print(text)
                failed = failed || isError
            }
        }
        if failed { throw ExitCode(1) }
    }
}
