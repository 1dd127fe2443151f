/// The release `GET /v1/status` reports. `tagway --version` takes its own from the `version:`
/// literal in Sources/tagway/Tagway.swift, which packaging/build-deb.sh reads; the console
/// endpoints test checks that the two agree.
public enum TagwayVersion {
    public static let current = "0.1.0"
}
