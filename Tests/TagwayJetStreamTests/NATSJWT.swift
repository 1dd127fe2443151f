import Crypto
import Foundation
@testable import TagwaySinks

/// The operator, account and user of a NATS server in operator mode, made by the test as `nsc`
/// would (NKeys, JWTs signed by their issuer), for the `.creds` login: the server trusts the
/// operator and preloads the account; the user's JWT and seed go into a `.creds` file.
struct NATSJWTFixture {
    /// An NKey pair of one type (`O` operator, `A` account, `U` user).
    struct Key {
        let key = Curve25519.Signing.PrivateKey()
        let type: UInt8

        var publicKey: String { Self.encode([type] + Array(key.publicKey.rawRepresentation)) }
        var seed: String {
            Self.encode([UInt8(18 << 3) | type >> 5, (type & 31) << 3] + Array(key.rawRepresentation))
        }

        static func encode(_ body: [UInt8]) -> String {
            let crc = CRC16.xmodem(body)
            return Base32.encode(body + [UInt8(crc & 0xFF), UInt8(crc >> 8)])
        }
    }

    let operatorKey = Key(type: 14 << 3)
    let account = Key(type: 0)
    /// JetStream needs the server's system account.
    let system = Key(type: 0)
    let user = Key(type: 20 << 3)

    /// A JWT of `nats` claims about `subject`, issued and signed by `issuer`.
    static func jwt(_ nats: [String: Any], subject: Key, issuer: Key, name: String) throws -> String {
        let header = try JSONSerialization.data(withJSONObject: ["typ": "JWT", "alg": "ed25519-nkey"])
        let claims = try JSONSerialization.data(withJSONObject: [
            "jti": UUID().uuidString.replacingOccurrences(of: "-", with: ""), "iat": Int(Date().timeIntervalSince1970),
            "iss": issuer.publicKey, "sub": subject.publicKey, "name": name, "nats": nats,
        ] as [String: Any])
        let signed = base64URL(header) + "." + base64URL(claims)
        let signature = try issuer.key.signature(for: Data(signed.utf8))
        return signed + "." + base64URL(signature)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The server's configuration: the operator, the system account, and the gateways' account
    /// with JetStream allowed.
    func serverConfig() throws -> String {
        let operatorJWT = try Self.jwt(["type": "operator", "version": 2], subject: operatorKey, issuer: operatorKey, name: "tagway-test")
        let limits: [String: Any] = ["subs": -1, "data": -1, "payload": -1, "imports": -1, "exports": -1, "wildcards": true,
                                     "conn": -1, "leaf": -1, "mem_storage": -1, "disk_storage": -1, "streams": -1, "consumer": -1]
        let accountJWT = try Self.jwt(["limits": limits, "type": "account", "version": 2], subject: account, issuer: operatorKey,
                                      name: "site")
        let systemJWT = try Self.jwt(["type": "account", "version": 2], subject: system, issuer: operatorKey, name: "SYS")
        return """
            operator: \(operatorJWT)
            system_account: \(system.publicKey)
            resolver: MEMORY
            resolver_preload: { \(account.publicKey): \(accountJWT), \(system.publicKey): \(systemJWT) }
            """
    }

    /// A `.creds` file's text for the user, as `nsc generate creds` writes it.
    func creds() throws -> String {
        let userJWT = try Self.jwt(["pub": [String: Any](), "sub": [String: Any](), "subs": -1, "data": -1, "payload": -1,
                                    "type": "user", "version": 2], subject: user, issuer: account, name: "gateway")
        return """
            -----BEGIN NATS USER JWT-----
            \(userJWT)
            ------END NATS USER JWT------

            ************************* IMPORTANT *************************
            NKEY Seed printed below can be used to sign and prove identity.
            NKEYs are sensitive and should be treated as secrets.

            -----BEGIN USER NKEY SEED-----
            \(user.seed)
            ------END USER NKEY SEED------

            *************************************************************

            """
    }
}
