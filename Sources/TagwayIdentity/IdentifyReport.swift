import TagwayModel

/// `tagway identify`: one input → one report, as a JSON object line or as text.
///
/// Inputs: an EPC tag URI (`urn:epc:tag:…`); a pure-identity URI (`urn:epc:id:…`: no scheme,
/// filter or hex, it has none); hex EPC (16 or more letters and digits whose first two
/// are a supported EPC header, whole 16-bit words of hex of 96 bits or more, or anything after
/// `epc:`); otherwise barcode data, where `\xNN` is the
/// byte NN and `<GS>` is GS, with an optional AIM identifier in front (`]C1…`), or GS1
/// element strings in human-readable form `(01)…(21)…`. `barcode:` forces barcode data.
public enum IdentifyReport {
    /// One `tagway identify` input → one JSON object line and whether it was invalid.
    public static func json(for input: String) -> (line: String, isError: Bool) {
        json(for: input, companyPrefixes: .none)
    }

    public static func json(for input: String, companyPrefixes: GS1CompanyPrefixLengths) -> (line: String, isError: Bool) {
        let report = Report(input: input, companyPrefixes: companyPrefixes)
        var out = JSONObjectWriter()
        out.string("input", input)
        out.string("kind", report.kind)
        for (key, value) in report.fields {
            switch value {
            case let .string(text): out.string(key, text)
            case let .number(number): out.number(key, Int64(number))
            case let .elements(elements):
                let items = elements.map { element -> String in
                    var item = JSONObjectWriter()
                    item.string("ai", element.ai)
                    item.string("value", element.value)
                    return item.finish()
                }
                out.raw(key, "[" + items.joined(separator: ",") + "]")
            }
        }
        return (out.finish(), report.error != nil)
    }

    /// Human-readable (non --json) multi-line text for one input.
    public static func text(for input: String) -> (text: String, isError: Bool) {
        text(for: input, companyPrefixes: .none)
    }

    public static func text(for input: String, companyPrefixes: GS1CompanyPrefixLengths) -> (text: String, isError: Bool) {
        let report = Report(input: input, companyPrefixes: companyPrefixes)
        var lines = ["input:         " + BarcodeText.escaped(Array(input.utf8)), "kind:          " + report.kind]
        for (key, value) in report.fields {
            let label = (key + ":").padding(toLength: 15)
            switch value {
            case let .string(text): lines.append(label + (key == "error" ? text : BarcodeText.escaped(Array(text.utf8))))
            case let .number(number): lines.append(label + String(number))
            case let .elements(elements):
                for element in elements {
                    lines.append(label + "(" + element.ai + ") " + BarcodeText.escaped(Array(element.value.utf8)))
                }
            }
        }
        return (lines.joined(separator: "\n") + "\n", report.error != nil)
    }

    enum Value {
        case string(String)
        case number(Int)
        case elements([GS1Element])
    }

    /// The fields of one input's report, in output order.
    struct Report {
        var kind = "plain"
        var fields: [(String, Value)] = []
        var error: String?

        init(input: String, companyPrefixes: GS1CompanyPrefixLengths) {
            if input.hasPrefix(EPCTagURI.prefix) {
                kind = "epc"
                do { add(try EPCTagURI.parse(input)) } catch { fail(error.description) }
            } else if input.hasPrefix(EPCPureIdentityURI.prefix) {
                kind = "epc"
                do {
                    let epc = try EPCPureIdentityURI.parse(input)
                    fields.append(("uri", .string(epc.pureIdentityURI)))
                    if let partition = epc.partition { fields.append(("partition", .number(partition))) }
                    if let elementString = epc.elementString { fields.append(("elementString", .string(elementString))) }
                    fields.append(("assetKey", .string(epc.pureIdentityURI)))
                } catch {
                    fail(error.description)
                }
            } else if input.hasPrefix("epc:") || Self.looksLikeHexEPC(input) {
                kind = "epc"
                let hex = input.hasPrefix("epc:") ? String(input.dropFirst(4)) : input
                do {
                    add(try EPCBinaryDecoder.decode(hex: hex))
                } catch {
                    fail(error.description)
                    if let bytes = try? EPCBinaryDecoder.parseHex(hex) {
                        let normalized = HexCoding.encode(bytes)
                        fields.append(("assetKey", .string(AssetKeyResolver.rawURI(hex: normalized, bytes: bytes.count, afi: nil))))
                    }
                }
            } else {
                let text = input.hasPrefix("barcode:") ? String(input.dropFirst(8)) : input
                let data = BarcodeText.unescaped(text)
                let raw = BarcodeText.escaped(data)
                do {
                    // Text that starts like "(01)" is meant as GS1 human-readable form: report its errors.
                    let content = Self.looksLikeHRI(data)
                        ? BarcodeContent.gs1(symbology: nil, message: try GS1ElementStringParser.parse(humanReadable: String(decoding: data, as: UTF8.self)))
                        : try BarcodeContent.classify(symbology: nil, data: data)
                    if case let .gs1(symbology, message) = content {
                        kind = "gs1"
                        if let symbology { fields.append(("symbology", .string(symbology.identifier))) }
                        fields.append(("elements", .elements(message.elements)))
                        fields.append(("elementString", .string(message.elementString)))
                    } else if case let .plain(symbology, _) = content, let symbology {
                        fields.append(("symbology", .string(symbology.identifier)))
                    }
                    let ref = AssetKeyResolver.assetRef(for: content, raw: raw, companyPrefixes: companyPrefixes)
                    fields.append(("assetKey", .string(ref.key)))
                } catch {
                    kind = "gs1"
                    fail(error.description)
                }
            }
        }

        private mutating func add(_ epc: EPC) {
            fields.append(("scheme", .string(epc.scheme.rawValue)))
            fields.append(("uri", .string(epc.pureIdentityURI)))
            fields.append(("tagUri", .string(epc.tagURI)))
            if let filter = epc.filter { fields.append(("filter", .number(filter))) }
            if let partition = epc.partition { fields.append(("partition", .number(partition))) }
            if let elementString = epc.elementString { fields.append(("elementString", .string(elementString))) }
            if let hex = try? epc.hex { fields.append(("hex", .string(hex))) }
            fields.append(("assetKey", .string(epc.pureIdentityURI)))
        }

        private mutating func fail(_ message: String) {
            error = message
            fields.append(("error", .string(message)))
        }

        /// Starts with `(AI)` of a known Application Identifier.
        static func looksLikeHRI(_ data: [UInt8]) -> Bool {
            guard data.first == UInt8(ascii: "("), let close = data.prefix(6).firstIndex(of: UInt8(ascii: ")")) else { return false }
            return GS1ApplicationIdentifier.named(String(decoding: data[1..<close], as: UTF8.self)) != nil
        }

        /// At least 16 letters and digits starting with the hex of a supported EPC header, or
        /// whole 16-bit words of hex, 96 bits or more, whatever the header: EPC memory is read in
        /// words, so such an input is an EPC and an unknown header is its error, not a barcode.
        static func looksLikeHexEPC(_ input: String) -> Bool {
            let utf8 = Array(input.utf8)
            if utf8.count >= 24, utf8.count % 4 == 0, utf8.allSatisfy({ HexCoding.nibble($0) != nil }) { return true }
            guard utf8.count >= 16, utf8.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }),
                  let high = HexCoding.nibble(utf8[0]), let low = HexCoding.nibble(utf8[1])
            else { return false }
            return EPCScheme(header: high << 4 | low) != nil
        }
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self + " " : self + String(repeating: " ", count: length - count)
    }
}
