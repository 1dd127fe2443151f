/// GS1 element strings → EPC pure identity (TDS §7, the reverse of `EPC.elements`).
extension GS1Message {
    /// The EPC of the first element whose GS1 key has an EPC scheme: (00) SSCC, (01)+(21) SGTIN,
    /// (414)[+(254)] SGLN, (8003) with serial GRAI, (8004) GIAI, (8017) GSRNP, (8018) GSRN,
    /// (253) with serial GDTI, (255) with serial SGCN. Nil when there is none or the company prefix
    /// length is unknown. The scheme is the one that can hold any value of the AI (the pure-identity
    /// URI does not depend on it); the filter is 0.
    public func epc(companyPrefixes: GS1CompanyPrefixLengths) -> EPC? {
        guard !companyPrefixes.isEmpty else { return nil }
        for element in elements {
            if let epc = Self.epc(for: element, in: self, companyPrefixes: companyPrefixes) { return epc }
        }
        return nil
    }

    private static func epc(for element: GS1Element, in message: GS1Message,
                            companyPrefixes: GS1CompanyPrefixLengths) -> EPC? {
        let value = element.value
        func split(_ digits: Substring, total: Int) -> (prefix: String, rest: String)? {
            guard Decimal64.isDigits(digits), digits.utf8.count >= total,
                  let length = companyPrefixes.length(forKeyDigits: digits), length <= total else { return nil }
            return (String(digits.prefix(length)), String(digits.prefix(total).dropFirst(length)))
        }
        let candidate: EPC?
        switch element.ai {
        case "01":
            guard let serial = message.value(of: "21"),
                  let (prefix, rest) = split(value.dropFirst().prefix(12), total: 12) else { return nil }
            candidate = make(.sgtin198, prefix, String(value.prefix(1)) + rest, serial)
        case "00":
            guard let (prefix, rest) = split(value.dropFirst().prefix(16), total: 16) else { return nil }
            candidate = make(.sscc96, prefix, String(value.prefix(1)) + rest, nil)
        case "414":
            guard let (prefix, rest) = split(value.prefix(12), total: 12) else { return nil }
            candidate = make(.sgln195, prefix, rest, message.value(of: "254") ?? "0")
        case "8003":
            let serial = value.dropFirst(14)
            guard !serial.isEmpty, let (prefix, rest) = split(value.dropFirst().prefix(12), total: 12) else { return nil }
            candidate = make(.grai170, prefix, rest, String(serial))
        case "8004":
            let digits = value.prefix { $0.isASCII && $0.isNumber }
            guard let length = companyPrefixes.length(forKeyDigits: digits), value.count > length else { return nil }
            candidate = make(.giai202, String(value.prefix(length)), String(value.dropFirst(length)), nil)
        case "8017", "8018":
            guard let (prefix, rest) = split(value.prefix(17), total: 17) else { return nil }
            candidate = make(element.ai == "8018" ? .gsrn96 : .gsrnp96, prefix, rest, nil)
        case "253":
            let serial = value.dropFirst(13)
            guard !serial.isEmpty, let (prefix, rest) = split(value.prefix(12), total: 12) else { return nil }
            candidate = make(.gdti174, prefix, rest, String(serial))
        case "255":
            let serial = value.dropFirst(13)
            guard !serial.isEmpty, let (prefix, rest) = split(value.prefix(12), total: 12) else { return nil }
            candidate = make(.sgcn96, prefix, rest, String(serial))
        default:
            return nil
        }
        return candidate
    }

    /// Builds and validates (by encoding) an EPC from raw component values.
    private static func make(_ scheme: EPCScheme, _ prefix: String, _ reference: String, _ serial: String?) -> EPC? {
        let uriReference = scheme == .giai202 ? GS1CharacterSet82.escape(Array(reference.utf8)) : reference
        let uriSerial: String?
        if let serial {
            uriSerial = scheme.serialCodingIsString ? GS1CharacterSet82.escape(Array(serial.utf8)) : serial
        } else {
            uriSerial = nil
        }
        let epc = EPC(scheme: scheme, filter: 0, partition: 12 - prefix.utf8.count, companyPrefix: prefix,
                      reference: uriReference, serial: uriSerial)
        guard let bytes = try? EPCBinaryEncoder.encode(epc) else { return nil }
        return try? EPCBinaryDecoder.decode(bytes: bytes)
    }

    /// The GS1 key of the message and its key qualifiers, as used by GS1 Digital Link (GS1 Barcode
    /// Syntax Dictionary "dlpkey"): the first primary-key element and, in the standard's order, the
    /// qualifier elements that are present. Nil when the message has no primary key.
    public var keyElements: [GS1Element]? {
        for element in elements {
            guard let qualifiers = Self.primaryKeyQualifiers[element.ai] else { continue }
            var out = [element]
            for ai in qualifiers {
                if let found = elements.first(where: { $0.ai == ai }) { out.append(found) }
            }
            return out
        }
        return nil
    }

    private static let primaryKeyQualifiers: [String: [String]] = [
        "00": [], "01": ["22", "10", "21", "235"], "253": [], "255": [], "401": [], "402": [],
        "414": ["254", "7040"], "415": ["8020"], "417": ["7040"], "8003": [], "8004": ["7040"],
        "8006": ["22", "10", "21"], "8010": ["8011"], "8013": [], "8017": ["8019"], "8018": ["8019"],
    ]
}
