import Testing
import TagwayHID

/// Layout facts checked against the published charts, and coverage: every printable ASCII
/// character (what barcodes carry) can be typed on every layout.
@Suite("Keymaps")
struct KeymapTests {
    private func character(_ keymap: Keymap, _ usage: UInt8, shift: Bool = false, altGr: Bool = false, caps: Bool = false) -> KeyOutput? {
        keymap.entry(for: usage)?.output(shift: shift, altGr: altGr, capsLock: caps)
    }

    @Test("every printable ASCII character is typeable", arguments: Keymap.all)
    func asciiCoverage(keymap: Keymap) {
        let typist = KeyboardTypist(keymap: keymap)
        for value in UInt32(0x20)...0x7E {
            let scalar = Unicode.Scalar(value)!
            #expect(typist.keystrokes(for: scalar) != nil, "\(keymap.name) cannot type \(scalar)")
        }
    }

    @Test func usLayout() {
        #expect(character(.us, 0x04) == "a")
        #expect(character(.us, 0x04, shift: true) == "A")
        #expect(character(.us, 0x1E, shift: true) == "!")
        #expect(character(.us, 0x27) == "0")
        #expect(character(.us, 0x34, shift: true) == "\"")
        #expect(character(.us, 0x38, shift: true) == "?")
    }

    @Test func ukLayout() {
        #expect(character(.uk, 0x1F, shift: true) == "\"")
        #expect(character(.uk, 0x20, shift: true) == "£")
        #expect(character(.uk, 0x34, shift: true) == "@")
        #expect(character(.uk, 0x32) == "#")
        #expect(character(.uk, 0x64, shift: true) == "|")
        #expect(Keymap.named("gb") == .uk)
    }

    @Test func germanLayout() {
        #expect(character(.german, 0x1C) == "z")
        #expect(character(.german, 0x1D) == "y")
        #expect(character(.german, 0x14, altGr: true) == "@")
        #expect(character(.german, 0x24, shift: true) == "/")
        #expect(character(.german, 0x27, shift: true) == "=")
        #expect(character(.german, 0x38) == "-")
        #expect(character(.german, 0x2D, altGr: true) == "\\")
        #expect(character(.german, 0x35) == .dead("^"))
        #expect(character(.german, 0x34, caps: true) == "Ä")
        #expect(character(.german, 0x1F, caps: true) == "2")
        #expect(Keymap.german.keypadDecimal == ",")
    }

    @Test func frenchLayout() {
        #expect(character(.french, 0x14) == "a")
        #expect(character(.french, 0x04) == "q")
        #expect(character(.french, 0x1A) == "z")
        #expect(character(.french, 0x1D) == "w")
        #expect(character(.french, 0x33) == "m")
        #expect(character(.french, 0x10) == ",")
        #expect(character(.french, 0x1E) == "&")
        #expect(character(.french, 0x1E, shift: true) == "1")
        #expect(character(.french, 0x27, altGr: true) == "@")
        #expect(character(.french, 0x23) == "-")
        #expect(character(.french, 0x37, shift: true) == "/")
        #expect(character(.french, 0x1F, caps: true) == "é", "caps lock leaves the digit row alone")
    }

    @Test func namedLookup() {
        #expect(Keymap.named("US")?.name == "us")
        #expect(Keymap.named("de") == .german)
        #expect(Keymap.named("fr") == .french)
        #expect(Keymap.named("dvorak") == nil)
    }
}
