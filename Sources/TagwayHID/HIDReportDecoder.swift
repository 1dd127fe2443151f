import TagwayModel

/// Either decoder behind one interface, so the reader session can hold "the decoder of this
/// reader" without caring which kind it is.
public enum HIDReportDecoder: Sendable {
    case keyboard(KeyboardWedgeDecoder)
    case pointOfSale(HIDPOSDecoder)

    public mutating func feed<C: Collection>(report: C, at time: Timestamp) -> [ReaderFrame] where C.Element == UInt8 {
        switch self {
        case .keyboard(var decoder):
            let frames = decoder.feed(report: report, at: time)
            self = .keyboard(decoder)
            return frames
        case .pointOfSale(var decoder):
            let frames = decoder.feed(report: report, at: time)
            self = .pointOfSale(decoder)
            return frames
        }
    }

    public mutating func flush(now: Timestamp) -> [ReaderFrame] {
        switch self {
        case .keyboard(var decoder):
            let frames = decoder.flush(now: now)
            self = .keyboard(decoder)
            return frames
        case .pointOfSale(var decoder):
            let frames = decoder.flush(now: now)
            self = .pointOfSale(decoder)
            return frames
        }
    }

    public mutating func reset() {
        switch self {
        case .keyboard(var decoder):
            decoder.reset()
            self = .keyboard(decoder)
        case .pointOfSale(var decoder):
            decoder.reset()
            self = .pointOfSale(decoder)
        }
    }

    public var nextDeadline: Timestamp? {
        switch self {
        case .keyboard(let decoder): return decoder.nextDeadline
        case .pointOfSale(let decoder): return decoder.nextDeadline
        }
    }

    public var statistics: HIDDecoderStatistics {
        switch self {
        case .keyboard(let decoder): return decoder.statistics
        case .pointOfSale(let decoder): return decoder.statistics
        }
    }
}
