#if KONNECT_LIBFUZZER
import KonnectCore

#if canImport(Glibc)
import Glibc
#endif

/// `konnect-fuzz` built for libFuzzer (`make fuzz`: `-sanitize=fuzzer,address`,
/// `-DKONNECT_LIBFUZZER`): libFuzzer's `main` drives this entry point.
/// With `KONNECT_FUZZ_STRICT=1`, a broken invariant (`Outcome.problems`) is
/// a crash too, so libFuzzer keeps its input.
private let strict = getenv("KONNECT_FUZZ_STRICT").map { String(cString: $0) == "1" } ?? false

@_cdecl("LLVMFuzzerTestOneInput")
public func konnectFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    guard let outcome = FuzzPipeline.run(input) else { return -1 }
    if strict, let problem = outcome.problems.first { fatalError("konnect-fuzz: \(problem)") }
    return 0
}
#endif
