import Testing
@testable import TagwayIdentity

@Suite("GS1 element strings")
struct GS1ParsingTests {
    private func classify(_ text: String) throws -> BarcodeContent {
        try BarcodeContent.classify(symbology: nil, data: BarcodeText.unescaped(text))
    }

    @Test("GS1-128 with FNC1 as GS")
    func gs1128() throws {
        let content = try classify("]C1010950600013435210ABC\\x1D21XYZ")
        guard case let .gs1(symbology, message) = content else { Issue.record("not GS1"); return }
        #expect(symbology?.identifier == "]C1")
        #expect(message.elements == [GS1Element(ai: "01", value: "09506000134352"), GS1Element(ai: "10", value: "ABC"),
                                     GS1Element(ai: "21", value: "XYZ")])
        #expect(message.elementString == "(01)09506000134352(10)ABC(21)XYZ")
    }

    @Test("GS written as <GS>, GS1 DataMatrix, fixed-length AIs need no separator")
    func dataMatrix() throws {
        guard case let .gs1(symbology, message) = try classify("]d2010950600013435217251231 10AB-12<GS>8004061414112345400".split(separator: " ").joined())
        else { Issue.record("not GS1"); return }
        #expect(symbology?.identifier == "]d2")
        #expect(message.elementString == "(01)09506000134352(17)251231(10)AB-12(8004)061414112345400")
    }

    @Test("human-readable input")
    func humanReadable() throws {
        guard case let .gs1(symbology, message) = try classify("(00)106141412345678908(8004)0614141A(B")
        else { Issue.record("not GS1"); return }
        #expect(symbology == nil)
        #expect(message.elements == [GS1Element(ai: "00", value: "106141412345678908"), GS1Element(ai: "8004", value: "0614141A(B")])
    }

    @Test("EAN-13, EAN-8, UPC-E and ITF-14 carry GTINs", arguments: [
        ("]E09506000134352", "09506000134352"),
        ("]E495012346", "00000095012346"),
        ("]E001234565", "00012345000065"),
        ("]I109506000134352", "09506000134352"),
    ])
    func gtinSymbols(text: String, gtin: String) throws {
        guard case let .gs1(_, message) = try classify(text) else { Issue.record("not GS1"); return }
        #expect(message.elements == [GS1Element(ai: "01", value: gtin)])
    }

    @Test("non-GS1 symbologies and plain text are plain codes", arguments: ["]C0ASSET-0042", "]A0ASSET42", "LAPTOP-7731", "]Q1https://example.org/x"])
    func plain(text: String) throws {
        guard case .plain = try classify(text) else { Issue.record("expected plain"); return }
    }

    @Test("invalid GS1 data gives precise errors", arguments: [
        ("]C10109506000134353", GS1Error.checkDigit(ai: "01", value: "09506000134353", expected: 2)),
        ("]C100106141412345678909", .checkDigit(ai: "00", value: "106141412345678909", expected: 8)),
        ("]C14140614141123453", .checkDigit(ai: "414", value: "0614141123453", expected: 2)),
        ("]C1800300614141123453400", .checkDigit(ai: "8003", value: "0614141123453", expected: 2)),
        ("]C1800310614141123452400", .invalidContent(ai: "8003", value: "1", reason: "must be the digit 0")),
        ("]C117250231", .invalidDate(ai: "17", value: "250231", reason: "day 31 of month 2")),
        ("]C117230229", .invalidDate(ai: "17", value: "230229", reason: "day 29 of month 2")),
        ("]C117251301", .invalidDate(ai: "17", value: "251301", reason: "month 13")),
        ("]C17006250200", .invalidDate(ai: "7006", value: "250200", reason: "day 00 is not allowed")),
        ("]C1700325020124", .length(ai: "7003", length: 8, expected: "exactly 10")),
        ("]C170032502012460", .invalidDate(ai: "7003", value: "2460", reason: "hour above 23")),
        ("]C121ABC DEF", .invalidCharacter(ai: "21", character: " ", position: 3, characterSet: "GS1 character set 82")),
        ("]C1101234567890123456789012", .length(ai: "10", length: 22, expected: "1 to 20")),
        ("]C123ABC", .unknownAI(position: 0, text: "23AB")),
        ("]C1010950600013435", .length(ai: "01", length: 13, expected: "exactly 14")),
        ("]C110ABC\\x1D\\x1D21X", .unexpectedSeparator(position: 6)),
    ] as [(String, GS1Error)])
    func invalid(text: String, expected: GS1Error) {
        #expect(throws: expected) { try classify(text) }
    }

    @Test("valid dates: leap day, day 00 where allowed, times")
    func dates() throws {
        for text in ["]C117240229", "]C117250200", "]C170032502012359", "]C143242502009999", "]C18008250201235959",
                     "]C1725020240229", "]C17007250101250131"] {
            guard case .gs1 = try classify(text) else { Issue.record("not GS1: \(text)"); continue }
        }
    }

    @Test("GS1 check digit")
    func checkDigit() {
        #expect(GS1CheckDigit.compute("0950600013435") == 2)
        #expect(GS1CheckDigit.isValid("9501101530003"))
        #expect(!GS1CheckDigit.isValid("9501101530004"))
    }
}
