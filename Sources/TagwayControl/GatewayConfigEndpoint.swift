import Foundation
import Logging
import TagwayAPI
import TagwayConfig
import TagwayGateway

/// `/v1/config` of `tagway run`: the configuration file it was started with, checked by the same
/// loader as `tagway check-config`, written by `ConfigFileWriter`, reloaded by the
/// `ConfigReloader` (the same reload as SIGHUP, in the same queue).
public struct GatewayConfigEndpoint: ConfigEndpoint {
    public let reloader: ConfigReloader

    public init(reloader: ConfigReloader) {
        self.reloader = reloader
    }

    /// The file as the gateway names it in errors (as given to `--config`, like `check-config`).
    var file: String { reloader.file }
    /// The file's absolute path, as `GET /v1/config` shows it.
    var absoluteFile: String { URL(fileURLWithPath: file).standardizedFileURL.path }

    public func current() async throws(ConfigApplyError) -> ConfigView {
        let bytes = try read()
        let json = RunningConfigJSON.json(started: reloader.gateway.config, reloaded: reloader.loaded)
        return ConfigView(file: absoluteFile, bytes: bytes, runningJSON: json, backups: ConfigFileWriter(path: file).backups())
    }

    public func check(_ text: Data) async -> ConfigCheck {
        switch load(text) {
        case .success(let config): return Self.valid(config, file: file)
        case .failure(let errors): return Self.invalid(errors)
        }
    }

    public func apply(_ text: Data, ifMatch: String?, by: String, client: String) async throws(ConfigApplyError) -> ConfigApplied {
        let result = await reloader.enqueue { () -> Result<ConfigApplied, ConfigApplyError> in
            do throws(ConfigApplyError) {
                return .success(try await applyInQueue(text, ifMatch: ifMatch, by: by, client: client))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Check, compare, write, reload: one job of the reloader's queue.
    private func applyInQueue(_ text: Data, ifMatch: String?, by: String, client: String) async throws(ConfigApplyError) -> ConfigApplied {
        let who = "token '\(by)' from \(client)"
        let before = try read()
        if let ifMatch, !ConfigETag.matches(ifMatch, ConfigETag.of(before)) {
            reloader.logger.notice("configuration not applied by \(who): the file changed since it was read (If-Match)")
            throw .stale(current: ConfigETag.of(before))
        }
        let loaded: GatewayConfig
        switch load(text) {
        case .success(let config): loaded = config
        case .failure(let errors):
            reloader.logger.notice("configuration not applied by \(who): \(errors.errors.count) error(s), nothing written")
            throw .invalid(Self.invalid(errors))
        }
        let changes = ConfigChanges.between(running: reloader.loaded, loaded: loaded)
        var backup: String?
        if text != before {
            do {
                backup = try ConfigFileWriter(path: file).replace(with: text)
            } catch {
                reloader.logger.error("configuration not applied by \(who): \(error)")
                throw .file(error.description)
            }
        }
        let outcome = await reloader.reload(reason: "PUT /v1/config by \(who)")
        let said = changes.isEmpty ? "no changes" : changes.joined(separator: "; ")
        reloader.logger.notice("configuration applied by \(who): \(said); backup \(backup ?? "none (the text was unchanged)")")
        return ConfigApplied(backup: backup, etag: ConfigETag.of(text), changes: changes, restartNeeded: outcome.restartNeeded,
                             reload: outcome.summary)
    }

    private func load(_ text: Data) -> Result<GatewayConfig, ConfigErrors> {
        Result { () throws(ConfigErrors) in try GatewayConfigLoader.load(data: text, as: file, devicesDir: reloader.devices) }
    }

    /// The file's bytes now (bounded as the loader bounds them).
    private func read() throws(ConfigApplyError) -> Data {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw .file("cannot read \(absoluteFile): \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        do {
            return try handle.read(upToCount: ConfigLimits.maxFileBytes + 1) ?? Data()
        } catch {
            throw .file("cannot read \(absoluteFile): \(error.localizedDescription)")
        }
    }

    static func valid(_ config: GatewayConfig, file: String) -> ConfigCheck {
        .valid(summary: config.checkReport(file: file).first ?? "", warnings: config.warnings.map(issue))
    }

    /// The errors, and the text `check-config` writes for them (its standard error).
    static func invalid(_ errors: ConfigErrors) -> ConfigCheck {
        .invalid(errors: errors.errors.map(issue), text: "\(errors)\n")
    }

    static func issue(_ error: ConfigError) -> ConfigIssue {
        ConfigIssue(line: error.line, column: error.column, key: error.key, message: error.message, expected: error.expected)
    }
}
