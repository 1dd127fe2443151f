#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import TagwayEventLog

/// Makes a `StatusLocation` real at start: creates the runtime directory when it is missing
/// (systemd creates its own; a configured one may be new, with its parents) and points
/// `<dataDir>/status.json` at the file there. Status is not worth failing a start for: when the directory cannot be made or
/// written, or the link cannot be made, the file stays in the data directory and one warning
/// says why and what to fix.
enum StatusPlacement {
    static let linkTemporaryName = ".status.json.link.tmp"

    static func prepare(_ location: StatusLocation, logger: Logger) -> StatusLocation {
        guard let link = location.link else { return location }
        if let problem = problem(with: location, link: link) {
            logger.warning("status.json stays in the data directory: \(problem); set gateway.runtimeDir to a writable directory (a tmpfs such as /run/tagway) or remove it")
            return .inDataDirectory(of: link)
        }
        return location
    }

    /// `mkdir -p` with mode 0750 for what it creates; the failure's text, nil when the directory is there.
    private static func makeDirectory(_ path: String) -> String? {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o750) != 0, errno != EEXIST {
                return "\(prefix): mkdir failed: \(String(cString: strerror(errno)))"
            }
        }
        return nil
    }

    /// Why the file cannot be written at `location` with `link` pointing at it; nil once done.
    private static func problem(with location: StatusLocation, link: String) -> String? {
        if let failure = makeDirectory(location.directory) { return failure }
        if access(location.directory, W_OK | X_OK) != 0 {
            return "\(location.directory): not writable: \(String(cString: strerror(errno)))"
        }
        // A link made under a temp name and renamed over the old path: a reader finds the old
        // file or the new link, never nothing.
        let temporary = ((link as NSString).deletingLastPathComponent as NSString).appendingPathComponent(linkTemporaryName)
        _ = unlink(temporary)
        if symlink(location.path, temporary) != 0 {
            return "\(temporary): symlink failed: \(String(cString: strerror(errno)))"
        }
        if rename(temporary, link) != 0 {
            let reason = "\(link): rename failed: \(String(cString: strerror(errno)))"
            _ = unlink(temporary)
            return reason
        }
        return nil
    }
}
