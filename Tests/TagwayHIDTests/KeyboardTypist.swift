import TagwayHID

/// Types text as a scanner set to `keymap` would: for each character the key and modifiers that
/// produce it (a dead key and Space for accents the layout only has as dead keys), each press
/// followed by a release report.
struct KeyboardTypist {
    let keymap: Keymap

    /// The reports for `text`; nil when some character cannot be typed on the layout.
    func reports(_ text: String, terminator: UInt8? = 0x28) -> [[UInt8]]? {
        var reports: [[UInt8]] = []
        for scalar in text.unicodeScalars {
            guard let strokes = keystrokes(for: scalar) else { return nil }
            for (modifiers, usage) in strokes {
                reports.append(HIDTestData.keyReport(modifiers, usage))
                reports.append(HIDTestData.release)
            }
        }
        if let terminator {
            reports.append(HIDTestData.keyReport(0, terminator))
            reports.append(HIDTestData.release)
        }
        return reports
    }

    /// (modifier byte, usage) presses that type `scalar`.
    func keystrokes(for scalar: Unicode.Scalar) -> [(UInt8, UInt8)]? {
        if scalar == " " { return [(0, 0x2C)] }
        let modifiers: [UInt8] = [0x00, 0x02, 0x40, 0x42]   // plain, Shift, AltGr, Shift+AltGr
        for usage in keymap.mappedUsages {
            guard let entry = keymap.entry(for: usage) else { continue }
            for (level, output) in entry.levels.enumerated() where output == .character(scalar) {
                return [(modifiers[level], usage)]
            }
        }
        for usage in keymap.mappedUsages {
            guard let entry = keymap.entry(for: usage) else { continue }
            for (level, output) in entry.levels.enumerated() where output == .dead(scalar) {
                return [(modifiers[level], usage), (0, 0x2C)]
            }
        }
        return nil
    }
}
