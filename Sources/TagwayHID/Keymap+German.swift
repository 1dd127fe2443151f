extension Keymap {
    /// German (QWERTZ, T1 as on Windows and Linux `de`): Y and Z swapped, umlauts, `@ € { [ ] } \ ~ |`
    /// on AltGr, and `^ ´ `` ` `` as dead keys. Scanners set to German type `@` as AltGr+Q and
    /// `/` as Shift+7, so reading them with the US map garbles most non-digit barcodes.
    public static let german: Keymap = {
        var layout = KeymapBuilder(name: "de")
        layout.keypadDecimal = ","
        layout.letters("abcdefghijklmnopqrstuvwxzy")
        layout.altGr(0x14, "@")       // Q
        layout.altGr(0x08, "€")       // E
        layout.altGr(0x10, "µ")       // M
        layout.row(from: 0x1E, plain: "1234567890", shifted: "!\"§$%&/()=")
        layout.altGr(0x1F, "²")
        layout.altGr(0x20, "³")
        layout.altGr(0x24, "{")
        layout.altGr(0x25, "[")
        layout.altGr(0x26, "]")
        layout.altGr(0x27, "}")
        layout.key(0x2D, "ß", "?", altGr: "\\", alphabetic: false)
        layout.key(0x2E, .dead("´"), .dead("`"))
        layout.key(0x2F, "ü", "Ü")
        layout.key(0x30, "+", "*", altGr: "~")
        layout.key(0x31, "#", "'")
        layout.key(0x32, "#", "'")
        layout.key(0x33, "ö", "Ö")
        layout.key(0x34, "ä", "Ä")
        layout.key(0x35, .dead("^"), "°")
        layout.key(0x36, ",", ";")
        layout.key(0x37, ".", ":")
        layout.key(0x38, "-", "_")
        layout.key(0x64, "<", ">", altGr: "|")
        return layout.keymap
    }()
}
