@testable import TagwayIdentity

/// Generated GS1 barcode data for the differential test against biip: messages of 1 to 4 element
/// strings in raw form (AIM identifier, GS after every element that is not of predefined length)
/// or human-readable form, valid or with one known mutation.
enum GS1Samples {
    enum Mutation: String, CaseIterable {
        case checkDigit, badDate, tooLong, invalidCharacter, unknownAI, truncatedFixed
    }

    struct Sample {
        var text: String
        var humanReadable: Bool
        var elements: [GS1Element]
        var mutation: Mutation?
    }

    enum Kind {
        case gtin, sscc, gln, gsin, gsrn, date(dayZero: Bool), digits(Int), digitsUpTo(Int), chars(Int)
        case gdti, gcn, grai, giai, countryAndChars, dateTime, productionTime, harvest, currencyAmount
    }

    static let pool: [(ai: String, kind: Kind)] = [
        ("00", .sscc), ("01", .gtin), ("02", .gtin), ("10", .chars(20)), ("11", .date(dayZero: true)),
        ("13", .date(dayZero: true)), ("15", .date(dayZero: true)), ("16", .date(dayZero: true)),
        ("17", .date(dayZero: true)), ("20", .digits(2)), ("21", .chars(20)), ("22", .chars(20)), ("235", .chars(28)),
        ("240", .chars(30)), ("253", .gdti), ("254", .chars(20)), ("255", .gcn), ("37", .digitsUpTo(8)),
        ("3103", .digits(6)), ("3302", .digits(6)), ("3922", .digitsUpTo(15)), ("3932", .currencyAmount),
        ("400", .chars(30)), ("402", .gsin), ("410", .gln), ("414", .gln), ("417", .gln), ("420", .chars(20)),
        ("421", .countryAndChars), ("4326", .date(dayZero: false)), ("7003", .dateTime), ("7006", .date(dayZero: false)),
        ("7007", .harvest), ("8003", .grai), ("8004", .giai), ("8017", .gsrn), ("8018", .gsrn), ("8020", .chars(25)),
        ("8008", .productionTime), ("90", .chars(30)), ("91", .chars(90)), ("7240", .chars(20)), ("8012", .chars(20)),
    ]

    static func digits(_ count: Int, _ rng: inout SeededGenerator) -> String { EPCSamples.digits(count, &rng) }

    static func withCheckDigit(_ count: Int, _ rng: inout SeededGenerator) -> String {
        GS1CheckDigit.appending(to: digits(count - 1, &rng))
    }

    static func characters(_ range: ClosedRange<Int>, humanReadable: Bool, _ rng: inout SeededGenerator) -> String {
        // Parentheses make human-readable text ambiguous (set 82 allows them), so HRI values avoid them.
        let set = EPCSamples.set82.filter { !humanReadable || ($0 != UInt8(ascii: "(") && $0 != UInt8(ascii: ")")) }
        return String(decoding: (0..<Int.random(in: range, using: &rng)).map { _ in set.randomElement(using: &rng)! },
                      as: UTF8.self)
    }

