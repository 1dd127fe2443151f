/// The wait between rounds of reconnect attempts over the server list: 100 ms doubling to 5 s,
/// with up to a quarter of jitter so a fleet of gateways does not reconnect in step.
enum NATSReconnectDelay {
    static func milliseconds(attempts: Int32) -> Int64 {
        let base = Int64(100) << Int64(min(max(0, attempts), 6))
        let capped = min(base, 5_000)
        return capped + Int64.random(in: 0...(capped / 4))
    }
}
