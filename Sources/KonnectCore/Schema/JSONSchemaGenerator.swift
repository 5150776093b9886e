/// A JSON Schema (draft 2020-12) for konnector files, so that editors'
/// YAML language servers complete keys and flag unknown ones. App, trigger,
/// action and input names come from the project's app schemas.
public struct JSONSchemaGenerator {
    public let schemas: SchemaSet

    public init(schemas: SchemaSet) {
        self.schemas = schemas
    }

    public func generate() -> JSONValue {
        let apps = schemas.appNames.compactMap { schemas[$0] }
        let slug: JSONValue = .object(["type": .string("string"), "pattern": .string("^[a-z0-9][a-z0-9_-]{0,62}$")])
        let expression: JSONValue = .object(["type": .array([.string("string"), .string("boolean")]),
                                             "description": .string("An expression (SPEC §5.3).")])
        let appEnum: JSONValue = .object(["type": .string("string"), "enum": .array(apps.map { .string($0.app) })])

        let triggerRules: [JSONValue] = apps.map { app in
            rule(app: app.app, key: "event", operations: app.triggers)
        }
        let stepRules: [JSONValue] = apps.map { app in
            rule(app: app.app, key: "action", operations: app.actions)
        }
        let trigger: JSONValue = Self.withAllOf(triggerRules, .object([
            "type": .string("object"),
            "required": .array([.string("app"), .string("event")]),
            "properties": .object([
                "app": appEnum, "event": .object(["type": .string("string")]), "connection": slug,
                "with": .object(["type": .string("object")]),
            ]),
            "additionalProperties": .bool(false),
        ]))
        let step: JSONValue = Self.withAllOf(stepRules, .object([
            "type": .string("object"),
            "required": .array([.string("id"), .string("app"), .string("action")]),
            "properties": .object([
                "id": slug, "app": appEnum, "action": .object(["type": .string("string")]), "connection": slug,
                "if": expression, "on_error": .object(["enum": .array([.string("stop"), .string("continue")])]),
                "with": .object(["type": .string("object")]),
            ]),
            "additionalProperties": .bool(false),
        ]))
        let konnector: JSONValue = .object([
            "type": .string("object"),
            "required": .array([.string("konnector"), .string("name"), .string("trigger"), .string("steps")]),
            "properties": .object([
                "konnector": slug,
                "name": .object(["type": .string("string"), "minLength": .int(1), "maxLength": .int(200)]),
                "description": .object(["type": .string("string")]),
                "tags": .object(["type": .string("array"), "items": slug]),
                "enabled": .object(["type": .string("boolean")]),
                "renamed_from": slug,
                "trigger": trigger,
                "when": expression,
                "steps": .object(["type": .string("array"), "minItems": .int(1), "maxItems": .int(Self.maxSteps), "items": step]),
            ]),
            "additionalProperties": .bool(false),
        ])
        let connection: JSONValue = .object([
            "type": .string("object"),
            "required": .array([.string("connection"), .string("app")]),
            "properties": .object([
                "connection": slug, "app": appEnum,
                "scopes": .object(["type": .string("array"), "items": .object(["type": .string("string")])]),
                "secret": .object(["type": .string("string"), "pattern": .string("^(env:[A-Za-z_][A-Za-z0-9_]*|vault:\\S+)$")]),
            ]),
            "additionalProperties": .bool(false),
        ])
        let tests: JSONValue = .object([
            "type": .string("object"),
            "required": .array([.string("tests"), .string("cases")]),
            "properties": .object(["tests": slug, "cases": .object(["type": .string("array")])]),
            "additionalProperties": .bool(false),
        ])
        return .object([
            "$schema": .string("https://json-schema.org/draft/2020-12/schema"),
            "$id": .string("https://konnect.dev/schemas/konnector.json"),
            "title": .string("konnect konnector, connection or test file"),
            "oneOf": .array([
                .object(["required": .array([.string("konnector")]), "$ref": .string("#/$defs/konnector")]),
                .object(["required": .array([.string("connection")]), "$ref": .string("#/$defs/connection")]),
                .object(["required": .array([.string("tests")]), "$ref": .string("#/$defs/tests")]),
            ]),
            "$defs": .object(["konnector": konnector, "connection": connection, "tests": tests]),
        ])
    }

    /// `if app == X then <key> is one of X's operations, and each operation's `with:` is its fields`.
    private func rule(app: String, key: String, operations: [Operation]) -> JSONValue {
        let perOperation: [JSONValue] = operations.map { op in
            .object([
                "if": .object(["properties": .object([key: .object(["const": .string(op.key)])])]),
                "then": .object(["properties": .object(["with": fields(op.fields)])]),
            ])
        }
        return .object([
            "if": .object(["properties": .object(["app": .object(["const": .string(app)])]), "required": .array([.string("app")])]),
            "then": Self.withAllOf(perOperation, .object([
                "properties": .object([key: .object(["enum": .array(operations.map { .string($0.key) })])]),
            ])),
        ])
    }

    /// At most this many steps (SPEC §2: 100 in all, §2.1).
    static let maxSteps = 100

    /// `object` with an `allOf` of these rules, or without one when there are
    /// none: the metaschema wants `allOf` non-empty (an app with no triggers,
    /// a project with no apps).
    static func withAllOf(_ rules: [JSONValue], _ object: JSONValue) -> JSONValue {
        guard !rules.isEmpty, case .object(let members) = object else { return object }
        return .object(members + [JSONValue.Member("allOf", .array(rules))])
    }

    private func fields(_ specs: [FieldSpec]) -> JSONValue {
        .object([
            "type": .string("object"),
            "properties": .object(specs.map { spec in
                var members: [JSONValue.Member] = []
                if let d = spec.description { members.append(.init("description", .string(d))) }
                if case .enumeration(let values) = spec.type.nonNull {
                    // A template may fill it too, so strings stay allowed; an optional field may be null.
                    let allowed = values.map { JSONValue.string($0) } + (spec.required ? [] : [.null])
                    members.append(.init("anyOf", .array([.object(["enum": .array(allowed)]),
                                                          .object(["type": .string("string"), "pattern": .string("\\{\\{")])])))
                }
                if let d = spec.defaultValue { members.append(.init("default", d.json)) }
                return JSONValue.Member(spec.name, .object(members))
            }),
            "required": .array(specs.filter(\.required).map { .string($0.name) }),
            "additionalProperties": .bool(false),
        ])
    }
}
