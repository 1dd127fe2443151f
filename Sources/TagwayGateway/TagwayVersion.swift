/// The release, in one place: `tagway --version` and `GET /v1/status` say the same.
public enum TagwayVersion {
    public static let current = "0.1.0"
}
