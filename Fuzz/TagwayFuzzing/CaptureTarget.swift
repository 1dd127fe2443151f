import TagwayCapture

/// Capture files (issue 18): a support engineer is sent one by mail, and `tagway replay` or
/// `tagway simulate --replay` reads it; a damaged or hostile file must be refused with its line,
/// never trap or grow memory past its records.
enum CaptureTarget {
    static let target = FuzzTarget(
        name: "capture", summary: "capture file parser (tagway replay, simulate --replay)",
        run: { bytes in
            do throws(CaptureError) {
                let capture = try CaptureParser.parse(bytes, file: "fuzz.tcap")
                // What was read writes back to a file that reads the same (records; the start time
                // is left out, as a time the parser accepts in several spellings).
                var header = capture.header
                header.started = nil
                var again = Array(CaptureFormat.headerText(header).utf8)
                for record in capture.records { CaptureFormat.append(record, to: &again) }
                let reread = try? CaptureParser.parse(again, file: "again.tcap")
                fuzzInvariant(reread?.records == capture.records, "a parsed capture re-encodes to the same records")
                fuzzInvariant(capture.records.allSatisfy { $0.payload.count <= CaptureRecord.maxPayload }, "payloads are bounded")
            } catch {
                fuzzInvariant(!error.message.isEmpty && !error.expected.isEmpty, "a refused capture says why")
            }
        },
        seeds: {
            [
                Array("#tagway-capture 1\n#reader r\n#protocol em4100-ascii\n#transport serial\n#line 9600 8N1\n1764698400000 open\n1764698400010 rx 0230313030\n1764698400020 close 756e706c7567676564\n".utf8),
                Array("#tagway-capture 1\n#reader h\n#profile zebra/ls2208-keyboard\n#protocol hid-keyboard\n#transport usb-hid\n5 hid 00001e0000000000\n".utf8),
                Array("#tagway-capture 1\n#reader l\n#protocol llrp\n#transport llrp\n#started 2026-12-02T18:00:00.000Z\n7 tx 043e0000000a00000001\n8 llrp 043d0000000a00000001\n".utf8),
            ]
        })
}
