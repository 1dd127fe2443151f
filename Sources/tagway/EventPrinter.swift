import TagwayModel

/// One line per event for people watching a console: time, type, asset, where.
enum EventPrinter {
    static func line(_ e: MovementEvent) -> String {
        let time = String(e.time.iso8601.dropFirst(11).dropLast())
        var text = "\(time)  \(e.type.rawValue.padding(9))\(e.asset.key)"
        switch e.type {
        case .arrived: text += "  at \(e.to ?? "?")"
        case .departed: text += "  from \(e.from ?? "?")"
        case .moved: text += "  \(e.from ?? "?") → \(e.to ?? "?")"
        case .passed: text += "  \(e.direction?.rawValue ?? "?") through \(e.to ?? "?") at \(e.readPoint ?? "?")"
        case .observed: text += "  at \(e.to ?? e.readPoint ?? "?")"
        case .alert: text += "  rule \(e.rule ?? "?"): \(e.reason ?? "")"
        case .audit: text += "  of \(e.to ?? "every zone"): \(e.reason ?? "")"
        case .unknown: text += "  at \(e.to ?? "?"): \(e.reason ?? "")"
        }
        var details: [String] = []
        if let reader = e.reader { details.append("reader \(reader)") }
        if let reads = e.reads, e.type != .observed { details.append("\(reads) reads") }
        if let rssi = e.rssi { details.append("\(rssi) dBm") }
        if let symbology = e.symbology { details.append(symbology) }
        if let seq = e.seq { details.append("seq \(seq)") }
        if !details.isEmpty { text += "  (" + details.joined(separator: ", ") + ")" }
        return text
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
