/// LLRPStatus (LLRP 1.0.1): a status code, a UTF-8 description, then an
/// optional FieldError and an optional ParameterError, which may itself hold a FieldError and a
/// ParameterError, and so on.
///
/// The model keeps the blame as one line, `LLRPStatus.detail`: the errors depth first, joined by
/// "; ", each "field N: CODE" or "parameter T: CODE" (CODE as `LLRPStatusCode.description`,
/// ending in its number in parentheses). The encoder reads that line back, so a decoded status
/// re-encodes to the same bytes; a detail in any other form is not sent.
enum LLRPStatusCoding {
    enum Blame: Equatable {
        case field(number: UInt16, code: UInt16)
        case parameter(type: UInt16, code: UInt16)
    }

    static func encode(_ status: LLRPStatus, into writer: inout LLRPByteWriter) {
        let start = writer.open(LLRPParameterType.llrpStatus)
        writer.u16(status.code.rawValue)
        writer.utf8v(status.errorDescription)
        if let detail = status.detail, let blames = parse(detail) {
            var opened: [Int] = []
            for blame in blames {
                switch blame {
                case .field(let number, let code):
                    writer.parameter(LLRPParameterType.fieldError) { w in
                        w.u16(number)
                        w.u16(code)
                    }
                case .parameter(let type, let code):
                    opened.append(writer.open(LLRPParameterType.parameterError))
                    writer.u16(type)
                    writer.u16(code)
                }
            }
            for parameter in opened.reversed() { writer.close(parameter) }
        }
        writer.close(start)
    }

    static func decode(_ reader: LLRPBodyReader) throws(LLRPError) -> LLRPStatus {
        var reader = reader
        let code = try reader.u16("LLRPStatus StatusCode")
        let description = try reader.utf8v("LLRPStatus ErrorDescription")
        var blames: [Blame] = []
        try collectBlames(&reader, into: &blames)
        return LLRPStatus(code: LLRPStatusCode(rawValue: code), errorDescription: description,
                          detail: blames.isEmpty ? nil : render(blames))
    }

    /// FieldError then ParameterError of one level, the ParameterError's own errors after it.
    private static func collectBlames(_ reader: inout LLRPBodyReader, into blames: inout [Blame]) throws(LLRPError) {
        var field: Blame?
        var nested: [Blame] = []
        var parameter: Blame?
        while let header = try reader.nextParameter() {
            guard !header.isTV else { continue }
            switch header.type {
            case LLRPParameterType.fieldError:
                var value = try reader.contents(of: header)
                field = .field(number: try value.u16("FieldError FieldNum"), code: try value.u16("FieldError ErrorCode"))
            case LLRPParameterType.parameterError:
                var value = try reader.contents(of: header)
                parameter = .parameter(type: try value.u16("ParameterError ParameterType"),
                                       code: try value.u16("ParameterError ErrorCode"))
                nested = []
                try collectBlames(&value, into: &nested)
            default:
                continue
            }
        }
        if let field { blames.append(field) }
        if let parameter {
            blames.append(parameter)
            blames += nested
        }
    }

    static func render(_ blames: [Blame]) -> String {
        blames.map { blame in
            switch blame {
            case .field(let number, let code): "field \(number): \(LLRPStatusCode(rawValue: code))"
            case .parameter(let type, let code): "parameter \(type): \(LLRPStatusCode(rawValue: code))"
            }
        }.joined(separator: "; ")
    }

    /// The blames of a detail line in the rendered form, in an order that nests (at most one
    /// field before each parameter), or nil.
    static func parse(_ detail: String) -> [Blame]? {
        var blames: [Blame] = []
        var fieldAtThisLevel = false
        for segment in detail.split(separator: ";") {
            let words = segment.split(separator: " ")
            guard words.count >= 3, words[1].hasSuffix(":"),
                  let number = UInt16(words[1].dropLast()),
                  let last = words.last, last.hasPrefix("("), last.hasSuffix(")"),
                  let code = UInt16(last.dropFirst().dropLast()) else { return nil }
            switch words[0] {
            case "field":
                guard !fieldAtThisLevel else { return nil }
                fieldAtThisLevel = true
                blames.append(.field(number: number, code: code))
            case "parameter":
                fieldAtThisLevel = false
                blames.append(.parameter(type: number, code: code))
            default:
                return nil
            }
        }
        return blames.isEmpty ? nil : blames
    }
}
