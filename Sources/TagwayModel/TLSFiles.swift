/// A server certificate chain and its private key (PEM files), as `api.tls` names them. One type
/// for the configuration that reads them and the server that loads them at start.
public struct TLSFiles: Sendable, Hashable {
    public var certFile: String
    public var keyFile: String
    /// `file:line:column` of the setting, for an error found when the files are loaded.
    public var location: String

    public init(certFile: String, keyFile: String, location: String = "api.tls") {
        self.certFile = certFile
        self.keyFile = keyFile
        self.location = location
    }
}
