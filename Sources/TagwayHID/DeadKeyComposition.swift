/// What a dead accent followed by a letter types, for the accents German and French layouts
/// have as dead keys. An accent followed by a key it does not combine with types both, as
/// Windows does; followed by space it types the accent alone.
enum DeadKeyComposition {
    /// Per accent: pairs of base letter and accented letter.
    private static let table: [Unicode.Scalar: String] = [
        "^": "aâeêiîoôuûAÂEÊIÎOÔUÛ",
        "`": "aàeèiìoòuùAÀEÈIÌOÒUÙ",
        "´": "aáeéiíoóuúyýAÁEÉIÍOÓUÚYÝ",
        "¨": "aäeëiïoöuüyÿAÄEËIÏOÖUÜ",
        "~": "aãoõnñAÃOÕNÑ",
    ]

    static func compose(_ accent: Unicode.Scalar, with base: Unicode.Scalar) -> Unicode.Scalar? {
        guard let pairs = table[accent].map({ Array($0.unicodeScalars) }) else { return nil }
        var index = 0
        while index + 1 < pairs.count {
            if pairs[index] == base { return pairs[index + 1] }
            index += 2
        }
        return nil
    }
}
