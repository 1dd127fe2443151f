import Logging
import TagwayConfig
import TagwayDecoders
import TagwayProtocols
import TagwayRuntime
import TagwaySessions

extension TCPReaderSession {
    /// The session of a configured network reader, its conversation made from the reader's
    /// settings, antennas and powers. `check-config` made the same conversation when it loaded
    /// the file, so a nil here (logged) means the protocol table changed under a running gateway.
    public init?(reader: ReaderConfig, pipeline: Pipeline, health: HealthBoard, logger: Logger, clock: GatewayClock) {
        guard let host = reader.host, let driver = ProtocolRegistry.descriptor(for: reader.profile.protocolID)?.conversation else {
            logger.error("reader \(reader.id): no host, or \(reader.profile.protocolID) is not a network reader protocol")
            return nil
        }
        let context = ConversationContext(antennas: reader.antennas.keys.sorted(), transmitPowerDBm: reader.antennaPower)
        let conversation: any ReaderConversation
        do throws(ProtocolOptionError) {
            conversation = try driver.makeConversation(reader.settings, context)
        } catch {
            logger.error("reader \(reader.id): \(error)")
            return nil
        }
        let point = reader
        self.init(reader: reader.id, address: TCPAddress(host: host, port: reader.tcpPort ?? driver.defaultPort),
                  conversation: conversation, health: health, logger: logger) { frames, time in
            await pipeline.submit(reader: point.id, readPoint: { point.readPoint(antenna: $0) }, frames: frames, time: time)
        }
        self.clock = clock
    }
}
