/// A saved plan (`plan --out FILE`): the JSON view plus every compiled
/// definition, read back for `apply FILE`.
public enum PlanFile {
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public static func encode(_ plan: Plan) -> String {
        PlanJSONView(includeObjects: true).render(plan)
    }

    public static func decode(_ text: String) throws(Invalid) -> Plan {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw Invalid(description: "not a konnect plan file: \(error)")
        }
        guard case .int(Plan.formatVersion)? = json["format_version"] else {
            throw Invalid(description: "not a konnect plan file (format_version \(Plan.formatVersion) expected)")
        }
        guard case .string(let project)? = json["project"],
              case .string(let lineage)? = json["library"]?["lineage"],
              case .int(let serial)? = json["library"]?["serial"],
              case .array(let rawChanges)? = json["changes"] else {
            throw Invalid(description: "the plan file is incomplete")
        }
        var changes: [PlanChange] = []
        for raw in rawChanges {
            guard case .string(let kindText)? = raw["kind"], let kind = ObjectKind(rawValue: kindText),
                  case .string(let id)? = raw["id"],
                  case .string(let actionText)? = raw["action"], let action = PlanChange.Action(word: actionText) else {
                throw Invalid(description: "the plan file has a malformed change")
            }
            var after: CompiledObject? = nil
            if let o = raw["object"] {
                guard case .string(let definitionText)? = o["definition"], case .string(let hash)? = o["hash"],
                      let definition = try? JSONParser.parse(definitionText) else {
                    throw Invalid(description: "the plan file has a malformed definition for \(id)")
                }
                let object = CompiledObject(
                    kind: kind, id: id, name: o["name"]?.stringValue ?? id, enabled: o["enabled"] != .bool(false),
                    tags: o["tags"]?.stringArray ?? [], definition: definition,
                    sensitivePaths: o["sensitive_paths"]?.stringArray ?? [], renamedFrom: raw["renamed_from"]?.stringValue,
                    connections: o["connections"]?.stringArray ?? [], sourceFile: o["source_file"]?.stringValue ?? "", idRange: nil)
                guard object.hash == hash else {
                    throw Invalid(description: "the plan file was modified: the definition of \(id) does not match its hash")
                }
                after = object
            }
            var beforeVersion: Int? = nil
            if case .int(let v)? = raw["before_version"] { beforeVersion = v }
            let diff: [FieldDiff] = (raw["diff"]?.arrayValue ?? []).map { d in
                FieldDiff(path: d["path"]?.stringValue ?? "",
                          before: d["absent"] == .string("before") ? nil : d["before"],
                          after: d["absent"] == .string("after") ? nil : d["after"],
                          sensitive: d["sensitive"] == .bool(true))
            }
            changes.append(PlanChange(kind: kind, id: id, action: action, renamedFrom: raw["renamed_from"]?.stringValue,
                                      activate: raw["activate"] == .bool(true), deactivate: raw["deactivate"] == .bool(true),
                                      diff: diff, after: after, beforeHash: raw["before_hash"]?.stringValue,
                                      beforeVersion: beforeVersion))
        }
        var unchanged = 0
        if case .int(let u)? = json["summary"]?["unchanged"] { unchanged = u }
        return Plan(project: project, lineage: lineage, serial: serial, changes: changes, unchanged: unchanged)
    }
}

extension JSONValue {
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var stringArray: [String]? { arrayValue?.compactMap(\.stringValue) }
}
