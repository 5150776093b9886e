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
        let (problems, spans) = (builder.problems, builder.quotedScalarSpansLines)
        return YAMLStream(source: source, documents: builder.finish(), problems: problems, quotedScalarSpansLines: spans)
    }
}

/// The event loop's mutable state; lives only for one `parse` call.
private struct Builder: ~Copyable {
    /// An open sequence or mapping. Its children wait on `Builder.open`
    /// from `base` up until it closes.
    struct Frame {
        var isMapping: Bool
        var start: SourcePosition
        var anchor: String?
        var tag: Int32
        var base: Int
        /// The next node is the value of a repeated key, and is dropped.
        var skipValue = false
        /// The repeated key whose value is dropped next.
        var droppedKey: Int32 = -1
        /// Scalar keys by text, with their pair index; built only once a mapping grows large.
        var keyIndex: [String: Int]? = nil
        var nodeCount = 1
    }

    let source: SourceText
    let limits: YAMLLimits
    var problems: [YAMLProblem] = []
    /// Whether a quoted scalar ran over more than one line.
    var quotedScalarSpansLines = false
    /// Each document's root node (nil when empty), range and dropped pairs, until the tree is made.
    private var documents: [(root: Int32?, range: SourceRange, dropped: [(key: Int32, value: Int32)])] = []
    /// The current document's pairs whose key repeats an earlier key of its
    /// mapping: left out of the mapping, kept for whoever must still see
    /// their text (a credential under a repeated `secret:` is masked too).
    private var dropped: [(key: Int32, value: Int32)] = []

    // The tree's tables, filled as nodes complete.
    private var records: [YAMLTree.Record] = []
    private var scalars: [YAMLScalar] = []
    private var children: [Int32] = []
    private var tags: [String] = []

    private var stack: [Frame] = []
    /// The children of every open collection, the innermost collection's
    /// last: one stack for all, so no collection grows an array of its own.
    private var open: [Int32] = []
    private var root: Int32?
    private var documentStart = SourcePosition.start
    private var anchors: [String: (node: Int32, count: Int)] = [:]
    private var aliasCount = 0
    private var expandedNodes = 0
    private var aborted = false

    init(source: SourceText, limits: YAMLLimits) {
        self.source = source
        self.limits = limits
        // Sized for about one node per 8 bytes (one scalar per 10), as
        // konnectors run, so that a typical file never regrows them.
        let bytes = source.bytes.count
        records.reserveCapacity(bytes / 8 + 4)
        scalars.reserveCapacity(bytes / 10 + 4)
        children.reserveCapacity(bytes / 8 + 4)
        stack.reserveCapacity(8)
        open.reserveCapacity(32)
    }

