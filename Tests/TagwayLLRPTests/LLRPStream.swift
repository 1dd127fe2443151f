import TagwayDecoders
import TagwayLLRP
import TagwayModel

/// A byte stream through `LLRPFramer` and `LLRPCodec.decode` as the gateway's connection feeds
/// it: in chunks, stopping at the first framing error. Each message becomes one line of text
/// (`LLRPText`, `error …` for a message lost to a content error, `framing-error …` last).
struct LLRPStream {
    var envelopes: [LLRPEnvelope] = []
    var lines: [String] = []
    var frames: [LLRPFrame] = []
    var framingError: LLRPError?
    /// The most bytes the window held after a read, before framing.
    var peakWindow = 0

    /// How the bytes arrive: all at once, byte by byte, or in seeded random chunks of 1…`max`.
    enum Chunking: CustomStringConvertible, Sendable {
        case whole, bytes, random(seed: UInt64, max: Int)
        static let all: [Chunking] = [.whole, .bytes, .random(seed: 1, max: 7), .random(seed: 2, max: 64), .random(seed: 3, max: 1500)]
        var description: String {
            switch self {
            case .whole: "whole"
            case .bytes: "byte by byte"
            case .random(let seed, let max): "random chunks ≤\(max) (seed \(seed))"
            }
        }
    }

    static func chunks(_ bytes: [UInt8], _ chunking: Chunking) -> [ArraySlice<UInt8>] {
        switch chunking {
        case .whole: return [bytes[...]]
        case .bytes: return bytes.indices.map { bytes[$0...$0] }
        case .random(let seed, let max):
            var generator = SplitMix64(seed: seed)
            var out: [ArraySlice<UInt8>] = []
            var start = 0
            while start < bytes.count {
                let size = Int.random(in: 1...max, using: &generator)
                let end = Swift.min(bytes.count, start + size)
                out.append(bytes[start..<end])
                start = end
            }
            return out
        }
    }

    init(_ bytes: [UInt8], chunking: Chunking = .whole, maximumMessageLength: Int = 1 << 20) {
        var framer = LLRPFramer(maximumMessageLength: maximumMessageLength)
        var window = ByteWindow()
        reading: for chunk in LLRPStream.chunks(bytes, chunking) {
            window.append(contentsOf: chunk)
            peakWindow = Swift.max(peakWindow, window.count)
            while true {
                let frame: LLRPFrame?
                do {
                    frame = try framer.next(&window)
                } catch {
                    framingError = error
                    lines.append("framing-error \(error)")
                    break reading
                }
                guard let frame else { break }
                frames.append(frame)
                do {
                    let envelope = try LLRPCodec.decode(frame)
                    envelopes.append(envelope)
                    lines.append(LLRPText.render(envelope))
                } catch {
                    lines.append("error \(error)")
                }
            }
        }
    }
}
