/// The console's files, embedded in the binary (SwiftPM `.embedInCode`), so a gateway on a site
/// with no internet serves the whole console from itself. Every page module a helper adds gets
/// one line here and one `.embedInCode` line in Package.swift.
public enum ConsoleAssets {
    public static let all: [String: ConsoleAsset] = {
        let files: [(String, [UInt8])] = [
            ("index.html", PackageResources.index_html),
            ("console.css", PackageResources.console_css),
            ("app.js", PackageResources.app_js),
            ("pages.js", PackageResources.pages_js),
            ("api.js", PackageResources.api_js),
            ("format.js", PackageResources.format_js),
            ("login.js", PackageResources.login_js),
            ("overview.js", PackageResources.overview_js),
            ("zones.js", PackageResources.zones_js),
            ("asset.js", PackageResources.asset_js),
            ("tuning.js", PackageResources.tuning_js),
            ("feed.js", PackageResources.feed_js),
            ("live.js", PackageResources.live_js),
            ("alerts.js", PackageResources.alerts_js),
            ("site.js", PackageResources.site_js),
            ("site-overview.js", PackageResources.site_overview_js),
            ("audit.js", PackageResources.audit_js),
            ("openapi.yaml", PackageResources.openapi_yaml),
            ("configure.js", PackageResources.configure_js),
            ("yaml-sections.js", PackageResources.yaml_sections_js),
            ("configure.css", PackageResources.configure_css),
        ]
        var table: [String: ConsoleAsset] = [:]
        for (name, bytes) in files { table[name] = ConsoleAsset(name: name, bytes: bytes) }
        return table
    }()

    /// The API document, served with the pages for clients and tools; the pages never load it.
    public static let apiDocumentName = "openapi.yaml"

    /// Bytes of every embedded file together.
    public static var totalBytes: Int { all.values.reduce(0) { $0 + $1.bytes.count } }

    /// Bytes of the pages a browser may load: every file but the API document (their budget is
    /// about 110 KB, a site's pages included; the document has its own).
    public static var pageBytes: Int { totalBytes - (all[apiDocumentName]?.bytes.count ?? 0) }
}
