import CYaml

/// Builds positioned nodes from libyaml's event parser.
///
/// The C parser state and the input buffer are owned here for the whole
/// parse; nesting is handled with an explicit stack, so no input can make
/// this recurse, and every failure becomes a `YAMLProblem`, never a trap.
public struct YAMLParser: Sendable {
    public var limits: YAMLLimits

    public init(limits: YAMLLimits = .standard) {
        self.limits = limits
    }

    public func parse(_ bytes: [UInt8]) -> YAMLStream {
        if bytes.count > limits.maxFileBytes {
            // Not even indexed: a huge file is rejected before any work.
            let source = SourceText.empty
            return YAMLStream(source: source, documents: [], problems: [
                .limitExceeded(.fileSize(bytes: bytes.count, max: limits.maxFileBytes), at: .fileStart),
            ])
        }
        let source = SourceText(bytes: bytes)
        if let bad = source.firstInvalidUTF8Offset {
            let start = source.position(atOffset: bad)
            var end = start
            end.column += 1
            end.offset += 1
            return YAMLStream(source: source, documents: [], problems: [.invalidUTF8(at: SourceRange(start: start, end: end))])
        }
        if bytes.isEmpty {
            return YAMLStream(source: source, documents: [], problems: [])
        }
        var builder = Builder(source: source, limits: limits)
        builder.run()
        return YAMLStream(source: source, documents: builder.documents, problems: builder.problems)
    }
}

/// The event loop's mutable state; lives only for one `parse` call.
private struct Builder: ~Copyable {
    /// An open sequence or mapping. Its children wait on `Builder.children`
    /// from `base` up until it closes.
    struct Frame {
        var isMapping: Bool
        var start: SourcePosition
        var anchor: String?
        var tag: String?
        var base: Int
        /// The next node is the value of a repeated key, and is dropped.
        var skipValue = false
        /// Scalar keys by text, with their pair index; built only once a mapping grows large.
        var keyIndex: [String: Int]? = nil
        var nodeCount = 1
    }

    let source: SourceText
    let limits: YAMLLimits
    var documents: [YAMLDocument] = []
    var problems: [YAMLProblem] = []

    private var stack: [Frame] = []
    /// Wide enough for a typical document, so it rarely grows.
    private var children = NodeStack(capacity: 32)
    private var root: YAMLNode?
    private var documentStart = SourcePosition.start
    private var anchors: [String: (node: YAMLNode, count: Int)] = [:]
    private var aliasCount = 0
    private var expandedNodes = 0
    private var aborted = false

    init(source: SourceText, limits: YAMLLimits) {
        self.source = source
        self.limits = limits
        // Deep enough for a typical document, so the stack rarely grows.
        stack.reserveCapacity(8)
    }

