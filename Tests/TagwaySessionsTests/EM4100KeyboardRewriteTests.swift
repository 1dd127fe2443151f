import Testing
import TagwayModel
@testable import TagwaySessions

/// Which keyboard-wedge scans become EM4100 tags (moved from TagwayUSBTests with the rule).
@Suite struct EM4100KeyboardRewriteTests {
    private func map(_ text: String, symbology: String? = nil, technology: String? = "em4100") -> ReaderFrame {
        EM4100KeyboardRewrite.observation(.barcode(BarcodeScan(symbology: symbology, data: Array(text.utf8))), technology: technology)
    }

    @Test func tenHexDigitsAreTheWholeCardID() {
        #expect(map("0100e2850e") == .tag(TagObservation(technology: .em4100, id: TagID(hex: "0100E2850E")!)))
        #expect(map("0006713506") == .tag(TagObservation(technology: .em4100, id: TagID(hex: "0006713506")!)))
    }

    @Test func anythingElseStaysABarcode() {
        for text in ["6713506", "00667122", "0100E2850E0", "0100E2850G", "0100E2850 "] {
            #expect(map(text) == .barcode(BarcodeScan(data: Array(text.utf8))), "\(text)")
        }
        #expect(map("0100E2850E", symbology: "]C0") == .barcode(BarcodeScan(symbology: "]C0", data: Array("0100E2850E".utf8))),
                "a scanner that names a symbology read a barcode")
        #expect(map("0100E2850E", technology: "barcode") == .barcode(BarcodeScan(data: Array("0100E2850E".utf8))),
                "a barcode scanner's ten-digit scan is a barcode")
        #expect(map("0100E2850E", technology: nil) == .barcode(BarcodeScan(data: Array("0100E2850E".utf8))))
    }
}
