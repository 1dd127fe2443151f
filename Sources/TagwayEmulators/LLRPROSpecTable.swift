import TagwayLLRP

/// The ROSpecs an emulated reader holds and their states (LLRP 1.0.1 §7.1: Disabled → Inactive on
/// ENABLE, Inactive → Active on START, back on STOP), checked as a reader checks them so a client
/// that sends an unknown id, a second ROSpec with the same id, an antenna the reader lacks or a
/// power row outside its table gets the error status a real reader would give.
struct LLRPROSpecTable: Sendable {
    enum State: Sendable, Hashable {
        case disabled, inactive, active
    }

    private(set) var specs: [UInt32: (spec: ROSpec, state: State)] = [:]

    /// The ROSpec being executed, if one was started.
    var active: ROSpec? {
        specs.values.filter { $0.state == .active }.map(\.spec).min { $0.id < $1.id }
    }

    func state(of id: UInt32) -> State? { specs[id]?.state }

    mutating func add(_ spec: ROSpec, capabilities: ReaderCapabilities) -> LLRPStatus {
        guard spec.id != 0 else {
            return LLRPStatus(code: .fieldError, errorDescription: "ROSpecID 0 is reserved; an ROSpec needs an id of 1 or more")
        }
        guard specs[spec.id] == nil else {
            return LLRPStatus(code: .fieldError, errorDescription: "ROSpec \(spec.id) already exists")
        }
        guard specs.count < Int(capabilities.maxROSpecs) else {
            return LLRPStatus(code: .deviceError, errorDescription: "the reader holds at most \(capabilities.maxROSpecs) ROSpec(s)")
        }
        guard !spec.antennas.isEmpty else {
            return LLRPStatus(code: .missingParameter, errorDescription: "the AISpec names no antenna")
        }
        for antenna in spec.antennas {
            // Antenna id 0 means every antenna of the reader.
            guard antenna.id <= capabilities.maxAntennas else {
                return LLRPStatus(code: .parameterError,
                                  errorDescription: "antenna \(antenna.id) does not exist: the reader has \(capabilities.maxAntennas)")
            }
            if let index = antenna.transmitPowerIndex, !capabilities.transmitPower.contains(where: { $0.index == index }) {
                let rows = capabilities.transmitPower.map(\.index)
                return LLRPStatus(code: .parameterError, errorDescription:
                    "transmit power index \(index) of antenna \(antenna.id) is not in the table (\(rows.min() ?? 0)…\(rows.max() ?? 0))")
            }
        }
        specs[spec.id] = (spec, .disabled)
        return .success
    }

    /// 0 deletes every ROSpec, and succeeds on an empty reader.
    mutating func delete(_ id: UInt32) -> LLRPStatus {
        if id == 0 {
            specs.removeAll()
            return .success
        }
        guard specs.removeValue(forKey: id) != nil else { return Self.unknown(id) }
        return .success
    }

    mutating func enable(_ id: UInt32) -> LLRPStatus {
        guard let entry = specs[id] else { return Self.unknown(id) }
        if entry.state == .disabled { specs[id] = (entry.spec, .inactive) }
        return .success
    }

    mutating func start(_ id: UInt32) -> LLRPStatus {
        guard let entry = specs[id] else { return Self.unknown(id) }
        guard entry.state != .disabled else {
            return LLRPStatus(code: .fieldError, errorDescription: "ROSpec \(id) is disabled: enable it before starting it")
        }
        specs[id] = (entry.spec, .active)
        return .success
    }

    mutating func stop(_ id: UInt32) -> LLRPStatus {
        guard let entry = specs[id] else { return Self.unknown(id) }
        guard entry.state == .active else {
            return LLRPStatus(code: .fieldError, errorDescription: "ROSpec \(id) is not active")
        }
        specs[id] = (entry.spec, .inactive)
        return .success
    }

    private static func unknown(_ id: UInt32) -> LLRPStatus {
        LLRPStatus(code: .fieldError, errorDescription: "no ROSpec with id \(id)")
    }
}
