import Testing
import TagwayModel
@testable import TagwayDecoders
import TagwayEmulators

@Suite struct SerialBarcodeDecoderTests {
    func lines(_ text: String, _ decoder: SerialBarcodeDecoder = SerialBarcodeDecoder()) -> [String] {
        decode(Array(text.utf8), with: decoder).lines
    }

    @Test func anyTerminatorTakesCRLFAsOneScan() {
        #expect(lines("ABC\r\nDEF\rGHI\nJKL\r\n") == ["barcode - ABC", "barcode - DEF", "barcode - GHI", "barcode - JKL"])
        for chunking in Chunking.all {
            let outcome = decode(Array("ABC\r\nDEF\r\n".utf8), with: SerialBarcodeDecoder(), chunking: chunking)
            #expect(outcome.lines == ["barcode - ABC", "barcode - DEF"], "\(chunking)")
            #expect(outcome.drops.isEmpty && outcome.leftover == 0, "\(chunking)")
        }
    }

    @Test func emptyLinesAreNeitherScansNorErrors() {
        let outcome = decode(Array("\r\n\r\n\n\r".utf8), with: SerialBarcodeDecoder())
        #expect(outcome.frames.isEmpty)
        #expect(outcome.drops.isEmpty)
        #expect(outcome.leftover == 0)
    }

    @Test func fixedTerminatorsKeepTheOtherByteAsData() {
        #expect(lines("A\nB\rC\r", SerialBarcodeDecoder(terminator: .cr)) == ["barcode - A<0A>B", "barcode - C"])
        #expect(lines("A\rB\nC\n", SerialBarcodeDecoder(terminator: .lf)) == ["barcode - A<0D>B", "barcode - C"])
        #expect(lines("A\rB\nC\r\nD\r\n", SerialBarcodeDecoder(terminator: .crlf)) == ["barcode - A<0D>B<0A>C", "barcode - D"])
    }

    @Test func crlfWaitsForTheLFAfterATrailingCR() {
        let decoder = SerialBarcodeDecoder(terminator: .crlf)
        #expect(decode(Array("AB\r".utf8), with: decoder).leftover == 3)
        for chunking in Chunking.all {
            #expect(decode(Array("AB\rC\r\n".utf8), with: decoder, chunking: chunking).lines == ["barcode - AB<0D>C"])
        }
    }

    @Test func aimIdentifierIsDetectedInAutoMode() {
        #expect(lines("]C10109501101530003\r\n") == ["barcode ]C1 0109501101530003"])
        #expect(lines("]E05901234123457\r") == ["barcode ]E0 5901234123457"])
        #expect(lines("]d2010950110153000321A1\u{1D}10X\r") == ["barcode ]d2 010950110153000321A1<GS>10X"])
        // Not an identifier: no letter after the bracket, or too short.
        #expect(lines("]1ABC\r") == ["barcode - ]1ABC"])
        #expect(lines("]C\r") == ["barcode - ]C"])
    }

    @Test func aimModesNoAndYes() {
        #expect(lines("]C1123\r", SerialBarcodeDecoder(aim: .no)) == ["barcode - ]C1123"])
        let strict = SerialBarcodeDecoder(aim: .yes)
        #expect(lines("]X9123\r", strict) == ["barcode ]X9 123"])
        let outcome = decode(Array("123\r]C1456\r".utf8), with: strict)
        #expect(outcome.lines == ["barcode ]C1 456"])
        #expect(outcome.drops == [.malformed: 4])
    }

    @Test func identifierWithoutDataIsAFragment() {
        let outcome = decode(Array("]C1\r\nOK\r\n".utf8), with: SerialBarcodeDecoder())
        #expect(outcome.lines == ["barcode - OK"])
        #expect(outcome.drops == [.malformed: 4])
    }

    @Test func dataIsKeptByteForByte() {
        let data: [UInt8] = [0x00, 0x1D, 0x1E, 0x04, 0x7F, 0x80, 0xFF, 0x20, 0x3C]
        let outcome = decode([0x5D, 0x51, 0x31] + data + [0x0D], with: SerialBarcodeDecoder())
        #expect(outcome.frames == [.barcode(BarcodeScan(symbology: "]Q1", data: data))])
        #expect(outcome.lines == ["barcode ]Q1 <00><GS><RS><EOT><7F><80><FF><SP><3C>"])
    }

    @Test func maxLengthIsInclusiveAndExcludesTheIdentifier() {
        let decoder = SerialBarcodeDecoder(maxLength: 5)
        #expect(lines("]C112345\r12345\r", decoder) == ["barcode ]C1 12345", "barcode - 12345"])
        // Six data bytes with or without an identifier are too many.
        let outcome = decode(Array("]C1123456\r123456\rOK\r".utf8), with: decoder)
        #expect(outcome.lines == ["barcode - OK"])
        #expect(outcome.drops == [.overlong: 17])
        #expect(decoder.maximumFrameLength == 10)
    }

    @Test func overlongLineIsDroppedToItsEndHoweverChunked() {
        let decoder = SerialBarcodeDecoder(aim: .no, maxLength: 8)
        let bytes = Array((String(repeating: "X", count: 50) + "\r\nNEXT\r\n").utf8)
        for chunking in Chunking.all {
            let outcome = decode(bytes, with: decoder, chunking: chunking)
            #expect(outcome.lines == ["barcode - NEXT"], "\(chunking)")
            #expect(outcome.drops == [.overlong: 51], "\(chunking)")
            #expect(outcome.peakBuffered <= decoder.maximumFrameLength, "\(chunking)")
        }
    }

    @Test func optionsFromAProfile() throws {
        let decoder = try SerialBarcodeDecoder(options: ["terminator": "crlf", "aim": "no", "maxLength": "128"])
        #expect(decoder.terminator == .crlf && decoder.aim == .no && decoder.maxLength == 128)
        let defaults = try SerialBarcodeDecoder(options: [:])
        #expect(defaults.terminator == .any && defaults.aim == .auto && defaults.maxLength == 4096)
        for (key, value) in [("terminator", "tab"), ("aim", "maybe"), ("maxLength", "0"), ("maxLength", "many")] {
            #expect(throws: ProtocolOptionError.self) { try SerialBarcodeDecoder(options: [key: value]) }
            do {
                _ = try SerialBarcodeDecoder(options: [key: value])
            } catch {
                #expect(error.key == key && error.value == value)
            }
        }
    }

    @Test func emulatorRoundTrip() {
        let scans = [
            BarcodeScan(symbology: "]C1", data: Array("0109501101530003".utf8) + [0x1D] + Array("10LOT7".utf8)),
            BarcodeScan(symbology: "]E0", data: Array("5901234123457".utf8)),
            BarcodeScan(symbology: nil, data: Array("NO-AIM".utf8)),
        ]
        for suffix in BarcodeScannerEmulator.Suffix.allCases {
            for sendsAIM in [true, false] {
                let emulator = BarcodeScannerEmulator(suffix: suffix, sendsAIM: sendsAIM)
                let bytes = scans.flatMap(emulator.scan)
                let expected = scans.map { scan in
                    ReaderFrame.barcode(sendsAIM ? scan : BarcodeScan(symbology: nil, data: scan.data))
                }
                #expect(decode(bytes, with: SerialBarcodeDecoder()).frames == expected, "\(suffix) aim \(sendsAIM)")
            }
        }
    }
}
