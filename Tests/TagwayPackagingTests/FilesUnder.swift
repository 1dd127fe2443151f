import Foundation

/// Every file and symlink under `root`, as paths relative to it, sorted.
func filesUnder(_ root: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
    var files: [String] = []
    for case let path as String in walker {
        let attributes = walker.fileAttributes ?? [:]
        if attributes[.type] as? FileAttributeType != .typeDirectory { files.append(path) }
    }
    return files.sorted()
}