    /// The documents, their nodes in one tree.
    consuming func finish() -> [YAMLDocument] {
        let tree = YAMLTree(records: records, scalars: scalars, children: children, tags: tags)
        return documents.map { d in
            YAMLDocument(root: d.root.map { YAMLNode(tree, $0) }, range: d.range,
                         droppedPairs: d.dropped.map { YAMLPair(key: YAMLNode(tree, $0.key), value: YAMLNode(tree, $0.value)) })
        }
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
            dropped.removeAll()
            anchors.removeAll(keepingCapacity: true)
            aliasCount = 0
            expandedNodes = 0
        case YAML_DOCUMENT_END_EVENT:
            documents.append((root, SourceRange(start: documentStart, end: position(event.end_mark)), dropped))
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let tag = string(s.tag)
            let bytes = UnsafeBufferPointer(start: s.value, count: s.value == nil ? 0 : s.length)
            records.append(YAMLTree.Record(range: SourceRange(start: start, end: position(event.end_mark)), kind: .scalar,
                                           tag: tagIndex(tag), first: Int32(scalars.count), count: 0,
                                           signature: YAMLTree.signature(bytes)))
            scalars.append(YAMLScalar(text: String(decoding: bytes, as: UTF8.self), utf8: bytes, style: style(s.style), tag: tag))
            if event.end_mark.line != event.start_mark.line,
               s.style == YAML_SINGLE_QUOTED_SCALAR_STYLE || s.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE {
                quotedScalarSpansLines = true
            }
            add(Int32(records.count - 1), count: 1, anchor: string(s.anchor))
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
            // Not `popLast`: an optional frame is destroyed through the runtime's generic witness.
            guard !stack.isEmpty else { return }
            let frame = stack.removeLast()
            // libyaml gives every key a value; a key without one (never expected) is dropped.
            var count = open.count - frame.base
            if frame.isMapping && count % 2 == 1 { count -= 1 }
            let first = children.count
            children.append(contentsOf: open[frame.base..<(frame.base + count)])
            open.removeSubrange(frame.base...)
            records.append(YAMLTree.Record(range: SourceRange(start: frame.start, end: position(event.end_mark)),
                                           kind: frame.isMapping ? .mapping : .sequence, tag: frame.tag,
                                           first: Int32(first), count: Int32(count)))
            add(Int32(records.count - 1), count: frame.nodeCount, anchor: frame.anchor)
        default:
            break
        }
    }

    private mutating func tagIndex(_ tag: String?) -> Int32 {
        guard let tag else { return -1 }
        tags.append(tag)
        return Int32(tags.count - 1)
    }

    private mutating func push(isMapping: Bool, start: SourcePosition, anchor: String?, tag: String?, _ event: yaml_event_t) {
        if stack.count + 1 > limits.maxDepth {
            let at = SourceRange(start: start, end: position(event.end_mark))
            problems.append(.limitExceeded(.depth(max: limits.maxDepth), at: at))
            aborted = true
            return
        }
        stack.append(Frame(isMapping: isMapping, start: start, anchor: anchor, tag: tagIndex(tag), base: open.count))
    }

    /// Adds complete node `node` (of `count` nodes once aliases are expanded)
    /// to the open frame, or makes it the document's root.
    @inline(__always)  // once per node: the call itself showed in profiles
    private mutating func add(_ node: Int32, count: Int, anchor: String?) {
        if let anchor { anchors[anchor] = (node, count) }
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        stack[top].nodeCount += count
        guard stack[top].isMapping else {
            open.append(node)
            return
        }
        if stack[top].skipValue {
            stack[top].skipValue = false
            dropped.append((stack[top].droppedKey, node))
            return
        }
        let isKey = (open.count - stack[top].base) % 2 == 0
        let record = records[Int(node)]
        if isKey, record.kind == .scalar {
            // A key: check it against the keys already in this mapping.
            let text = scalars[Int(record.first)].text
            if let first = firstRange(ofKey: text, signature: record.signature, at: top) {
                problems.append(.duplicateKey(key: text, first: first, at: record.range))
                stack[top].skipValue = true
                stack[top].droppedKey = node
                return
            }
            if stack[top].keyIndex != nil {
                stack[top].keyIndex![text] = (open.count - stack[top].base) / 2
            }
        }
        open.append(node)
    }

    private func scalarText(_ node: Int32) -> String? {
        records[Int(node)].text(in: scalars)
    }

    /// Where `text` first appears as a key of the open mapping at `top`:
    /// a scan of its keys while it is small, a hash index once it is not.
    private mutating func firstRange(ofKey text: String, signature: UInt32, at top: Int) -> SourceRange? {
        let base = stack[top].base
        let count = (open.count - base) / 2
        if count >= 16 && stack[top].keyIndex == nil {
            var index: [String: Int] = [:]
            for i in 0..<count {
                if let key = scalarText(open[base + 2 * i]), index[key] == nil { index[key] = i }
            }
            stack[top].keyIndex = index
        }
        if let index = stack[top].keyIndex {
            return index[text].map { records[Int(open[base + 2 * $0])].range }
        }
        for i in stride(from: base, to: open.count, by: 2) {
            let r = records[Int(open[i])]
            if r.isScalar(spelled: text, signature: signature, in: scalars) { return r.range }
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