    mutating func run() {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            problems.append(.syntax(problem: "out of memory", context: nil, contextStart: nil, at: .fileStart))
            return
        }
        defer { yaml_parser_delete(&parser) }
        source.bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            // Encoding is left to libyaml, which skips a byte order mark (already known to be UTF-8).
            var event = yaml_event_t()
            while !aborted {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    reportParserError(parser)
                    return
                }
                let done = event.type == YAML_STREAM_END_EVENT
                handle(event)
                yaml_event_delete(&event)
                if done { return }
            }
        }
    }

    // MARK: events

    private mutating func handle(_ event: yaml_event_t) {
        let start = position(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentStart = start
            root = nil
            anchors.removeAll(keepingCapacity: true)
            aliasCount = 0
            expandedNodes = 0
        case YAML_DOCUMENT_END_EVENT:
            documents.append(YAMLDocument(root: root, range: SourceRange(start: documentStart, end: position(event.end_mark))))
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let tag = string(s.tag)
            let bytes = UnsafeBufferPointer(start: s.value, count: s.value == nil ? 0 : s.length)
            let scalar = YAMLScalar(text: String(decoding: bytes, as: UTF8.self), utf8: bytes, style: style(s.style), tag: tag)
            add(YAMLNode(.scalar(scalar), range: SourceRange(start: start, end: position(event.end_mark)), tag: tag),
                count: 1, anchor: string(s.anchor))
        case YAML_ALIAS_EVENT:
            let name = string(event.data.alias.anchor) ?? ""
            let range = SourceRange(start: start, end: position(event.end_mark))
            guard let target = anchors[name] else {
                problems.append(.syntax(problem: "found undefined alias `*\(name)`", context: nil, contextStart: nil, at: range))
                aborted = true
                return
            }
            aliasCount += 1
            expandedNodes += target.count
            if aliasCount > limits.maxAliasesPerDocument {
                problems.append(.limitExceeded(.aliases(max: limits.maxAliasesPerDocument), at: range))
                aborted = true
                return
            }
            if expandedNodes > limits.maxExpandedNodes {
                problems.append(.limitExceeded(.expandedNodes(max: limits.maxExpandedNodes), at: range))
                aborted = true
                return
            }
            add(target.node, count: target.count, anchor: nil)
        case YAML_SEQUENCE_START_EVENT:
            let s = event.data.sequence_start
            push(isMapping: false, start: start, anchor: string(s.anchor), tag: string(s.tag), event)
        case YAML_MAPPING_START_EVENT:
            let m = event.data.mapping_start
            push(isMapping: true, start: start, anchor: string(m.anchor), tag: string(m.tag), event)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return }
            let range = SourceRange(start: frame.start, end: position(event.end_mark))
            let content: YAMLNode.Content = frame.isMapping ? .mapping(children.movePairs(from: frame.base))
                                                            : .sequence(children.moveItems(from: frame.base))
            add(YAMLNode(content, range: range, tag: frame.tag), count: frame.nodeCount, anchor: frame.anchor)
        default:
            break
        }
    }

    private mutating func push(isMapping: Bool, start: SourcePosition, anchor: String?, tag: String?, _ event: yaml_event_t) {
        if stack.count + 1 > limits.maxDepth {
            let at = SourceRange(start: start, end: position(event.end_mark))
            problems.append(.limitExceeded(.depth(max: limits.maxDepth), at: at))
            aborted = true
            return
        }
        stack.append(Frame(isMapping: isMapping, start: start, anchor: anchor, tag: tag, base: children.count))
    }

    /// Adds a complete node (of `count` nodes once aliases are expanded) to
    /// the open frame, or makes it the document's root.
    @inline(__always)  // once per node: the call itself showed in profiles
    private mutating func add(_ node: consuming YAMLNode, count: Int, anchor: String?) {
        if let anchor { anchors[anchor] = (node, count) }
        guard !stack.isEmpty else {
            root = consume node
            return
        }
        let top = stack.count - 1
        stack[top].nodeCount += count
        guard stack[top].isMapping else {
            children.append(consume node)
            return
        }
        if stack[top].skipValue {
            stack[top].skipValue = false
            return
        }
        let isKey = (children.count - stack[top].base) % 2 == 0
        if isKey, case .scalar(let s) = node.content {
            // A key: check it against the keys already in this mapping.
            if let first = firstRange(ofKey: s.text, at: top) {
                problems.append(.duplicateKey(key: s.text, first: first, at: node.range))
                stack[top].skipValue = true
                return
            }
            if stack[top].keyIndex != nil {
                stack[top].keyIndex![s.text] = (children.count - stack[top].base) / 2
            }
        }
        children.append(consume node)
    }

    /// Where `text` first appears as a key of the open mapping at `top`:
    /// a scan of its keys while it is small, a hash index once it is not.
    private mutating func firstRange(ofKey text: String, at top: Int) -> SourceRange? {
        let base = stack[top].base
        let count = (children.count - base) / 2
        if count >= 16 && stack[top].keyIndex == nil {
            var index: [String: Int] = [:]
            for i in 0..<count {
                if let key = children.scalarText(at: base + 2 * i), index[key] == nil { index[key] = i }
            }
            stack[top].keyIndex = index
        }
        if let index = stack[top].keyIndex {
            return index[text].map { children.range(at: base + 2 * $0) }
        }
        let length = text.utf8.count
        for i in stride(from: base, to: children.count, by: 2) {
            if let key = children.scalarText(at: i), key.utf8.count == length, key == text {
                return children.range(at: i)
            }
        }
        return nil
    }

    // MARK: errors

    private mutating func reportParserError(_ parser: yaml_parser_t) {
        let problem = string(parser.problem) ?? "invalid YAML"
        let at: SourcePosition
        if parser.error == YAML_READER_ERROR {
            at = source.position(atOffset: Int(parser.problem_offset))
        } else {
            at = position(parser.problem_mark)
        }
        let context = string(parser.context)
        let contextStart = context == nil ? nil : position(parser.context_mark)
        problems.append(.syntax(problem: problem, context: context, contextStart: contextStart,
                                at: SourceRange(start: at, end: oneCharacterAfter(at))))
    }

    private func oneCharacterAfter(_ p: SourcePosition) -> SourcePosition {
        let bytes = source.bytes
        guard p.offset < bytes.count, bytes[p.offset] != 0x0A, bytes[p.offset] != 0x0D else { return p }
        var offset = p.offset + 1
        while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
        return SourcePosition(line: p.line, column: p.column + 1, offset: offset)
    }

    // MARK: conversions

    @inline(__always)
    private func position(_ mark: yaml_mark_t) -> SourcePosition {
        source.position(line0: Int(mark.line), column0: Int(mark.column))
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private func style(_ s: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch s {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }
}
