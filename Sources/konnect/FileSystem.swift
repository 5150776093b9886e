#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

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
    /// that grows while being read is still read to its end.
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
        var capacity = Int(st.st_size) + 1
        while true {
            var failed = false
            let chunk = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                count = 0
                while count < buffer.count {
                    let n = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
                    if n < 0 { if errno == EINTR { continue }; failed = true; return }
                    if n == 0 { return }
                    count += n
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
    static func yamlFiles(under folder: String, relativeTo base: String) -> [String] {
        let root = (folder as NSString).resolvingSymlinksInPath
        let prefix = relative(absolute(folder), to: absolute(base))
        var found: [String] = []
        var pending = [""]
        while let sub = pending.popLast() {
            guard let dir = opendir(sub.isEmpty ? root : root + "/" + sub) else { continue }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                if name.hasPrefix(".") { continue }
                let rel = sub.isEmpty ? name : sub + "/" + name
                var type = Int32(entry.pointee.d_type)
                if type == Int32(DT_UNKNOWN) || type == Int32(DT_LNK) {
                    var st = stat()
                    let isLink = type == Int32(DT_LNK)
                    guard stat(root + "/" + rel, &st) == 0 else { continue }  // dangling
                    let isDir = (st.st_mode & S_IFMT) == S_IFDIR
                    if isDir && isLink { continue }
                    type = isDir ? Int32(DT_DIR) : (st.st_mode & S_IFMT) == S_IFREG ? Int32(DT_REG) : Int32(DT_UNKNOWN)
                }
                if type == Int32(DT_DIR) {
                    pending.append(rel)
                } else if type == Int32(DT_REG), name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                    found.append(prefix + "/" + rel)
                }
            }
        }
        // Byte order, by memcmp (String comparison is Unicode-aware and slower).
        return found.map { (Array($0.utf8), $0) }.sorted { a, b in
            let n = min(a.0.count, b.0.count)
            let c = n == 0 ? 0 : a.0.withUnsafeBufferPointer { pa in
                b.0.withUnsafeBufferPointer { pb in memcmp(pa.baseAddress!, pb.baseAddress!, n) }
            }
            return c != 0 ? c < 0 : a.0.count < b.0.count
        }.map(\.1)
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
