#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import KonnectCore

/// The CLI's only contact with the disk for reading a project.
enum FileSystem {
    static func exists(_ path: String, directory: Bool? = nil) -> Bool {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return false }
        if let directory { return isDir.boolValue == directory }
        return true
    }

    /// The most read of a file named on the command line (a plan file, an event file).
    static let maxBytes = 1 << 30

    /// What reading a file brought.
    enum Contents {
        case bytes([UInt8])
        /// Over the limit, with its size (at least the limit plus one); nothing past the limit was read.
        case tooLarge(Int)
        /// The system's reason.
        case failed(String)
    }

    /// Reads a file named on the command line, links followed.
    static func read(_ path: String) throws -> [UInt8] {
        switch read(Array(path.utf8) + [0], limit: maxBytes, followingLinks: true) {
        case .bytes(let bytes): return bytes
        case .tooLarge: throw CLIError("cannot read \(path): larger than \(maxBytes >> 30) GiB")
        case .failed(let reason): throw CLIError("cannot read \(path): \(reason)")
        }
    }

    /// Writes `bytes` to the file `path` names on the command line (`plan --out`),
    /// created readable by its owner only when new. Never through a symbolic
    /// link (SPEC §8, §10: as export), and never into anything but a plain
    /// file of its own: a special file or one with other hard links is refused
    /// before it is touched.
    static func writeFile(_ bytes: [UInt8], to path: String) throws {
        // The path as given: `absolute` standardizes, which resolves the link this must not follow.
        let fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP { throw CLIError("refusing to write \(TerminalText.escaped(path)): it is a symbolic link") }
            throw CLIError("cannot write \(TerminalText.escaped(path)): \(reason(code))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CLIError("cannot write \(TerminalText.escaped(path)): \(reason())") }
        guard info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1 else {
            throw CLIError("refusing to write \(TerminalText.escaped(path)): it is not a plain file of its own (a special file, or one with other hard links)")
        }
        guard ftruncate(fd, 0) == 0 else { throw CLIError("cannot write \(TerminalText.escaped(path)): \(reason())") }
        var rest = bytes[...]
        while !rest.isEmpty {
            let n = rest.withUnsafeBytes { systemWriteFile(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError("cannot write \(TerminalText.escaped(path)): \(reason())")
            }
            rest = rest.dropFirst(n)
        }
    }

    /// Reads a regular file (`path` ends with a NUL). Its size is checked
    /// before it is read, and never more than `limit + 1` bytes are read: a
    /// file that grows while being read is cut there. One allocation of its
    /// size plus one byte, so that the end shows as a short read without a
    /// second buffer; a short read that brings exactly the size `fstat`
    /// gave is the end (no second `read` to see it return 0).
    static func read(_ path: [UInt8], limit: Int, followingLinks: Bool) -> Contents {
        // Non-blocking, so that opening a FIFO cannot wait for a writer; it is refused below.
        let flags = O_RDONLY | O_NONBLOCK | (followingLinks ? 0 : O_NOFOLLOW)
        let fd = withCString(path) { open($0, flags) }
        guard fd >= 0 else { return .failed(reason()) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failed(reason()) }
        // A device such as /dev/zero never ends; only regular files are read.
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .failed("not a regular file") }
        let size = Int(st.st_size)
        guard size <= limit else { return .tooLarge(size) }
        var bytes: [UInt8] = []
        var capacity = size + 1
        while true {
            var error: Int32 = 0
            let before = bytes.count
            let chunk = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                count = 0
                while count < buffer.count {
                    let n = systemRead(fd, buffer.baseAddress! + count, buffer.count - count)
                    if n < 0 { if errno == EINTR { continue }; error = errno; return }
                    if n == 0 { return }
                    count += n
                    if before + count == size && count < buffer.count { return }
                }
            }
            if error != 0 { return .failed(reason(error)) }
            if bytes.isEmpty { bytes = chunk } else { bytes += chunk }
            guard bytes.count <= limit else { return .tooLarge(bytes.count) }
            if chunk.count < capacity { return .bytes(bytes) }
            capacity = min(64 * 1024, limit + 1 - bytes.count)
        }
    }

    // MARK: the walk

    /// What a walk of the konnectors or schemas folder found.
    struct Walk: Sendable {
        struct File: Sendable {
            /// As shown and keyed: relative to the project (absolute for a folder outside it).
            var path: String
            /// Where it is read from, NUL-terminated: a linked file's real path.
            var location: [UInt8]
        }

        struct Problem: Sendable {
            /// As shown: bytes that are not UTF-8, and control characters, escaped.
            var path: String
            var cause: Diagnostic.Unreadable
        }

        var files: [File] = []
        var problems: [Problem] = []
    }

    /// Every `*.yaml` / `*.yml` below `folder`, shown relative to `base` (the
    /// project), in byte order of the shown paths; and every entry that
    /// cannot or may not be read (SPEC §1). Hidden entries are skipped. A
    /// symbolic link is followed only to a regular file or a folder inside
    /// the project or `folder` (resolved first, so nothing else is ever
    /// opened); each folder is read once, and a link to a folder enclosing
    /// the link is a loop.
    ///
    /// The walk is depth first, each folder's entries in byte order of their
    /// names with a `/` after a folder's: that is the byte order of the whole
    /// paths, with no sort of them all. The top folder's subfolders are
    /// walked in parallel, their files joined in that order. Folders reached
    /// through links are walked after, in order of their shown paths. Names
    /// stay bytes until a file's path is made.
    static func yamlFiles(under folder: String, relativeTo base: String) -> Walk {
        let shownFolder = relative(absolute(folder), to: absolute(base))
        guard let root = realPath(Array(folder.utf8)), let project = realPath(Array(base.utf8)) else {
            let failure = reason()
            return Walk(problems: [Walk.Problem(path: shown(Array(shownFolder.utf8)), cause: .folder(failure))])
        }
        let roots = Roots(paths: [project, root])
        var walk = Walk()
        var links: [Link] = []
        walkTree(Tree(real: root, shown: Array(shownFolder.utf8) + [0x2F]), roots, into: &walk, links: &links)
        links.sort { $0.shown.lexicographicallyPrecedes($1.shown) }
        var read = [root]
        var next = 0
        while next < links.count {
            let link = links[next]
            next += 1
            if Roots.encloses(link.target, link.parent) {
                walk.problems.append(Walk.Problem(path: shown(link.shown), cause: .linkLoop))
            } else if read.contains(where: { Roots.encloses($0, link.target) || Roots.encloses(link.target, $0) }) {
                walk.problems.append(Walk.Problem(path: shown(link.shown), cause: .linkToFolderRead))
            } else {
                read.append(link.target)
                var more: [Link] = []
                walkTree(Tree(real: link.target, shown: link.shown + [0x2F]), roots, into: &walk, links: &more)
                links += more.sorted { $0.shown.lexicographicallyPrecedes($1.shown) }
            }
        }
        if read.count > 1 { walk.files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) } }
        return walk
    }

    /// A folder walked: its real path, and the path its files are shown under (with a trailing `/`).
    private struct Tree: Sendable {
        var real: [UInt8]
        var shown: [UInt8]
    }

    /// A link to a folder, followed once the trees are walked.
    private struct Link: Sendable {
        var shown: [UInt8]
        var target: [UInt8]
        /// The real path of the folder holding the link.
        var parent: [UInt8]
    }

    /// What a link may lead into: the project and the walked folder, real paths.
    private struct Roots: Sendable {
        var paths: [[UInt8]]

        func contain(_ path: [UInt8]) -> Bool { paths.contains { Self.encloses($0, path) } }

        /// Whether `inner` is `outer` or inside it (real paths, no trailing `/`).
        static func encloses(_ outer: [UInt8], _ inner: [UInt8]) -> Bool {
            if outer == [0x2F] { return true }
            return inner.count >= outer.count && inner.starts(with: outer) && (inner.count == outer.count || inner[outer.count] == 0x2F)
        }
    }

    /// What one folder's part of a walk found.
    private struct Part: Sendable {
        var files: [Walk.File] = []
        var problems: [Walk.Problem] = []
        var links: [Link] = []
    }

    /// Walks `tree`: its top folder, then each subfolder in parallel.
    private static func walkTree(_ tree: Tree, _ roots: Roots, into result: inout Walk, links: inout [Link]) {
        var top = Listing(tree, sub: [], roots)
        result.problems += top.problems
        links += top.links
        var entries: [Listing.Item] = []
        while let item = top.next() { entries.append(item) }
        let parts = Parallel.map(entries) { item -> Part in
            if item.isDir { return walkFolder(tree, sub: Array(item.name) + [0x2F], roots) }
            return Part(files: [file(tree, Array(item.name), target: item.target)])
        }
        for part in parts {
            result.files += part.files
            if !part.problems.isEmpty { result.problems += part.problems }
            if !part.links.isEmpty { links += part.links }
        }
    }

    /// The YAML files below the folder `sub` of `tree` (with its trailing `/`), in walk order.
    private static func walkFolder(_ tree: Tree, sub: [UInt8], _ roots: Roots) -> Part {
        var part = Part()
        var stack: [Listing] = []
        func enter(_ sub: [UInt8]) {
            let listing = Listing(tree, sub: sub, roots)
            if !listing.problems.isEmpty { part.problems += listing.problems }
            if !listing.links.isEmpty { part.links += listing.links }
            stack.append(listing)
        }
        enter(sub)
        while !stack.isEmpty {
            let top = stack.count - 1
            guard let item = stack[top].next() else {
                stack.removeLast()
                continue
            }
            let rel = stack[top].sub + item.name
            if item.isDir {
                enter(rel + [0x2F])
            } else {
                part.files.append(file(tree, rel, target: item.target))
            }
        }
        return part
    }

    private static func file(_ tree: Tree, _ rel: [UInt8], target: [UInt8]?) -> Walk.File {
        var location: [UInt8]
        if let target {
            location = target
        } else {
            location = []
            location.reserveCapacity(tree.real.count + rel.count + 2)
            location += tree.real
            location.append(0x2F)
            location += rel
        }
        location.append(0)
        return Walk.File(path: String(decoding: tree.shown + rel, as: UTF8.self), location: location)
    }

    private static func isYAML(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        hasSuffix(name, ".yaml") || hasSuffix(name, ".yml")
    }

    private static func hasSuffix(_ name: UnsafeBufferPointer<UInt8>, _ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        guard name.count >= n else { return false }
        let s = UnsafeBufferPointer(start: suffix.utf8Start, count: n)
        return name.suffix(n).elementsEqual(s)
    }

    private static func isUTF8(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        if !name.contains(where: { $0 >= 0x80 }) { return true }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = name.makeIterator()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .error: return false
            case .emptyInput: return true
            }
        }
    }

    /// One folder's subfolders and YAML files, in walk order, and what in it
    /// is not read. Each entry costs no system call beyond `readdir` unless
    /// it is a link (or the file system does not give its type).
    private struct Listing {
        /// Where an entry's name is in `names`.
        private struct Entry {
            var start: Int
            var count: Int
            var isDir: Bool
            /// The real path of a linked file in `targets`, or -1.
            var target: Int
        }

        struct Item: Sendable {
            var name: ArraySlice<UInt8>
            var isDir: Bool
            var target: [UInt8]?
        }

        /// The names, one after another.
        private var names: [UInt8] = []
        private var entries: [Entry] = []
        private var targets: [[UInt8]] = []
        private var position = 0
        /// The folder, relative to the tree, with its trailing `/` (empty for the tree's top).
        let sub: [UInt8]
        private(set) var problems: [Walk.Problem] = []
        private(set) var links: [Link] = []

        init(_ tree: Tree, sub: [UInt8], _ roots: Roots) {
            self.sub = sub
            var path = tree.real
            path.append(0x2F)
            path += sub
            let shownFolder = tree.shown + sub
            var failure: Int32 = 0
            guard let dir = withCString(path, { p in
                let dir = opendir(p)
                if dir == nil { failure = errno }
                return dir
            }) else {
                problems.append(Walk.Problem(path: shown(shownFolder.dropLast()), cause: .folder(reason(failure))))
                return
            }
            defer { closedir(dir) }
            let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            while true {
                errno = 0
                guard let entry = readdir(dir) else {
                    if errno != 0 { problems.append(Walk.Problem(path: shown(shownFolder.dropLast()), cause: .folder(reason()))) }
                    break
                }
                let start = UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: UInt8.self)
                let name = UnsafeBufferPointer(start: start, count: strlen(start))
                if name.isEmpty || name[0] == 0x2E { continue }  // hidden, `.` and `..`
                func refuse(_ cause: Diagnostic.Unreadable) {
                    problems.append(Walk.Problem(path: FileSystem.shown(shownFolder + name), cause: cause))
                }
                var type = Int32(entry.pointee.d_type)
                if type == Int32(DT_UNKNOWN) {
                    var st = stat()
                    guard withCString(path + name, { lstat($0, &st) }) == 0 else { refuse(.file(reason())); continue }
                    switch st.st_mode & S_IFMT {
                    case S_IFDIR: type = Int32(DT_DIR)
                    case S_IFREG: type = Int32(DT_REG)
                    case S_IFLNK: type = Int32(DT_LNK)
                    default: break
                    }
                }
                switch type {
                case Int32(DT_DIR):
                    guard isUTF8(name) else { refuse(.nameNotUTF8); continue }
                    append(name, isDir: true)
                case Int32(DT_REG):
                    guard isYAML(name) else { continue }
                    guard isUTF8(name) else { refuse(.nameNotUTF8); continue }
                    append(name, isDir: false)
                case Int32(DT_LNK):
                    guard isUTF8(name) else { refuse(.nameNotUTF8); continue }
                    // Resolved before anything is opened: only then is the target known to be inside.
                    guard let target = realPath(path + name) else {
                        let e = errno
                        refuse(e == ENOENT || e == ENOTDIR ? .linkDangling : e == ELOOP ? .linkLoop : .link(reason(e)))
                        continue
                    }
                    guard roots.contain(target) else { refuse(.linkOutsideProject); continue }
                    var st = stat()
                    guard withCString(target, { stat($0, &st) }) == 0 else { refuse(.link(reason())); continue }
                    switch st.st_mode & S_IFMT {
                    case S_IFDIR:
                        links.append(Link(shown: shownFolder + name, target: target, parent: Array(path.dropLast())))
                    case S_IFREG:
                        if isYAML(name) { append(name, isDir: false, target: target) }
                    default:
                        refuse(.linkToSpecialFile)
                    }
                default:
                    // A FIFO, a device, a socket: refused if named as a file to read.
                    if isYAML(name) { refuse(isUTF8(name) ? .notRegularFile : .nameNotUTF8) }
                }
            }
            names.withUnsafeBufferPointer { b in
                entries.sort { Self.precedes($0, $1, in: b) }
            }
        }

        private mutating func append(_ name: UnsafeBufferPointer<UInt8>, isDir: Bool, target: [UInt8]? = nil) {
            var index = -1
            if let target {
                index = targets.count
                targets.append(target)
            }
            entries.append(Entry(start: names.count, count: name.count, isDir: isDir, target: index))
            names.append(contentsOf: name)
        }

        /// Byte order of the names, a folder's read with a `/` after it.
        private static func precedes(_ a: Entry, _ b: Entry, in names: UnsafeBufferPointer<UInt8>) -> Bool {
            let n = min(a.count, b.count)
            let c = n == 0 ? 0 : memcmp(names.baseAddress! + a.start, names.baseAddress! + b.start, n)
            if c != 0 { return c < 0 }
            // One name starts the other: compare the byte after the shorter (-1 at a file's end).
            func after(_ e: Entry) -> Int {
                e.count > n ? Int(names[e.start + n]) : e.isDir ? 0x2F : -1
            }
            return after(a) < after(b)
        }

        mutating func next() -> Item? {
            guard position < entries.count else { return nil }
            let e = entries[position]
            position += 1
            return Item(name: names[e.start..<(e.start + e.count)], isDir: e.isDir, target: e.target < 0 ? nil : targets[e.target])
        }
    }

    // MARK: paths

    /// A path's bytes made fit for output: UTF-8 as it is, any other byte
    /// as `\x{ff}`, control characters escaped (SPEC §6).
    static func shown<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let array = Array(bytes)
        var out = ""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = array.makeIterator()
        var position = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                out.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                position += encoded.count
            case .error(let length):
                for byte in array[position..<(position + length)] { out += "\\x{" + String(byte, radix: 16) + "}" }
                position += length
            case .emptyInput:
                return TerminalText.escaped(out)
            }
        }
    }

    /// The real path (links resolved, absolute), or nil with `errno` set.
    private static func realPath(_ path: [UInt8]) -> [UInt8]? {
        guard let resolved = withCString(path + [0], { realpath($0, nil) }) else { return nil }
        defer { free(resolved) }
        return Array(UnsafeBufferPointer(start: UnsafeRawPointer(resolved).assumingMemoryBound(to: UInt8.self), count: strlen(resolved)))
    }

    /// Calls `body` with the bytes as a C string: `bytes` NUL-terminated, or copied with a NUL.
    private static func withCString<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
        let terminated = bytes.last == 0 ? bytes : bytes + [0]
        return terminated.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }

    private static func reason(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    static func relative(_ path: String, to base: String) -> String {
        let p = (path as NSString).standardizingPath
        let b = (base as NSString).standardizingPath
        if p.hasPrefix(b + "/") { return String(p.dropFirst(b.count + 1)) }
        return p
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return (path as NSString).standardizingPath }
        return ((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }
}

/// `read(2)`, named apart from `FileSystem.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buffer, count)
    #elseif canImport(Darwin)
    return Darwin.read(fd, buffer, count)
    #endif
}

/// `write(2)`, named apart from `FileSystem.writeFile` and `ExportFolder.write`.
func systemWriteFile(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}
