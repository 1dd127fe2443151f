extension Keymap {
    /// French (AZERTY, as on Windows and Linux `fr`): A/Q and Z/W swapped, M beside L, digits on
    /// Shift of the `& é " ' ( - è _ ç à` row, `~ # { [ | ` \ ^ @` on AltGr of that row, and `^ ¨`
    /// as dead keys. A scanner set to French sends Shift for every digit.
    public static let french: Keymap = {
        var layout = KeymapBuilder(name: "fr")
        layout.letters("qbcdefghijkl,noparstuvzxyw")
        layout.key(0x10, ",", "?")    // the US M key
        layout.key(0x33, "m", "M")    // the US ; key
        layout.altGr(0x08, "€")       // E
        layout.key(0x1E, "&", "1")
        layout.key(0x1F, "é", "2", altGr: "~")
        layout.key(0x20, "\"", "3", altGr: "#")
        layout.key(0x21, "'", "4", altGr: "{")
        layout.key(0x22, "(", "5", altGr: "[")
        layout.key(0x23, "-", "6", altGr: "|")
        layout.key(0x24, "è", "7", altGr: "`")
        layout.key(0x25, "_", "8", altGr: "\\")
        layout.key(0x26, "ç", "9", altGr: "^")
        layout.key(0x27, "à", "0", altGr: "@")
        layout.key(0x2D, ")", "°", altGr: "]")
        layout.key(0x2E, "=", "+", altGr: "}")
        layout.key(0x2F, .dead("^"), .dead("¨"))
        layout.key(0x30, "$", "£", altGr: "¤")
        layout.key(0x31, "*", "µ")
        layout.key(0x32, "*", "µ")
        layout.key(0x34, "ù", "%", alphabetic: false)
        layout.key(0x35, "²", nil)
        layout.key(0x36, ";", ".")
        layout.key(0x37, ":", "/")
        layout.key(0x38, "!", "§")
        layout.key(0x64, "<", ">")
        return layout.keymap
    }()
}
