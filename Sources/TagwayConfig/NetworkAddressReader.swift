import Foundation

/// Where a network (LLRP) reader listens: `host:` (a name, an IPv4 or IPv6 address; a name or an
/// IPv4 address may carry `:port`, an IPv6 one in brackets, `[fd00::7]:5084`) and `port:` (a TCP
/// port, the protocol's own by default). Every mistake is a located error.
enum NetworkAddressReader {
    static let hostExample = "host: 10.1.2.3, host: reader-7.local or host: fd00::7"

    /// The host and port of a reader entry; nil (errors reported) when either is wrong.
    static func read(_ map: [String: YAMLValue], reader value: YAMLValue, id: String, defaultPort: Int) -> (host: String, port: Int)? {
        guard let node = map["host"] else {
            value.error("network reader '\(id)' has no host", expected: hostExample)
            return nil
        }
        guard let text = node.string(maxLength: 253 + 8) else { return nil }
        guard let address = split(text, at: node) else { return nil }
        let (host, portText) = (address.host, address.port)
        var port = defaultPort
        if let portText {
            if map["port"] != nil { map["port"]?.error("the port is given twice (also in host: '\(text)')", expected: "one of them") }
            guard let number = Int(portText), (1...65535).contains(number) else {
                node.error("'\(portText)' in '\(text)' is not a TCP port", expected: "a port number 1...65535")
                return nil
            }
            port = number
        } else if let portNode = map["port"] {
            if case .scalar(let scalar) = portNode.node, scalar.string.hasPrefix("/") {
                portNode.error("a network reader has no serial port", expected: "its TCP port, e.g. port: \(defaultPort), and its address in host:")
                return nil
            }
            guard let number = portNode.int(in: 1...65535) else { return nil }
            port = number
        }
        return (host, port)
    }

    /// The host and the port's text, if `host:` gave one; nil (error reported) for a host that is
    /// no name and no address.
    static func split(_ text: String, at node: YAMLValue) -> (host: String, port: String?)? {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                node.error("'\(text)' has no closing ']'", expected: "an IPv6 address in brackets, e.g. [fd00::7]:5084")
                return nil
            }
            let address = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard isIPv6(address) else {
                node.error("'\(address)' is not an IPv6 address", expected: "e.g. [fd00::7] or [fd00::7]:5084")
                return nil
            }
            if rest.isEmpty { return (address, nil) }
            guard rest.hasPrefix(":") else {
                node.error("'\(text)' has text after the address", expected: "[address] or [address]:port")
                return nil
            }
            return (address, String(rest.dropFirst()))
        }
        let colons = text.filter { $0 == ":" }.count
        if colons > 1 {
            guard isIPv6(text) else {
                node.error("'\(text)' is not an IPv6 address", expected: hostExample + " (an IPv6 address with a port goes in brackets: [fd00::7]:5084)")
                return nil
            }
            return (text, nil)
        }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let host = parts[0]
        guard isHost(host) else {
            node.error("'\(host)' is not a host name or an IPv4 address", expected: hostExample)
            return nil
        }
        return (host, parts.count == 2 ? parts[1] : nil)
    }

    /// A dotted IPv4 address, or a DNS name (labels of letters, digits and '-', at most 63
    /// characters each, 253 in all). All digits and dots must be a valid IPv4 address, so
    /// `10.1.2.300` is an error rather than a name to look up.
    static func isHost(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        if text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) { return isIPv4(text) }
        let name = text.hasSuffix(".") ? String(text.dropLast()) : text
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }
}
