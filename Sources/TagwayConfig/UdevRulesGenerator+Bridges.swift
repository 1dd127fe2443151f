extension UdevRulesGenerator {
    /// The rules for serial readers on USB-serial bridges (profiles' `bridges:`).
    ///
    /// A bridge's ids say which chip, not which reader, so the rules cannot tell an RDM6300's
    /// CH340 from an M100's: every tty on a listed bridge is given to the gateway and hidden from
    /// ModemManager, and gets one link per profile that ships on its bridge. The link's tail is the
    /// USB serial number when the device has one and the USB port path when it has none (CH340,
    /// PL2303), both as udev's 60-serial.rules computed them (ID_SERIAL_SHORT, ID_PATH): already
    /// safe as file names, and stable across reboots and replugging into the same port.
    static func bridgeRules(for profiles: [DeviceProfile]) -> String {
        let serial = profiles.filter { $0.transport == .serial && !$0.bridges.isEmpty }.sorted { $0.id < $1.id }
        guard !serial.isEmpty else { return "" }
        // Every bridge once, with the profiles that ship on it, in id order.
        var users: [UInt32: (bridge: USBBridge, profiles: [String])] = [:]
        for profile in serial {
            for bridge in profile.bridges {
                users[bridge.key, default: (bridge: bridge, profiles: [])].profiles.append(profile.id)
            }
        }
        let bridges = users.keys.sorted().compactMap { users[$0] }
        var out = """

            # Serial readers on USB-serial bridges.
            #
            # A bridge's ids name the chip, not the reader behind it, so every tty on these bridges gets
            # group tagway, mode 0660 and ID_MM_DEVICE_IGNORE=1 (ModemManager's 80-mm-candidate.rules
            # runs after this file and then leaves the port alone), and one link per profile that ships
            # on its bridge:
            #   /dev/tagway/<profile>-<USB serial number>   when the device has one (FTDI, CP210x)
            #   /dev/tagway/<profile>-<USB port path>       when it has none (CH340, PL2303): the link
            #                                               follows the USB port, not the device
            # (profile with / as -; bridges with several ports add -if<interface> to the serial number).
            # A tty on a bridge that several profiles ship on gets each of their links: use the one named
            # after your reader's profile, with the serial number or port path `tagway devices` shows for
            # it. Cheap CP2102 boards often share the serial number 0001: two of them on one machine share
            # a link, so give those by /dev/serial/by-path/ or by USB port instead.

            SUBSYSTEM!="tty", GOTO="tagway_serial_end"

            """
        for (bridge, ids) in bridges {
            let (vendor, product) = hexIDs(USBMatch(vendorID: bridge.vendorID, productID: bridge.productID))
            out += "# \(bridge.name) (\(bridge.idText)): \(ids.joined(separator: ", "))\n"
            var keys = ["ATTRS{idVendor}==\"\(vendor)\"", "ATTRS{idProduct}==\"\(product)\"",
                        "GROUP=\"tagway\"", "MODE=\"0660\"", "ENV{ID_MM_DEVICE_IGNORE}=\"1\"",
                        "ENV{TAGWAY_BRIDGE}=\"\(bridge.idText)\""]
            if bridge.isMultiPort { keys.append("ENV{.TAGWAY_MULTIPORT}=\"1\"") }
            out += keys.joined(separator: ", ") + "\n"
        }
        out += """

            # The name of the physical device: its USB serial number, else its USB port path.
            ENV{TAGWAY_BRIDGE}!="?*", GOTO="tagway_serial_end"
            ENV{ID_SERIAL_SHORT}=="?*", ENV{.TAGWAY_NAME}="$env{ID_SERIAL_SHORT}"
            ENV{ID_SERIAL_SHORT}=="?*", ENV{.TAGWAY_MULTIPORT}=="1", ENV{.TAGWAY_NAME}="$env{ID_SERIAL_SHORT}-if$env{ID_USB_INTERFACE_NUM}"
            ENV{ID_SERIAL_SHORT}!="?*", ENV{ID_PATH}=="?*", ENV{.TAGWAY_NAME}="$env{ID_PATH}"
            ENV{.TAGWAY_NAME}!="?*", GOTO="tagway_serial_end"

            """
        for (bridge, ids) in bridges {
            let links = ids.map { "SYMLINK+=\"tagway/\(slug($0))-$env{.TAGWAY_NAME}\"" }
            out += (["ENV{TAGWAY_BRIDGE}==\"\(bridge.idText)\""] + links).joined(separator: ", ") + "\n"
        }
        out += "\nLABEL=\"tagway_serial_end\"\n"
        return out
    }

    /// `magicrf/m100` → `magicrf-m100`: a profile id as one file name under /dev/tagway/.
    static func slug(_ id: String) -> String {
        String(id.map { $0 == "/" ? "-" : $0 })
    }
}
