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
        let appTrigger: JSONValue = Self.withAllOf(triggerRules, .object([
            "type": .string("object"),
            "required": .array([.string("app"), .string("event")]),
            "properties": .object([
                "app": appEnum, "event": .object(["type": .string("string")]), "connection": slug,
                "with": .object(["type": .string("object")]),
                "payload": Self.payload,
            ]),
            "additionalProperties": .bool(false),
        ]))
        // An app's event, or a schedule alone (SPEC §2.1).
        let trigger: JSONValue = .object(["oneOf": .array([appTrigger, Self.scheduledTrigger])])
        let actionStep: JSONValue = Self.withAllOf(stepRules, .object([
            "type": .string("object"),
            "required": .array([.string("id"), .string("app"), .string("action")]),
            "properties": .object([
                "id": slug, "app": appEnum, "action": .object(["type": .string("string")]), "connection": slug,
                "if": expression, "on_error": .object(["enum": .array([.string("stop"), .string("continue")])]),
                "retry": Self.retry,
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
                "steps": Self.steps,
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
            "$defs": .object([
                "konnector": konnector, "connection": connection, "tests": tests, "duration": Self.duration,
                "steps": Self.steps,
                // Exactly one kind (SPEC §2.1): each kind's object allows only its own keys.
                "step": .object(["oneOf": .array(["action_step", "paths_step", "repeat_step", "delay_step"].map {
                    .object(["$ref": .string("#/$defs/\($0)")])
                })]),
                "action_step": actionStep,
                "paths_step": Self.pathsStep(slug: slug, expression: expression),
                "repeat_step": Self.repeatStep(slug: slug, expression: expression),
                "delay_step": Self.delayStep(slug: slug, expression: expression),
            ]),
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

    /// `30s`, `15m`, `2h`, `3d`: a whole number and one unit (SPEC §2.1).
    static let duration: JSONValue = .object([
        "type": .string("string"), "pattern": .string("^[0-9]{1,9}[smhd]$"),
        "description": .string("A duration: a whole number and one unit, s, m, h or d (30s, 15m, 2h, 3d)."),
    ])

    /// A list of steps of any kind; nested lists refer back to it.
    static let steps: JSONValue = .object(["type": .string("array"), "minItems": .int(1), "maxItems": .int(maxSteps),
                                           "items": .object(["$ref": .string("#/$defs/step")])])

    static let nestedSteps: JSONValue = .object(["$ref": .string("#/$defs/steps")])

    /// `retry: { times, wait }` on an action step.
    static let retry: JSONValue = .object([
        "type": .string("object"),
        "required": .array([.string("times")]),
        "properties": .object([
            "times": .object(["type": .string("integer"), "minimum": .int(Konnector.Retry.timesRange.lowerBound),
                              "maximum": .int(Konnector.Retry.timesRange.upperBound)]),
            "wait": .object(["$ref": .string("#/$defs/duration"), "description": .string("At most 1h (default 1m).")]),
        ]),
        "additionalProperties": .bool(false),
    ])

    /// `trigger: { schedule: { cron, timezone } }`, with nothing beside the schedule.
    static let scheduledTrigger: JSONValue = .object([
        "type": .string("object"),
        "required": .array([.string("schedule")]),
        "properties": .object([
            "schedule": .object([
                "type": .string("object"),
                "required": .array([.string("cron")]),
                "properties": .object([
                    "cron": .object(["type": .string("string"), "pattern": .string("^\\s*\\S+(\\s+\\S+){4}\\s*$"),
                                     "description": .string("Five fields: minute hour day-of-month month day-of-week.")]),
                    "timezone": .object(["type": .string("string"), "default": .string(Schedule.defaultZone),
                                         "description": .string("An IANA time zone name, such as Europe/Berlin.")]),
                ]),
                "additionalProperties": .bool(false),
            ]),
        ]),
        "additionalProperties": .bool(false),
    ])

    /// `payload:` field specs, as in a schema's `output:`: a type string, or
    /// a mapping (an inline object, or a spec with `type:`).
    static let payload: JSONValue = .object([
        "type": .string("object"),
        "additionalProperties": .object(["type": .array([.string("string"), .string("object")])]),
        "description": .string("The webhook payload's fields and their types, as in a schema's output."),
    ])

    static func pathsStep(slug: JSONValue, expression: JSONValue) -> JSONValue {
        let path: JSONValue = .object([
            "type": .string("object"),
            "required": .array([.string("id"), .string("steps")]),
            "properties": .object(["id": slug, "when": expression, "steps": nestedSteps]),
            "additionalProperties": .bool(false),
        ])
        return .object([
            "type": .string("object"),
            "required": .array([.string("id"), .string("paths")]),
            "properties": .object([
                "id": slug, "if": expression,
                "mode": .object(["enum": .array([.string("first"), .string("all")]), "default": .string("first")]),
                "paths": .object(["type": .string("array"), "minItems": .int(1), "items": path]),
            ]),
            "additionalProperties": .bool(false),
        ])
    }

    static func repeatStep(slug: JSONValue, expression: JSONValue) -> JSONValue {
        .object([
            "type": .string("object"),
            "required": .array([.string("id"), .string("repeat"), .string("steps")]),
            "properties": .object([
                "id": slug, "if": expression,
                "repeat": .object(["type": .string("string"), "description": .string("An expression of an array type.")]),
                "as": .object(["type": .string("string"), "pattern": .string("^[A-Za-z_][A-Za-z0-9_]*$"), "default": .string("item")]),
                "max": .object(["type": .string("integer"), "minimum": .int(Konnector.RepeatStep.maxRange.lowerBound),
                                "maximum": .int(Konnector.RepeatStep.maxRange.upperBound),
                                "default": .int(Konnector.RepeatStep.defaultMax)]),
                "steps": nestedSteps,
            ]),
            "additionalProperties": .bool(false),
        ])
    }

    /// `delay:` or `delay_until:`, not both.
    static func delayStep(slug: JSONValue, expression: JSONValue) -> JSONValue {
        .object([
            "type": .string("object"),
            "required": .array([.string("id")]),
            "properties": .object([
                "id": slug, "if": expression,
                "delay": .object(["$ref": .string("#/$defs/duration"), "description": .string("At most 31d.")]),
                "delay_until": .object(["type": .string("string"), "description": .string("An expression of type datetime.")]),
            ]),
            "oneOf": .array([.object(["required": .array([.string("delay")])]), .object(["required": .array([.string("delay_until")])])]),
            "additionalProperties": .bool(false),
        ])
    }

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
