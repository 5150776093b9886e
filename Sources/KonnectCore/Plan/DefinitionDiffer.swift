/// Field-level differences between two definitions (SPEC §8), in the order
/// a person reads them: members by key, list elements in list order.
///
/// * An array of objects that each have a unique, non-empty `id` string
///   (steps, a paths step's paths, the steps inside a path or a repeat) is
///   keyed by id: its elements' paths name the id, never the position
///   (`steps.route.paths.vip.steps.alert-vip.with.channel`), so inserting a
///   step shows as one new step. A change of order is one entry at the
///   array's path, with the ids in each order.
/// * Any other array is aligned element by element by its longest common
///   subsequence (`~ values[1]`, `+ values[3]`, `- values[0]`; a removed
///   element has its old index, any other its new one). When the part that
///   differs is too large to align (`SequenceDiff.maxCells`), the array is
///   one entry with both values whole.
/// * Inside a value that only one side has (a created object, a new step),
///   only what it sets is listed: no null, empty array or empty object. A
///   field that is itself absent on one side and null on the other is listed.
public enum DefinitionDiffer {
    /// A field is sensitive at its path, or when its value holds the literal
    /// of a sensitive field of either definition (`SensitiveValues`).
    public static func diff(before: JSONValue?, after: JSONValue?, sensitivePaths: [String]) -> [FieldDiff] {
        var walk = Walk(sensitivePaths: sensitivePaths, sensitiveValues: SensitiveValues.of([before, after], paths: sensitivePaths))
        walk.compare(before, after, path: "")
        return walk.out
    }

    /// The ids of an id-keyed array, in order; nil when it is not one.
    static func keys(_ items: [JSONValue]) -> [String]? {
        var ids: [String] = []
        var seen: Set<String> = []
        for item in items {
            guard case .string(let id)? = item["id"], !id.isEmpty, seen.insert(id).inserted else { return nil }
            ids.append(id)
        }
        return ids
    }
}

private struct Walk {
    let sensitivePaths: [String]
    let sensitiveValues: [String]
    var out: [FieldDiff] = []

    init(sensitivePaths: [String], sensitiveValues: [String]) {
        self.sensitivePaths = sensitivePaths
        self.sensitiveValues = sensitiveValues
    }

    private func sensitive(_ path: String) -> Bool {
        sensitivePaths.contains { path == $0 || path.hasPrefix($0 + ".") || path.hasPrefix($0 + "[") }
    }

    private mutating func emit(_ path: String, _ before: JSONValue?, _ after: JSONValue?) {
        out.append(FieldDiff(path: path, before: before, after: after,
                             sensitive: sensitive(path) || SensitiveValues.holds(before, any: sensitiveValues)
                                 || SensitiveValues.holds(after, any: sensitiveValues)))
    }

