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

    /// No input of konnect's comes near this (a konnector file may have 1 MiB).
    static let maxBytes = 1 << 30

    /// Reads a whole file in one allocation of its size plus one byte, so
    /// that the end shows as a short read without a second buffer; a file
    /// that grows while being read is still read to its end. A short read
    /// that brings exactly the size `fstat` gave is the end: no second
    /// `read` to see it return 0 (one system call less per file).
    static func read(_ path: String) throws -> [UInt8] {
        // Non-blocking, so that opening a FIFO cannot wait for a writer; it is refused below.
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        func fail(_ reason: String = String(cString: strerror(errno))) -> CLIError { CLIError("cannot read \(path): \(reason)") }
        let tooLarge = "larger than \(maxBytes >> 30) GiB"
        guard fd >= 0 else { throw fail() }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw fail() }
        // A device such as /dev/zero never ends; only regular files are read.
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw fail("not a regular file") }
        guard st.st_size <= maxBytes else { throw fail(tooLarge) }
        var bytes: [UInt8] = []
        let size = Int(st.st_size)
        var capacity = size + 1
        while true {
            var failed = false
            let before = bytes.count
            let chunk = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                count = 0
                while count < buffer.count {
                    let n = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
                    if n < 0 { if errno == EINTR { continue }; failed = true; return }
                    if n == 0 { return }
                    count += n
                    if before + count == size && count < buffer.count { return }
                }
            }
            if failed { throw fail() }
            if bytes.isEmpty { bytes = chunk } else { bytes += chunk }
            if chunk.count < capacity { return bytes }
            guard bytes.count <= maxBytes else { throw fail(tooLarge) }
            capacity = 64 * 1024
        }
    }

    /// Every `*.yaml` / `*.yml` below `folder`, as paths relative to `base`,
    /// in a stable order (byte order of the relative path). Hidden entries are
    /// skipped; symlinked files are read, symlinked folders are not entered
    /// (so a link loop cannot hang the walk).
    ///
    /// The walk is depth first, each folder's entries in byte order of their
    /// names with a `/` after a folder's: that is the byte order of the whole
    /// paths, with no sort of them all. The top folder's subfolders are
    /// walked in parallel, their files joined in that order. Names stay bytes
    /// until a file's path is made.
    static func yamlFiles(under folder: String, relativeTo base: String) -> [String] {
        let root = Array((folder as NSString).resolvingSymlinksInPath.utf8)
        let prefix = Array(relative(absolute(folder), to: absolute(base)).utf8) + [0x2F]
        var top = Listing(root: root, sub: [])
        var entries: [(name: [UInt8], isDir: Bool)] = []
        while let (name, isDir) = top.next() { entries.append((Array(name), isDir)) }
        return Parallel.map(entries) { entry -> [String] in
            if entry.isDir { return walk(root: root, sub: entry.name + [0x2F], prefix: prefix) }
            return isYAML(entry.name[...]) ? [String(decoding: prefix + entry.name, as: UTF8.self)] : []
        }.flatMap { $0 }
    }

    /// The YAML files below the folder `sub` (relative to `root`, with its trailing `/`), in walk order.
    private static func walk(root: [UInt8], sub: [UInt8], prefix: [UInt8]) -> [String] {
        var found: [String] = []
        var stack = [Listing(root: root, sub: sub)]
        while !stack.isEmpty {
            let top = stack.count - 1
            guard let (name, isDir) = stack[top].next() else {
                stack.removeLast()
                continue
            }
            let rel = stack[top].sub + name
            if isDir {
                stack.append(Listing(root: root, sub: rel + [0x2F]))
            } else if isYAML(name) {
                found.append(String(decoding: prefix + rel, as: UTF8.self))
            }
        }
        return found
    }

    private static func isYAML(_ name: ArraySlice<UInt8>) -> Bool {
        hasSuffix(name, ".yaml") || hasSuffix(name, ".yml")
    }

    private static func hasSuffix(_ name: ArraySlice<UInt8>, _ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        guard name.count >= n else { return false }
        let s = UnsafeBufferPointer(start: suffix.utf8Start, count: n)
        return name.suffix(n).elementsEqual(s)
    }

    /// One folder's folders and regular files (links followed), in walk order.
    private struct Listing {
        /// Where an entry's name is in `names`.
        private struct Entry {
            var start: Int
            var count: Int
            var isDir: Bool
        }

        /// The names, one after another.
        private var names: [UInt8] = []
        private var entries: [Entry] = []
        private var position = 0
        /// The folder, relative to the walk's root, with its trailing `/` (empty for the root).
        let sub: [UInt8]

        init(root: [UInt8], sub: [UInt8]) {
            self.sub = sub
            let path = root + [0x2F] + sub
            guard let dir = path.withUnsafeBufferPointer({ p in
                String(decoding: p, as: UTF8.self).withCString { opendir($0) }
            }) else { return }
            defer { closedir(dir) }
            let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            while let entry = readdir(dir) {
                let name = UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: UInt8.self)
                let count = strlen(name)
                if count == 0 || name[0] == 0x2E { continue }  // hidden, `.` and `..`
                var type = Int32(entry.pointee.d_type)
                if type == Int32(DT_UNKNOWN) || type == Int32(DT_LNK) {
                    var st = stat()
                    let full = path + UnsafeBufferPointer(start: name, count: count)
                    guard String(decoding: full, as: UTF8.self).withCString({ stat($0, &st) }) == 0 else { continue }  // dangling
                    let isDir = (st.st_mode & S_IFMT) == S_IFDIR
                    if isDir && type == Int32(DT_LNK) { continue }
                    type = isDir ? Int32(DT_DIR) : (st.st_mode & S_IFMT) == S_IFREG ? Int32(DT_REG) : Int32(DT_UNKNOWN)
                }
                guard type == Int32(DT_DIR) || type == Int32(DT_REG) else { continue }
                entries.append(Entry(start: names.count, count: count, isDir: type == Int32(DT_DIR)))
                names.append(contentsOf: UnsafeBufferPointer(start: name, count: count))
            }
            names.withUnsafeBufferPointer { b in
                entries.sort { Self.precedes($0, $1, in: b) }
            }
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

        mutating func next() -> (name: ArraySlice<UInt8>, isDir: Bool)? {
            guard position < entries.count else { return nil }
            let e = entries[position]
            position += 1
            return (names[e.start..<(e.start + e.count)], e.isDir)
        }
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
