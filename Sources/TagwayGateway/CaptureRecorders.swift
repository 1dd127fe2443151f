import Logging
import TagwayCapture
import TagwayConfig
import TagwayModel

/// The gateway's recorders, one per recorded reader, made at start from `capture:` (or
/// `--capture`), stopped after the readers so their last records are written.
public final class CaptureRecorders: Sendable {
    private let recorders: [String: CaptureRecorder]

    /// Nil recorders when nothing is captured. Throws when the directory cannot be made or written.
    public init(config: GatewayConfig, health: HealthBoard, logger: Logger,
                files: (String) -> any CaptureFiles = { DiskCaptureFiles(directory: $0) }) throws(CaptureFileError) {
        guard let capture = config.capture else {
            recorders = [:]
            return
        }
        try DiskCaptureFiles.prepare(capture.dir)
        var made: [String: CaptureRecorder] = [:]
        let limits = CaptureRotation.Limits(maxFileBytes: capture.maxFileBytes, maxFiles: capture.maxFiles)
        for reader in config.readers where capture.records(reader: reader.id) {
            let id = reader.id
            made[id] = CaptureRecorder(header: Self.header(reader), files: files(capture.dir), limits: limits,
                                       maxBufferBytes: capture.maxBufferBytes, logger: logger,
                                       onDrops: { total in health.update(id) { $0.captureDropped = total } })
        }
        recorders = made
        if !made.isEmpty {
            logger.info("capturing \(made.count) reader(s) in \(capture.dir) (\(capture.maxFiles) files of \(capture.maxFileBytes) bytes per reader)")
        }
    }

    public func recorder(for reader: String) -> CaptureRecorder? { recorders[reader] }

    public func stop() async {
        for recorder in recorders.values { await recorder.stop() }
    }

    static func header(_ reader: ReaderConfig) -> CaptureHeader {
        CaptureHeader(reader: reader.id, profile: reader.profile.id, protocolID: reader.profile.protocolID,
                      transport: reader.profile.transport.rawValue, line: reader.profile.transport == .serial
                          ? (reader.serial ?? reader.profile.serial)?.description : nil)
    }
}