    static func date(dayZero: Bool, _ rng: inout SeededGenerator) -> String {
        let year = Int.random(in: 0...99, using: &rng)
        let month = Int.random(in: 1...12, using: &rng)
        let days = [31, year % 4 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        let day = dayZero && Int.random(in: 0..<5, using: &rng) == 0 ? 0 : Int.random(in: 1...days, using: &rng)
        return two(year) + two(month) + two(day)
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    static func value(_ kind: Kind, humanReadable: Bool, _ rng: inout SeededGenerator) -> String {
        switch kind {
        case .gtin: return withCheckDigit(14, &rng)
        case .sscc: return withCheckDigit(18, &rng)
        case .gln: return withCheckDigit(13, &rng)
        case .gsin: return withCheckDigit(17, &rng)
        case .gsrn: return withCheckDigit(18, &rng)
        case let .date(dayZero): return date(dayZero: dayZero, &rng)
        case let .digits(count): return digits(count, &rng)
        case let .digitsUpTo(count): return digits(Int.random(in: 1...count, using: &rng), &rng)
        case let .chars(count): return characters(1...count, humanReadable: humanReadable, &rng)
        case .gdti: return withCheckDigit(13, &rng) + characters(0...17, humanReadable: humanReadable, &rng)
        case .gcn: return withCheckDigit(13, &rng) + digits(Int.random(in: 0...12, using: &rng), &rng)
        case .grai: return "0" + withCheckDigit(13, &rng) + characters(0...16, humanReadable: humanReadable, &rng)
        case .giai: return digits(Int.random(in: 6...12, using: &rng), &rng) + characters(1...18, humanReadable: humanReadable, &rng)
        case .countryAndChars: return digits(3, &rng) + characters(1...9, humanReadable: humanReadable, &rng)
        case .dateTime:
            return date(dayZero: false, &rng) + two(Int.random(in: 0...23, using: &rng)) + two(Int.random(in: 0...59, using: &rng))
        case .productionTime:
            var text = date(dayZero: false, &rng) + two(Int.random(in: 0...23, using: &rng))
            let extra = Int.random(in: 0...2, using: &rng)
            for _ in 0..<extra { text += two(Int.random(in: 0...59, using: &rng)) }
            return text
        case .harvest:
            return date(dayZero: false, &rng) + (Bool.random(using: &rng) ? date(dayZero: false, &rng) : "")
        case .currencyAmount:
            return digits(3, &rng) + digits(Int.random(in: 1...15, using: &rng), &rng)
        }
    }

    /// The bytes as a scanner sends them: AIM identifier, GS after elements not of predefined length.
    static func raw(_ elements: [GS1Element], symbology: String) -> String {
        var text = symbology
        for (index, element) in elements.enumerated() {
            text += element.ai + element.value
            let predefined = GS1ApplicationIdentifier.named(element.ai)?.predefinedLength ?? false
            if index < elements.count - 1, !predefined { text += "\u{1D}" }
        }
        return text
    }

    static func generate(seed: UInt64, count: Int) -> [Sample] {
        var rng = SeededGenerator(seed: seed)
        var out = [Sample]()
        while out.count < count {
            let humanReadable = Int.random(in: 0..<10, using: &rng) < 3
            var picks = (0..<Int.random(in: 1...4, using: &rng)).map { _ in pool.randomElement(using: &rng)! }
            var seen = Set<String>()
            picks = picks.filter { seen.insert($0.ai).inserted }
            var elements = picks.map { GS1Element(ai: $0.ai, value: value($0.kind, humanReadable: humanReadable, &rng)) }
            var mutation: Mutation?
            if Int.random(in: 0..<10, using: &rng) < 4 {
                let candidate = Mutation.allCases.randomElement(using: &rng)!
                if mutate(&elements, kinds: picks.map(\.kind), candidate, humanReadable: humanReadable, &rng) { mutation = candidate }
            }
            let symbology = Int.random(in: 0..<20, using: &rng) == 0 ? "]J1" : ["]C1", "]d2", "]Q3", "]e0"].randomElement(using: &rng)!
            let text = humanReadable ? elements.map { "(" + $0.ai + ")" + $0.value }.joined() : raw(elements, symbology: symbology)
            out.append(Sample(text: text, humanReadable: humanReadable, elements: elements, mutation: mutation))
        }
        // Bare GTINs from EAN-13, EAN-8 and ITF-14 symbols, a quarter with a wrong check digit.
        for index in 0..<120 {
            let (symbology, length) = [("]E0", 13), ("]E4", 8), ("]I1", 14)][index % 3]
            var gtin = withCheckDigit(length, &rng)
            var mutation: Mutation?
            if index % 4 == 0 {
                gtin = String(gtin.dropLast()) + String((Int(String(gtin.last!))! + 1) % 10)
                mutation = .checkDigit
            }
            let padded = String(repeating: "0", count: 14 - length) + gtin
            out.append(Sample(text: symbology + gtin, humanReadable: false, elements: [GS1Element(ai: "01", value: padded)],
                              mutation: mutation))
        }
        return out
    }

    /// Applies one mutation to a random applicable element; false when none applies.
    static func mutate(_ elements: inout [GS1Element], kinds: [Kind], _ mutation: Mutation, humanReadable: Bool,
                       _ rng: inout SeededGenerator) -> Bool {
        let last = elements.count - 1
        switch mutation {
        case .checkDigit:
            let candidates = elements.indices.filter {
                switch kinds[$0] { case .gtin, .sscc, .gln, .gsin, .gsrn, .gdti, .gcn, .grai: return true; default: return false }
            }
            guard let index = candidates.randomElement(using: &rng) else { return false }
            var bytes = Array(elements[index].value.utf8)
            let position: Int
            switch kinds[index] {
            case .gdti, .gcn: position = 12
            case .grai: position = 13
            default: position = bytes.count - 1
            }
            bytes[position] = UInt8(ascii: "0") + (bytes[position] - UInt8(ascii: "0") + 1) % 10
            elements[index].value = String(decoding: bytes, as: UTF8.self)
        case .badDate:
            let candidates = elements.indices.filter {
                switch kinds[$0] { case .date, .dateTime, .productionTime, .harvest: return true; default: return false }
            }
            guard let index = candidates.randomElement(using: &rng) else { return false }
            var bytes = Array(elements[index].value.utf8)
            let replacement: [UInt8]
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: replacement = Array("1301".utf8)
            case 1: replacement = Array("0132".utf8)
            case 2: replacement = Array("0230".utf8)
            default:
                guard case let .date(dayZero) = kinds[index], !dayZero else { replacement = Array("0431".utf8); break }
                replacement = Array("0500".utf8)
            }
            bytes.replaceSubrange(2..<6, with: replacement)
            elements[index].value = String(decoding: bytes, as: UTF8.self)
        case .tooLong:
            guard case let .chars(maximum) = kinds[last] else { return false }
            elements[last].value = String(repeating: "Q", count: maximum + 1)
        case .invalidCharacter:
            let candidates = elements.indices.filter { if case .chars = kinds[$0] { return true }; return false }
            guard let index = candidates.randomElement(using: &rng) else { return false }
            var value = Array(elements[index].value)
            // No space in human-readable text: biip deletes all whitespace there before parsing.
            let bad: [Character] = humanReadable ? ["#", "~", "é", "\\"] : [" ", "#", "~", "é", "\\"]
            value.insert(bad.randomElement(using: &rng)!, at: Int.random(in: 1...value.count, using: &rng))
            elements[index].value = String(value)
        case .unknownAI:
            elements.insert(GS1Element(ai: ["23", "5", "7777", "6"].randomElement(using: &rng)!, value: "1234"), at: 0)
        case .truncatedFixed:
            guard let ai = GS1ApplicationIdentifier.named(elements[last].ai), ai.isFixedLength else { return false }
            elements[last].value = String(elements[last].value.dropLast())
        }
        return true
    }
}
