import CMosquitto

/// What libmosquitto's connection codes mean, in the words an operator needs: a refused login
/// must say "check user/password", not "connection lost (5)".
///
/// The connect callback gets the broker's CONNACK code (MQTT 3.1.1: 0-5) or, for MQTT 5, its
/// reason code (0x80 and up); the disconnect callback gets a MOSQ_ERR_* value, and after a
/// refused CONNACK that is MOSQ_ERR_CONN_REFUSED, which must not hide the refusal's reason.
enum MQTTRefusal {
    /// The text for a CONNACK that was not 0 (accepted).
    static func connack(_ code: Int32) -> String {
        switch code {
        case 1, 0x84: "the broker refused the protocol version (MQTT 3.1.1)"
        case 2, 0x85: "the broker rejected the client id (check clientId)"
        case 3, 0x88: "the broker is unavailable (server unavailable)"
        case 4, 0x86: "authentication refused by the broker (bad user name or password)"
        case 5, 0x87: "authentication refused by the broker (not authorized: check user/password)"
        case 0x89: "the broker is busy"
        case 0x8A: "the broker has banned this client"
        case 0x8C: "authentication refused by the broker (bad authentication method)"
        case 0x95: "the broker refused the connection: packet too large"
        case 0x97: "the broker refused the connection: quota exceeded"
        case 0x9C, 0x9D: "the broker asks to use another server"
        default: "the broker refused the connection (CONNACK \(code): \(String(cString: mosquitto_connack_string(code))))"
        }
    }

    /// The text for a disconnect with MOSQ_ERR_* `rc` (not 0).
    static func disconnect(_ rc: Int32) -> String {
        switch rc {
        case MOSQ_ERR_CONN_LOST.rawValue: "connection to the broker lost"
        case MOSQ_ERR_KEEPALIVE.rawValue: "the broker stopped answering (keep-alive timed out)"
        case MOSQ_ERR_CONN_REFUSED.rawValue: "the broker refused the connection"
        case MOSQ_ERR_TLS.rawValue, MOSQ_ERR_TLS_HANDSHAKE.rawValue: "TLS failed (check the CA file and the broker's certificate)"
        case MOSQ_ERR_PROTOCOL.rawValue, MOSQ_ERR_MALFORMED_PACKET.rawValue: "protocol error with the broker"
        case MOSQ_ERR_AUTH.rawValue: "authentication refused by the broker"
        default: "connection lost: \(String(cString: mosquitto_strerror(rc))) (\(rc))"
        }
    }
}
