import Foundation
import KonnectCore
@testable import KonnectLibrary
import XCTest

/// Objects, plans and applies for library tests: shared by the conformance
/// suite and the backends' own tests (a test class adopts it to use them).
protocol LibraryTesting: XCTestCase {}

extension LibraryTesting {
    static func konnector(_ id: String, channel: String = "#sales", enabled: Bool = true, tags: [String] = [],
                          renamedFrom: String? = nil) -> CompiledObject {
        let definition: JSONValue = .object([
            "id": .string(id), "name": .string("K \(id)"), "enabled": .bool(enabled),
            "tags": .array(tags.map(JSONValue.string)),
            "steps": .array([.object(["id": .string("notify"), "with": .object(["channel": .string(channel),
                                                                                "url": .string("https://x.example/?t=1")])])]),
        ])
        return CompiledObject(kind: .konnector, id: id, name: "K \(id)", enabled: enabled, tags: tags, definition: definition,
                              sensitivePaths: ["steps.notify.with.url"], renamedFrom: renamedFrom, connections: ["conn"],
                              sourceFile: "konnectors/\(id).yaml", idRange: nil)
    }

    static func connection(_ id: String, scopes: [String] = ["chat:write"]) -> CompiledObject {
        CompiledObject(kind: .connection, id: id, name: id, enabled: true, tags: [],
                       definition: .object(["id": .string(id), "app": .string("slack"), "scopes": .array(scopes.map(JSONValue.string))]),
                       sensitivePaths: [], renamedFrom: nil, connections: [], sourceFile: "konnectors/connections.yaml", idRange: nil)
    }

    static var info: RevisionInfo { RevisionInfo(user: "ada", gitCommit: "0123456789abcdef0123", time: "2026-03-02T12:00:00Z") }

    /// Plans `objects` for `project` against the library as it is now: a
    /// light snapshot, then the definitions of the objects that changed.
    func plan(_ library: any Library, _ objects: [CompiledObject], project: String = "team-a",
              file: StaticString = #filePath, line: UInt = #line) throws -> Plan {
        let planned = try PlanPipeline(project: project).plan(objects, library: LibraryPlanReader(library))
        XCTAssertEqual(planned.diagnostics.map(\.message), [], file: file, line: line)
        return planned.plan
    }

    @discardableResult
    func apply(_ library: any Library, _ objects: [CompiledObject], project: String = "team-a",
               file: StaticString = #filePath, line: UInt = #line) throws -> Revision? {
        try library.apply(try plan(library, objects, project: project, file: file, line: line), revision: Self.info)
    }

    func serial(_ library: any Library) throws -> Int { try library.version().serial }

    func summary(_ library: any Library, _ project: String = "team-a") throws -> [String] {
        try library.objects(project: project).map { "\($0.kind.rawValue) \($0.id) v\($0.version) \($0.enabled ? "on" : "off")" }
    }

    static func holder(_ pid: Int, project: String = "team-a", host: String = "host-1") -> LockHolder {
        LockHolder(id: "holder-\(pid)-\(host)", project: project, user: "ada", host: host, pid: pid, since: "2026-03-02T12:00:00Z")
    }
}
