import CYaml

/// Walks a YAML document's parser events once, before anything is composed, and refuses what
/// would cost without bound: nesting deeper than `ConfigLimits.maxDepth` (Yams composes
/// recursively), more nodes than `maxExpandedNodes` once aliases are expanded (a billion-laughs
/// file is a few hundred bytes and expands to 10^9 nodes, which Yams then hashes as mapping
/// keys), too many aliases, and over-long scalars. It also finds a key given twice in one
/// mapping and points at the second one (Yams reports such a file at its first key).
///
/// The walk is linear in the text and stops at the first resource limit, so a hostile file is
/// refused in microseconds. A syntax error ends the walk quietly: Yams reports it, located.
enum YAMLResourceCheck {
    private struct Frame {
        var path: String
        var anchor: String?
        var isMapping: Bool
        /// Nodes inside this collection, aliases expanded.
        var nodes = 0
        /// Mapping only: whether the next event is a key, the current key, and where each key was first given.
        var expectsKey = true
        var key: String?
        var keys: [String: Int] = [:]
        var index = 0
    }

    static func check(_ text: String, file: String) throws(ConfigErrors) {
        var errors: [ConfigError] = []
        var bytes = Array(text.utf8)
        bytes.append(0)
        bytes.withUnsafeBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count - 1)
            var walk = Walk(file: file)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { break }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                if let stop = walk.take(event) {
                    walk.errors.append(stop)
                    break
                }
            }
            errors = walk.errors
        }
        if !errors.isEmpty { throw ConfigErrors(errors) }
    }

    private struct Walk {
        let file: String
        var errors: [ConfigError] = []
        var stack: [Frame] = []
        var anchorNodes: [String: Int] = [:]
        var totalNodes = 0
        var aliases = 0

        init(file: String) { self.file = file }

        /// Takes one event; returns the error that ends the walk when a resource limit is passed.
        mutating func take(_ event: yaml_event_t) -> ConfigError? {
            let line = Int(clamping: event.start_mark.line) + 1
            let column = Int(clamping: event.start_mark.column) + 1
            // Errors are built only when a limit is passed; the common path does no string work.
            let file = file
            func limit(_ message: String, _ expected: String, at path: String) -> ConfigError {
                ConfigError(file: file, line: line, column: column, key: path, message: message, expected: expected)
            }
            func tooMany(at path: String) -> ConfigError {
                limit("the document expands to more than \(ConfigLimits.maxExpandedNodes) values (aliases included)",
                      "a configuration of at most \(ConfigLimits.maxExpandedNodes) values; avoid aliases that repeat large parts", at: path)
            }
            switch event.type {
            case YAML_SCALAR_EVENT:
                let length = Int(clamping: event.data.scalar.length)
                if length > ConfigLimits.maxScalarLength {
                    return limit("a value of \(length) characters", "at most \(ConfigLimits.maxScalarLength) characters in one value", at: childPath)
                }
                let anchor = Self.string(event.data.scalar.anchor)
                if let anchor { anchorNodes[anchor] = 1 }
                let isKey = stack.last.map { $0.isMapping && $0.expectsKey } ?? false
                if isKey, let value = event.data.scalar.value {
                    let key = String(decoding: UnsafeBufferPointer(start: value, count: Int(clamping: length)), as: UTF8.self)
                    noteKey(key, line: line, column: column)
                }
                if exceeds(1) { return tooMany(at: childPath) }
                add(nodes: 1)
                return nil
            case YAML_ALIAS_EVENT:
                aliases += 1
                if aliases > ConfigLimits.maxAliases {
                    return limit("more than \(ConfigLimits.maxAliases) aliases", "at most \(ConfigLimits.maxAliases) aliases (*name) in one file", at: childPath)
                }
                let nodes = Self.string(event.data.alias.anchor).flatMap { anchorNodes[$0] } ?? 1
                if exceeds(nodes) { return tooMany(at: childPath) }
                markKeyTaken()
                add(nodes: nodes)
                return nil
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let anchor = Self.string(isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor)
                if stack.count >= ConfigLimits.maxDepth {
                    return limit("lists and mappings nested more than \(ConfigLimits.maxDepth) deep", "at most \(ConfigLimits.maxDepth) levels",
                                 at: childPath)
                }
                let path = childPath
                if exceeds(1) { return tooMany(at: path) }
                markKeyTaken()
                add(nodes: 1)
                stack.append(Frame(path: path, anchor: anchor, isMapping: isMapping))
                return nil
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { return nil }
                // The collection itself was counted in its parent when it started.
                if let anchor = frame.anchor { anchorNodes[anchor] = frame.nodes + 1 }
                if let top = stack.indices.last { stack[top].nodes += frame.nodes }
                return nil
            default:
                return nil
            }
        }

        /// Counts `nodes` more (an alias counts the whole tree it stands for) in the document and
        /// the enclosing collection; a value in a mapping flips it back to expecting a key.
        private mutating func add(nodes: Int) {
            totalNodes += nodes
            guard !stack.isEmpty else { return }
            let top = stack.count - 1
            if stack[top].isMapping { stack[top].expectsKey.toggle() } else { stack[top].index += 1 }
            stack[top].nodes += nodes
        }

        /// Whether `nodes` more would pass `maxExpandedNodes`. Every count stays at most that
        /// bound, so the sums here cannot overflow.
        private func exceeds(_ nodes: Int) -> Bool {
            nodes > ConfigLimits.maxExpandedNodes - totalNodes
        }

        /// A collection or alias in key position has no text to compare; it still takes the key's place.
        private mutating func markKeyTaken() {
            if let last = stack.last, last.isMapping, last.expectsKey { stack[stack.count - 1].key = nil }
        }

        private mutating func noteKey(_ key: String, line: Int, column: Int) {
            let frame = stack[stack.count - 1]
            let path = frame.path.isEmpty ? key : "\(frame.path).\(key)"
            if let first = frame.keys[key] {
                errors.append(ConfigError(file: file, line: line, column: column, key: path,
                                          message: "key given twice (first on line \(first))", expected: "each key once in a mapping"))
            } else {
                stack[stack.count - 1].keys[key] = line
            }
            stack[stack.count - 1].key = key
        }

        /// The key path of the value the next event is.
        private var childPath: String {
            guard let frame = stack.last else { return "" }
            if frame.isMapping {
                guard !frame.expectsKey, let key = frame.key else { return frame.path }
                return frame.path.isEmpty ? key : "\(frame.path).\(key)"
            }
            return "\(frame.path)[\(frame.index)]"
        }

        static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: $0) }
        }
    }
}
