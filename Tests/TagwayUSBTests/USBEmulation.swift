import Testing

/// Tests that run the real libusb and libudev against devices emulated by umockdev: the probe
/// (`tagway-usb-probe`, a client of TagwayUSB and TagwayHID) runs under the testbed
/// (`tagway-usb-testbed`), each test in its own emulated /sys and /dev. Serialized: every run
/// is two processes, and the machine is small.
@Suite(
    "USB readers under umockdev", .serialized,
    .enabled(if: Testbed.isAvailable, "umockdev is not installed: apt-get install umockdev libumockdev-dev")
)
struct USBEmulation {
    /// A generous inter-key timeout, so a loaded machine pausing the probe never splits a scan.
    static let watchZebra = ["watch", "--vid", "05e0", "--pid", "1200", "--timeout-ms", "5000"]
}
