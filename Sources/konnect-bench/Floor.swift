#if canImport(Glibc)
import Glibc
#endif
import KonnectYAML

/// The floor: every file under a folder read and run through libyaml's
/// event parser on one thread, with the leanest listing and reading there
/// is (readdir, read), so nothing but libyaml's own work is measured.
enum Floor {
    /// Events parsed, or the path libyaml rejected.
    static func run(_ root: String) -> Result<Int, FloorError> {
        var events = 0
        var pending = [root]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while let dir = pending.popLast() {
            guard let handle = opendir(dir) else { continue }
            var names: [(String, Bool)] = []
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
                if name.hasPrefix(".") { continue }
                names.append((name, Int32(entry.pointee.d_type) == Int32(DT_DIR)))
            }
            closedir(handle)
            for (name, isDir) in names {
                let path = dir + "/" + name
                if isDir { pending.append(path); continue }
                guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { continue }
                let fd = open(path, O_RDONLY)
                guard fd >= 0 else { return .failure(FloorError(path: path)) }
                var filled = 0
                while true {
                    if filled == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
                    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
                    if n <= 0 { break }
                    filled += n
                }
                close(fd)
                guard let n = YAMLEventCounter.count(buffer[0..<filled]) else { return .failure(FloorError(path: path)) }
                events += n
            }
        }
        return .success(events)
    }
}

struct FloorError: Error {
    var path: String
}
