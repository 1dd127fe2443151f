import TagwayConfig

/// The gateway configuration loader, with the repository's device profiles: the text an operator
/// edits by hand at a dock door. Findings here are reported to the config loader's owners.
enum ConfigTarget {
    static func make(devicesDir: String) -> FuzzTarget {
        FuzzTarget(
            name: "config", summary: "gateway configuration loader (YAML, every section, device profiles)",
            run: { bytes in
                let text = String(decoding: bytes, as: UTF8.self)
                do throws(ConfigErrors) {
                    _ = try GatewayConfigLoader.parse(text, file: "fuzz.yaml", devicesDir: devicesDir)
                } catch {
                    fuzzInvariant(!error.errors.isEmpty, "a rejected configuration says why")
                    _ = error.description
                }
            },
            seeds: { seeds.map { Array($0.utf8) } })
    }

    static let seeds = [
        """
        gateway: { id: dock, dataDir: /tmp/tagway-fuzz }
        readers:
          - { id: door, profile: id-innovations/id-12la, port: /dev/ttyUSB0, readPoint: dock-1 }
          - { id: scan, profile: zebra/ls2208-keyboard, readPoint: desk }
        debounce: { departAfter: 5s, minimumReads: 1 }
        """,
        """
        gateway: { id: g }
        readers:
          - id: uhf
            profile: magicrf/m100
            port: /dev/ttyS1
            readPoint: gate
        zones:
          - { id: inside, readers: [uhf] }
        movement: { holdoff: 2s }
        sinks:
          - { kind: webhook, url: "http://127.0.0.1:9/x", secret: "env:HOOK" }
        api: { listen: "127.0.0.1:8080" }
        """,
        "a: &a [1, 2]\nb: *a\n",
    ]
}
