import Testing
@testable import TagwayIdentity

@Suite("tagway identify report")
struct IdentifyReportTests {
    @Test func hexEPC() {
        let (line, isError) = IdentifyReport.json(for: "3074257BF7194E4000001A85")
        #expect(!isError)
        #expect(line == #"{"input":"3074257BF7194E4000001A85","kind":"epc","scheme":"sgtin-96","uri":"urn:epc:id:sgtin:0614141.812345.6789","tagUri":"urn:epc:tag:sgtin-96:3.0614141.812345.6789","filter":3,"partition":5,"elementString":"(01)80614141123458(21)6789","hex":"3074257BF7194E4000001A85","assetKey":"urn:epc:id:sgtin:0614141.812345.6789"}"#)
    }

    @Test func tagURI() {
        let (line, isError) = IdentifyReport.json(for: "urn:epc:tag:giai-96:0.0614141.12345400")
        #expect(!isError)
        #expect(line.contains(#""hex":"3414257BF400000000BC6038""#))
    }

    @Test func gs1WithEscapedGS() {
        for input in ["]C1010950600013435210ABC\\x1D21XYZ", "]C1010950600013435210ABC<GS>21XYZ", "]C1010950600013435210ABC\u{1D}21XYZ"] {
            let (line, isError) = IdentifyReport.json(for: input)
            #expect(!isError)
            #expect(line.hasSuffix(#""kind":"gs1","symbology":"]C1","elements":[{"ai":"01","value":"09506000134352"},{"ai":"10","value":"ABC"},{"ai":"21","value":"XYZ"}],"elementString":"(01)09506000134352(10)ABC(21)XYZ","assetKey":"gs1:(01)09506000134352(10)ABC(21)XYZ"}"#))
        }
    }

    @Test func companyPrefixMakesEPCKey() {
        let (line, _) = IdentifyReport.json(for: "(8004)061414112345400",
                                            companyPrefixes: GS1CompanyPrefixLengths(companyPrefixes: ["0614141"]))
        #expect(line == #"{"input":"(8004)061414112345400","kind":"gs1","elements":[{"ai":"8004","value":"061414112345400"}],"elementString":"(8004)061414112345400","assetKey":"urn:epc:id:giai:0614141.12345400"}"#)
    }

    @Test func plainAndErrors() {
        #expect(IdentifyReport.json(for: "]C0IT-0042") == (#"{"input":"]C0IT-0042","kind":"plain","symbology":"]C0","assetKey":"barcode:IT-0042"}"#, false))
        let (bad, isError) = IdentifyReport.json(for: "307C257BF7194E4000001A85")
        #expect(isError)
        #expect(bad == #"{"input":"307C257BF7194E4000001A85","kind":"epc","error":"sgtin-96: partition 7 is not defined (valid: 0...6)","assetKey":"urn:epc:raw:96.x307C257BF7194E4000001A85"}"#)
        #expect(IdentifyReport.json(for: "3074257BF7194E4000001AG5").line.contains(#""error":"character \"G\" at position 22 is not a hexadecimal digit""#))
        #expect(IdentifyReport.json(for: "]C10109506000134353").isError)
        #expect(IdentifyReport.json(for: "(01)0950600013435") == (#"{"input":"(01)0950600013435","kind":"gs1","error":"(01): data is 13 characters, expected exactly 14"}"#, true))
        #expect(IdentifyReport.json(for: "(555) 123-4567").line.hasSuffix(#""kind":"plain","assetKey":"barcode:(555) 123-4567"}"#))
        #expect(IdentifyReport.json(for: "urn:epc:tag:sgtin-96:3.0614141.812345.06789").isError)
    }

    @Test func pureIdentityURI() {
        #expect(IdentifyReport.json(for: "urn:epc:id:sgtin:0614141.812345.6789")
            == (#"{"input":"urn:epc:id:sgtin:0614141.812345.6789","kind":"epc","uri":"urn:epc:id:sgtin:0614141.812345.6789","partition":5,"elementString":"(01)80614141123458(21)6789","assetKey":"urn:epc:id:sgtin:0614141.812345.6789"}"#, false))
        #expect(IdentifyReport.json(for: "urn:epc:id:sgtin:0614141.812345.a%2Fb").line.contains(#""elementString":"(01)80614141123458(21)a/b""#))
        #expect(IdentifyReport.json(for: "urn:epc:id:sgtin:0614141.812345.a#b").isError)
        #expect(IdentifyReport.json(for: "urn:epc:id:upui:0614141.812345.1").isError)
    }

    @Test func text() {
        let (text, isError) = IdentifyReport.text(for: "3414257BF400000000BC6038")
        #expect(!isError)
        #expect(text.contains("uri:           urn:epc:id:giai:0614141.12345400\n"))
        #expect(text.hasPrefix("input:         3414257BF400000000BC6038\nkind:          epc\n"))
    }
}
