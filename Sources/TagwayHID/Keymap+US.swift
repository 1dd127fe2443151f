extension Keymap {
    /// US English (QWERTY), the default of nearly every scanner and keyboard-emulation RFID reader.
    public static let us: Keymap = {
        var layout = KeymapBuilder(name: "us")
        layout.addUSKeys()
        return layout.keymap
    }()
}

extension KeymapBuilder {
    /// The US layout's printable keys; the UK layout starts from these and changes a few.
    mutating func addUSKeys() {
        letters("abcdefghijklmnopqrstuvwxyz")
        row(from: 0x1E, plain: "1234567890", shifted: "!@#$%^&*()")
        key(0x2D, "-", "_")
        key(0x2E, "=", "+")
        key(0x2F, "[", "{")
        key(0x30, "]", "}")
        key(0x31, "\\", "|")
        // Non-US "# ~" (0x32) is the same Linux keycode as 0x31; on a US map it types "\ |".
        key(0x32, "\\", "|")
        key(0x33, ";", ":")
        key(0x34, "'", "\"")
        key(0x35, "`", "~")
        key(0x36, ",", "<")
        key(0x37, ".", ">")
        key(0x38, "/", "?")
        // The extra key left of Z on 102-key boards; Windows' US layout types "\ |" there.
        key(0x64, "\\", "|")
    }
}
