import Foundation
import Logging
import TagwayAPI
import TagwayConfig
import TagwayControl
import TagwayGateway

/// SIGHUP of `tagway site`: the site file is read again and its `api:` tokens (and the `file:`
/// tokens' files) replace the ones in force, so a token is rotated without a restart, as with
/// `tagway run`. The rest of the file (the view, rules, sinks, streams) takes effect at the next
/// start: the active process's view and sinks are built from it once, and a standby must agree
/// with the holder. A file that no longer reads, or a token that cannot be used, is logged with
/// what is wrong and changes nothing. Without the watcher SIGHUP's default action would end the
/// process (a service manager's reload is a SIGHUP).
enum SiteTokenReload {
    static func watch(file: String, access: APIAccess?, logger: Logger) -> SignalWatcher {
        SignalWatcher(signals: [SIGHUP]) { _ in reload(file: file, access: access, logger: logger) }
    }

    static func reload(file: String, access: APIAccess?, logger: Logger) {
        let site: SiteConfiguration
        do { site = try SiteConfigReader.load(file: file) } catch {
            logger.error("reload of \(file) refused, nothing changed: \(error.description)")
            return
        }
        guard let access else {
            logger.notice("reload of \(file): the API was not started with this process (no api: at start); settings other than api tokens take effect at restart")
            return
        }
        guard let api = site.api else {
            logger.error("reload of \(file) refused, nothing changed: api: is gone; the API keeps its tokens until a restart")
            return
        }
        do {
            let policy = try APIAccessPolicy.resolve(api)
            access.replace(policy)
            logger.notice("reload of \(file): api tokens replaced (\(api.tokens.count)); other settings take effect at restart")
        } catch {
            logger.error("reload of \(file) refused, nothing changed: \(error.description)")
        }
    }
}
