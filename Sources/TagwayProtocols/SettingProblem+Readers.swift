import TagwayDecoders
import TagwayHID

/// The decoders' own setting errors, as the schema's problems: the text `check-config` prints
/// stays what each decoder has always said.
extension SettingProblem {
    public init(_ error: ProtocolOptionError) {
        self.init(key: error.key, message: "setting '\(error.key)' is '\(error.value)'", expected: error.expected)
    }

    public init(_ error: HIDSettingError) {
        self.init(key: error.key, message: error.description, expected: error.expected)
    }
}

extension SettingsSchema {
    /// A serial protocol's settings, read by its decoder factory (which checks the polling plan
    /// too, for commanded readers).
    static func serial(_ keys: [Key], read: @escaping @Sendable (ProtocolSettings) throws(ProtocolOptionError) -> Void) -> SettingsSchema {
        SettingsSchema(keys: keys) { settings in
            do throws(ProtocolOptionError) {
                try read(settings)
                return nil
            } catch {
                return SettingProblem(error)
            }
        }
    }

    /// A HID protocol's settings, read by the function that makes its `HIDDecoding`.
    static func hid(_ keys: [Key], read: @escaping @Sendable (ProtocolSettings) throws(HIDSettingError) -> Void) -> SettingsSchema {
        SettingsSchema(keys: keys) { settings in
            do throws(HIDSettingError) {
                try read(settings)
                return nil
            } catch {
                return SettingProblem(error)
            }
        }
    }

    /// The poll interval every commanded reader takes.
    static let pollIntervalKey = Key("pollIntervalMs", expects: "an integer from 10 to 60000 (milliseconds between polls)")
}
