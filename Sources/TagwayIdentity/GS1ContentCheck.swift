/// Content rules of AI components (the "linters" of the GS1 Barcode Syntax Dictionary): check
/// digits, dates and times (GS1 General Specifications §7.12), flags.
enum GS1ContentCheck {
    static func apply(_ check: GS1ApplicationIdentifier.Check, to part: ArraySlice<UInt8>, ai: String) throws(GS1Error) {
        let text = String(decoding: part, as: UTF8.self)
        let digits = part.map { Int($0) - 48 }
        func number(_ from: Int, _ count: Int) -> Int { digits[from..<(from + count)].reduce(0) { $0 * 10 + $1 } }
        switch check {
        case .csum:
            guard GS1CheckDigit.isValid(text) else {
                throw .checkDigit(ai: ai, value: text, expected: GS1CheckDigit.compute(text.dropLast()) ?? 0)
            }
        case .ymd, .ymd0:
            try date(year: number(0, 2), month: number(2, 2), day: number(4, 2), dayZeroAllowed: check == .ymd0,
                     ai: ai, text: text)
        case .ymdh:
            try date(year: number(0, 2), month: number(2, 2), day: number(4, 2), dayZeroAllowed: false, ai: ai, text: text)
            guard number(6, 2) <= 23 else { throw .invalidDate(ai: ai, value: text, reason: "hour above 23") }
        case .hhmm, .hhmm9:
            if check == .hhmm9, text == "9999" { return }
            guard number(0, 2) <= 23 else { throw .invalidDate(ai: ai, value: text, reason: "hour above 23") }
            guard number(2, 2) <= 59 else { throw .invalidDate(ai: ai, value: text, reason: "minute above 59") }
        case .mmss:
            guard digits.count == 2 || digits.count == 4 else {
                throw .invalidDate(ai: ai, value: text, reason: "minutes and seconds must be MM or MMSS")
            }
            guard number(0, 2) <= 59 else { throw .invalidDate(ai: ai, value: text, reason: "minute above 59") }
            if digits.count == 4, number(2, 2) > 59 {
                throw .invalidDate(ai: ai, value: text, reason: "second above 59")
            }
        case .ymd8, .ymdhm12:
            let year = number(0, 4)
            try date(fullYear: year, month: number(4, 2), day: number(6, 2), ai: ai, text: text)
            if check == .ymdhm12 {
                guard number(8, 2) <= 23 else { throw .invalidDate(ai: ai, value: text, reason: "hour above 23") }
                guard number(10, 2) <= 59 else { throw .invalidDate(ai: ai, value: text, reason: "minute above 59") }
            }
        case .zero:
            guard text == "0" else { throw .invalidContent(ai: ai, value: text, reason: "must be the digit 0") }
        case .yesno:
            guard text == "0" || text == "1" else { throw .invalidContent(ai: ai, value: text, reason: "must be 0 or 1") }
        case .hyphen:
            guard text == "-" else { throw .invalidContent(ai: ai, value: text, reason: "must be '-'") }
        case .piece:
            let piece = number(0, 2), total = number(2, 2)
            guard piece >= 1, total >= 1, piece <= total else {
                throw .invalidContent(ai: ai, value: text, reason: "piece number must be 1 to the total number of pieces")
            }
        case .cc3:
            guard digits.count % 3 == 0 else {
                throw .invalidContent(ai: ai, value: text, reason: "must be 3-digit country codes")
            }
        }
    }

    /// YYMMDD. The century follows §7.12's sliding window, which for every year from 1951 to 2049
    /// maps YY=00 to 2000; so a YY divisible by 4 is a leap year (no clock needed before 2051).
    private static func date(year: Int, month: Int, day: Int, dayZeroAllowed: Bool, ai: String,
                             text: String) throws(GS1Error) {
        guard (1...12).contains(month) else { throw .invalidDate(ai: ai, value: text, reason: "month \(month)") }
        if day == 0 {
            guard dayZeroAllowed else { throw .invalidDate(ai: ai, value: text, reason: "day 00 is not allowed") }
            return
        }
        let leap = year % 4 == 0
        guard day <= daysIn(month: month, leap: leap) else {
            throw .invalidDate(ai: ai, value: text, reason: "day \(day) of month \(month)")
        }
    }

    private static func date(fullYear: Int, month: Int, day: Int, ai: String, text: String) throws(GS1Error) {
        guard (1...12).contains(month) else { throw .invalidDate(ai: ai, value: text, reason: "month \(month)") }
        let leap = fullYear % 4 == 0 && (fullYear % 100 != 0 || fullYear % 400 == 0)
        guard day >= 1, day <= daysIn(month: month, leap: leap) else {
            throw .invalidDate(ai: ai, value: text, reason: "day \(day) of month \(month)")
        }
    }

    private static func daysIn(month: Int, leap: Bool) -> Int {
        switch month {
        case 2: leap ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
