/// SET_READER_CONFIG's body (LLRP 1.0.1): ResetToFactoryDefault in the top bit of a u8, then
/// ReaderEventNotificationSpec, KeepaliveSpec and EventsAndReports, in the spec's order.
enum ReaderConfigurationCoding {
    static func encode(_ configuration: ReaderConfiguration, into writer: inout LLRPByteWriter) {
        writer.u8(configuration.resetToFactoryDefault ? 0x80 : 0)
        if !configuration.events.isEmpty {
            // EventNotificationState: EventType u16, NotificationState in the top
            // bit of a u8. In event-type order, so the bytes do not depend on a dictionary's.
            let spec = writer.open(LLRPParameterType.readerEventNotificationSpec)
            for (event, enabled) in configuration.events.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                writer.parameter(LLRPParameterType.eventNotificationState) { w in
                    w.u16(event.rawValue)
                    w.u8(enabled ? 0x80 : 0)
                }
            }
            writer.close(spec)
        }
        if let period = configuration.keepaliveMilliseconds {
            // KeepaliveSpec: trigger type u8 (0 Null, 1 periodic), period in ms u32.
            writer.parameter(LLRPParameterType.keepaliveSpec) { w in
                w.u8(period == 0 ? 0 : 1)
                w.u32(period)
            }
        }
        if let hold = configuration.holdEventsAndReportsUponReconnect {
            writer.parameter(LLRPParameterType.eventsAndReports) { $0.u8(hold ? 0x80 : 0) }
        }
    }

    static func decode(_ body: LLRPBodyReader) throws(LLRPError) -> ReaderConfiguration {
        var reader = body
        var configuration = ReaderConfiguration()
        configuration.resetToFactoryDefault = try reader.u8("SET_READER_CONFIG ResetToFactoryDefault") & 0x80 != 0
        while let header = try reader.nextParameter() {
            guard !header.isTV else { continue }
            var value = try reader.contents(of: header)
            switch header.type {
            case LLRPParameterType.readerEventNotificationSpec:
                while let entry = try value.nextParameter() {
                    guard !entry.isTV, entry.type == LLRPParameterType.eventNotificationState else { continue }
                    var state = try value.contents(of: entry)
                    let type = try state.u16("EventNotificationState EventType")
                    let enabled = try state.u8("EventNotificationState NotificationState") & 0x80 != 0
                    if let event = ReaderConfiguration.EventType(rawValue: type) { configuration.events[event] = enabled }
                }
            case LLRPParameterType.keepaliveSpec:
                let trigger = try value.u8("KeepaliveSpec KeepaliveTriggerType")
                let period = try value.u32("KeepaliveSpec PeriodicTriggerValue")
                configuration.keepaliveMilliseconds = trigger == 0 ? 0 : period
            case LLRPParameterType.eventsAndReports:
                configuration.holdEventsAndReportsUponReconnect = try value.u8("EventsAndReports flags") & 0x80 != 0
            default:
                continue
            }
        }
        return configuration
    }
}