    private static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    private static func members(_ members: [JSONValue.Member]) -> [String: JSONValue] {
        Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    private static func isContainer(_ v: JSONValue) -> Bool {
        switch v {
        case .object, .array: return true
        default: return false
        }
    }

    mutating func compare(_ old: JSONValue?, _ new: JSONValue?, path: String) {
        switch (old, new) {
        case (nil, nil):
            return
        case (nil, let value?):
            whole(value, path: path, after: true, top: true)
        case (let value?, nil):
            whole(value, path: path, after: false, top: true)
        case (.object(let a)?, .object(let b)?):
            let left = Self.members(a), right = Self.members(b)
            for key in Set(left.keys).union(right.keys).sorted() {
                compare(left[key], right[key], path: Self.join(path, key))
            }
        case (.array(let a)?, .array(let b)?):
            if let ka = DefinitionDiffer.keys(a), let kb = DefinitionDiffer.keys(b), !(ka.isEmpty && kb.isEmpty) {
                keyed(a, ka, b, kb, path: path)
            } else {
                aligned(a, b, path: path)
            }
        case (let a?, let b?):
            if a.serialized() != b.serialized() { emit(path, a, b) }
        }
    }

    /// A value only one side has: what it sets, leaf by leaf. `top`: the
    /// field itself, listed whole when it sets nothing (null, empty, all null).
    private mutating func whole(_ v: JSONValue, path: String, after: Bool, top: Bool) {
        let count = out.count
        switch v {
        case .object(let members):
            for m in members.sorted(by: { $0.key < $1.key }) {
                whole(m.value, path: Self.join(path, m.key), after: after, top: false)
            }
        case .array(let items) where !items.isEmpty:
            if let ids = DefinitionDiffer.keys(items) {
                for (item, id) in zip(items, ids) { element(item, path: Self.join(path, id), after: after) }
            } else if items.contains(where: Self.isContainer) {
                for (i, item) in items.enumerated() { whole(item, path: "\(path)[\(i)]", after: after, top: false) }
            } else {
                emit(path, after ? nil : v, after ? v : nil)
            }
        case .null, .array:
            break
        default:
            emit(path, after ? nil : v, after ? v : nil)
        }
        if top && out.count == count { emit(path, after ? nil : v, after ? v : nil) }
    }

    /// An element of an id-keyed array that only one side has: its fields
    /// but the id (which its path names), or itself when it sets nothing else.
    private mutating func element(_ item: JSONValue, path: String, after: Bool) {
        let count = out.count
        if case .object(let members) = item {
            whole(.object(members.filter { $0.key != "id" }), path: path, after: after, top: false)
        }
        if out.count == count { emit(path, after ? nil : item, after ? item : nil) }
    }

    private mutating func keyed(_ a: [JSONValue], _ ka: [String], _ b: [JSONValue], _ kb: [String], path: String) {
        let oldAt = Dictionary(uniqueKeysWithValues: ka.enumerated().map { ($1, $0) })
        let newIDs = Set(kb)
        let kept = ka.filter(newIDs.contains), keptNow = kb.filter { oldAt[$0] != nil }
        if kept != keptNow {
            out.append(FieldDiff(path: path, before: .array(ka.map(JSONValue.string)),
                                 after: .array(kb.map(JSONValue.string)), sensitive: false))
        }
        // A removed element shows after the element that preceded it and stays.
        var removedAfter: [String: [Int]] = [:], removedFirst: [Int] = []
        var previous: String?
        for (i, id) in ka.enumerated() {
            if newIDs.contains(id) {
                previous = id
            } else if let p = previous {
                removedAfter[p, default: []].append(i)
            } else {
                removedFirst.append(i)
            }
        }
        for i in removedFirst { element(a[i], path: Self.join(path, ka[i]), after: false) }
        for (j, id) in kb.enumerated() {
            let itemPath = Self.join(path, id)
            if let i = oldAt[id] {
                compare(a[i], b[j], path: itemPath)
            } else {
                element(b[j], path: itemPath, after: true)
            }
            for i in removedAfter[id] ?? [] { element(a[i], path: Self.join(path, ka[i]), after: false) }
        }
    }

    private mutating func aligned(_ a: [JSONValue], _ b: [JSONValue], path: String) {
        // Elements compare by their canonical text, numbered so that the alignment compares integers.
        var numbers: [String: Int] = [:]
        func number(_ v: JSONValue) -> Int {
            let text = v.serialized(sortedKeys: true)
            if let n = numbers[text] { return n }
            numbers[text] = numbers.count
            return numbers.count - 1
        }
        let na = a.map(number), nb = b.map(number)
        guard let operations = SequenceDiff.align(na, nb) else {
            emit(path, .array(a), .array(b))
            return
        }
        var removed: [Int] = [], inserted: [Int] = []
        func flush() {
            // Removals and insertions between two kept elements pair up as changes, first with first.
            let paired = min(removed.count, inserted.count)
            for k in 0..<paired { compare(a[removed[k]], b[inserted[k]], path: "\(path)[\(inserted[k])]") }
            for i in removed.dropFirst(paired) { whole(a[i], path: "\(path)[\(i)]", after: false, top: true) }
            for j in inserted.dropFirst(paired) { whole(b[j], path: "\(path)[\(j)]", after: true, top: true) }
            removed = []
            inserted = []
        }
        for operation in operations {
            switch operation {
            case .equal: flush()
            case .delete(let i): removed.append(i)
            case .insert(let j): inserted.append(j)
            }
        }
        flush()
    }
}
