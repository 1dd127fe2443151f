import TagwayModel

/// A keyboard-wedge EM4100 reader types the card. Ten hex digits are the whole 40-bit EM4100
/// id (version byte and card number), what a serial ID-12LA sends: they become an `em4100`
/// tag, so the card has the same asset key on either reader. Anything else (8 digits, a
/// reader typing something unexpected) stays a barcode scan with its text as the key:
/// guessing a version byte would invent an id. Readers set to type the 32-bit card number in
/// decimal (ten decimal digits) also match the rule: their key is stable per card but is not
/// the key a serial reader gives that card.
public enum EM4100KeyboardRewrite {
    /// `frame` as the gateway should see it from a reader of `technology` (the profile's).
    public static func observation(_ frame: ReaderFrame, technology: String?) -> ReaderFrame {
        guard technology == TagObservation.Technology.em4100.rawValue, case .barcode(let scan) = frame,
              scan.symbology == nil, scan.data.count == 10, let id = TagID(hex: scan.text)
        else { return frame }
        return .tag(TagObservation(technology: .em4100, id: id))
    }
}
