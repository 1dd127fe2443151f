extension Keymap {
    /// UK English (QWERTY): `"` and `@` swapped, `£` on Shift+3, `#~` beside Enter, `\|` left of Z.
    public static let uk: Keymap = {
        var layout = KeymapBuilder(name: "uk")
        layout.addUSKeys()
        layout.row(from: 0x1E, plain: "1234567890", shifted: "!\"£$%^&*()")
        layout.altGr(0x21, "€")
        layout.key(0x31, "#", "~")
        layout.key(0x32, "#", "~")
        layout.key(0x34, "'", "@")
        layout.key(0x35, "`", "¬", altGr: "¦")
        layout.key(0x64, "\\", "|")
        return layout.keymap
    }()
}
