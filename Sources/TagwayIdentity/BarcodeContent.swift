import TagwayModel

/// What a barcode scan carries, after its symbology identifier has been read.
public enum BarcodeContent: Hashable, Sendable {
    /// GS1 data: a GS1 message, or a GTIN from an EAN/UPC/ITF-14 symbol.
    case gs1(symbology: AIMSymbology?, message: GS1Message)
    /// Anything else: a plain code such as an asset-tag number in Code 128 or Code 39.
    case plain(symbology: AIMSymbology?, data: [UInt8])

    /// Classifies scanned data.
    ///
    /// - GS1 symbologies (`]C1`, `]e0`, `]d2`, `]Q3`, `]J1` …) must hold a valid GS1 message: an
    ///   invalid one is an error, never silently a plain code.
    /// - `]E0`, `]E3`, `]E4`, `]I1` must hold a valid GTIN.
    /// - Other identifiers (`]C0`, `]A0`, `]Q1` …) are plain codes.
    /// - Without an identifier: text starting with `(` that parses as element strings in
    ///   human-readable form is GS1; data containing GS that parses as a GS1 message is GS1 (some
    ///   scanners drop the identifier but keep FNC1 as GS); everything else is plain.
    public static func classify(symbology given: String?, data: [UInt8]) throws(GS1Error) -> BarcodeContent {
        var symbology: AIMSymbology?
        var payload = data[...]
        if let given, !given.isEmpty {
            let (parsed, _) = try AIMSymbology.split(Array(given.utf8))
            symbology = parsed
        } else {
            (symbology, payload) = try AIMSymbology.split(data)
        }
        if let symbology {
            if symbology.carriesGS1Message {
                return .gs1(symbology: symbology, message: try GS1ElementStringParser.parse(data: payload))
            }
            if symbology.carriesGTIN {
                return .gs1(symbology: symbology, message: GS1Message(elements: [try GTINSymbol.element(symbology: symbology, data: payload)]))
            }
            return .plain(symbology: symbology, data: Array(payload))
        }
        if payload.first == UInt8(ascii: "("),
           let message = try? GS1ElementStringParser.parse(humanReadable: String(decoding: payload, as: UTF8.self)) {
            return .gs1(symbology: nil, message: message)
        }
        if payload.contains(GS1ElementStringParser.groupSeparator),
           let message = try? GS1ElementStringParser.parse(data: payload) {
            return .gs1(symbology: nil, message: message)
        }
        return .plain(symbology: nil, data: Array(payload))
    }
}

/// Lossless printable form of scanned bytes: printable ASCII except `\` as itself, every other
/// byte (GS, CR, `\`, bytes of non-ASCII text) as `\xNN`. The CLI accepts the same escapes back.
public enum BarcodeText {
    public static func escaped(_ bytes: some Sequence<UInt8>) -> String {
        var out = [UInt8]()
        let digits = Array("0123456789ABCDEF".utf8)
        for byte in bytes {
            if byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") {
                out.append(byte)
            } else {
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "x"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Command-line text → bytes: `\xNN` is the byte NN, `<GS>` is GS (0x1D), the rest is UTF-8.
    public static func unescaped(_ text: String) -> [UInt8] {
        let input = Array(text.utf8)
        var out = [UInt8]()
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "\\"), index + 3 < input.count, input[index + 1] == UInt8(ascii: "x"),
               let high = HexCoding.nibble(input[index + 2]), let low = HexCoding.nibble(input[index + 3]) {
                out.append(high << 4 | low)
                index += 4
            } else if input[index] == UInt8(ascii: "<"), input[index...].starts(with: Array("<GS>".utf8)) {
                out.append(GS1ElementStringParser.groupSeparator)
                index += 4
            } else {
                out.append(input[index])
                index += 1
            }
        }
        return out
    }
}
