import XCTest
@testable import KonnectCore

// Assertions about evaluating one expression, shared by the evaluator, the
// function and the limit tests; each passes its own `evaluate` (its own
// trigger event, clock and budget).

/// The value `evaluate()` gives for `source`; nil, and a failure, when it throws.
func tcValue(_ source: String, file: StaticString = #filePath, line: UInt = #line,
             _ evaluate: () throws -> RuntimeValue) -> RuntimeValue? {
    do {
        return try evaluate()
    } catch {
        XCTFail("`\(source)` threw \(error)", file: file, line: line)
        return nil
    }
}

/// Asserts that `evaluate()` gives `expected` for `source`.
func tcCheck(_ source: String, _ expected: RuntimeValue, file: StaticString = #filePath, line: UInt = #line,
             _ evaluate: () throws -> RuntimeValue) {
    guard let v = tcValue(source, file: file, line: line, evaluate) else { return }
    XCTAssertEqual(v, expected, "`\(source)`", file: file, line: line)
}

/// The `RuntimeError` that `evaluate()` throws for `source`; nil, and a
/// failure, when it gives a value (`shown` says which) or throws anything else.
func tcRuntimeError(_ source: String, expected: String, shown: (RuntimeValue) -> String = { "\($0)" },
                    file: StaticString = #filePath, line: UInt = #line,
                    _ evaluate: () throws -> RuntimeValue) -> RuntimeError? {
    do {
        let v = try evaluate()
        XCTFail("`\(source)` gave \(shown(v)), expected \(expected)", file: file, line: line)
    } catch let e as RuntimeError {
        return e
    } catch {
        XCTFail("`\(source)` threw \(error), not a RuntimeError", file: file, line: line)
    }
    return nil
}

/// Asserts that `evaluate()` throws, for `source`, a `RuntimeError` whose message contains `fragment`.
func tcCheckError(_ source: String, _ fragment: String, file: StaticString = #filePath, line: UInt = #line,
                  _ evaluate: () throws -> RuntimeValue) {
    guard let e = tcRuntimeError(source, expected: "a run-time error", file: file, line: line, evaluate) else { return }
    XCTAssertTrue(e.message.contains(fragment), "`\(source)`: \(e.message)", file: file, line: line)
}
