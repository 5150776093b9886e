import KonnectYAML

/// The two trigger forms of SPEC §2.1 as the checker and the compiler see
/// them: a schedule instead of an app's event, and a declared webhook payload.
enum TriggerForms {
    /// The trigger operation of a konnector whose trigger has `payload:`:
    /// the schema's, with the declared type in place of the payload field's
    /// `any`. A trigger that declares no payload field makes it `unknown-field`.
    static func withPayload(_ op: Operation, declared: Located<YAMLNode>, app: AppSchema, file: String,
                            source: SourceText, diagnostics: inout [Diagnostic]) -> Operation? {
        guard op.payloadField != nil else {
            diagnostics.append(.unknownField("payload", in: "the trigger (\(op.qualifiedName) declares no payload)",
                                             allowed: ["app", "event", "connection", "with"], file: file, at: declared.range))
            return op
        }
        let (type, problems) = SchemaLoader.payloadType(declared.value, file: file, source: source, app: app)
        diagnostics += problems
        return type.isUnknown ? nil : op.withPayload(type)
    }

    /// The compiled trigger (SPEC §8): a scheduled konnector's is its
    /// schedule; a declared payload joins an app trigger's as `payload`,
    /// each field's type as its canonical type string.
    static func compiled(_ appTrigger: JSONValue, of k: CheckedKonnector) -> JSONValue {
        if let schedule = k.konnector.trigger?.schedule { return .object(["schedule": schedule.definition]) }
        guard k.konnector.trigger?.payload != nil, let field = k.trigger.payloadField,
              case .object(var members) = appTrigger, case .object(let output) = k.trigger.output,
              case .object(let payload)? = output.fieldType(field)?.nonNull else { return appTrigger }
        members.append(.init("payload", .object(payload.fields.map { .init($0.name, .string($0.type.description)) })))
        return .object(members)
    }
}
