extension LLRPMessageType {
    /// Requests whose answer carries only an LLRPStatus, and that answer's type.
    /// CUSTOM_MESSAGE pairs with itself: Impinj answers its extensions request with one.
    static let statusPairs: [(request: LLRPMessageType, response: LLRPMessageType)] = [
        (.setReaderConfig, .setReaderConfigResponse), (.closeConnection, .closeConnectionResponse),
        (.addROSpec, .addROSpecResponse), (.deleteROSpec, .deleteROSpecResponse),
        (.startROSpec, .startROSpecResponse), (.stopROSpec, .stopROSpecResponse),
        (.enableROSpec, .enableROSpecResponse), (.disableROSpec, .disableROSpecResponse),
        (.customMessage, .customMessage),
    ]

    /// The status-only response to this request, if it has one.
    public var statusResponse: LLRPMessageType? {
        LLRPMessageType.statusPairs.first { $0.request == self }?.response
    }

    /// The request this status-only response answers, if it is one (not CUSTOM_MESSAGE, whose
    /// direction its subtype tells).
    public var statusRequest: LLRPMessageType? {
        guard self != .customMessage else { return nil }
        return LLRPMessageType.statusPairs.first { $0.response == self }?.request
    }
}
