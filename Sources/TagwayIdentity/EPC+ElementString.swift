/// EPC → GS1 element string in human-readable form, e.g. `(01)80614141123458(21)6789`
/// (TDS §7: the correspondence between EPCs and GS1 keys).
extension EPC {
    /// The element string, or nil for GID, which has no GS1 key.
    public var elementString: String? {
        elements?.map { "(" + $0.ai + ")" + $0.value }.joined()
    }

    /// The element string as AI/value pairs, values unescaped (raw set-82 characters).
    public var elements: [GS1Element]? {
        let prefix = companyPrefix
        let reference = reference
        switch scheme {
        case .sgtin96, .sgtin198:
            // GTIN-14 = indicator digit, company prefix, item reference, check digit.
            let indicator = reference.prefix(1)
            let gtin = GS1CheckDigit.appending(to: indicator + prefix + reference.dropFirst())
            return [GS1Element(ai: "01", value: gtin), GS1Element(ai: "21", value: raw(serial))]
        case .sscc96:
            let sscc = GS1CheckDigit.appending(to: reference.prefix(1) + prefix + reference.dropFirst())
            return [GS1Element(ai: "00", value: sscc)]
        case .sgln96, .sgln195:
            let gln = GS1CheckDigit.appending(to: prefix + reference)
            // TDS §7.4: the SGLN extension "0" stands for "no GLN extension", so no AI (254).
            if serial == "0" { return [GS1Element(ai: "414", value: gln)] }
            return [GS1Element(ai: "414", value: gln), GS1Element(ai: "254", value: raw(serial))]
        case .grai96, .grai170:
            let grai = "0" + GS1CheckDigit.appending(to: prefix + reference) + raw(serial)
            return [GS1Element(ai: "8003", value: grai)]
        case .giai96, .giai202:
            return [GS1Element(ai: "8004", value: prefix + raw(reference))]
        case .gsrn96:
            return [GS1Element(ai: "8018", value: GS1CheckDigit.appending(to: prefix + reference))]
        case .gsrnp96:
            return [GS1Element(ai: "8017", value: GS1CheckDigit.appending(to: prefix + reference))]
        case .gdti96, .gdti174:
            return [GS1Element(ai: "253", value: GS1CheckDigit.appending(to: prefix + reference) + raw(serial))]
        case .sgcn96:
            return [GS1Element(ai: "255", value: GS1CheckDigit.appending(to: prefix + reference) + (serial ?? ""))]
        case .gid96:
            return nil
        }
    }

    private func raw(_ uriForm: String?) -> String {
        guard let uriForm else { return "" }
        let bytes = (try? GS1CharacterSet82.unescape(Substring(uriForm), scheme: scheme.rawValue, field: "serial"))
            ?? Array(uriForm.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// One GS1 element: an Application Identifier and its data field.
public struct GS1Element: Hashable, Sendable {
    public var ai: String
    public var value: String

    public init(ai: String, value: String) {
        self.ai = ai
        self.value = value
    }
}
