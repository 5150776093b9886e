import KonnectYAML

/// Checks one konnector against the app schemas (SPEC §3, §5): references,
/// inputs, expressions. Steps are checked in order, each seeing only the
/// steps before it. Uses of connections are only noted here: the project's
/// connections may live in files not read yet (`ConnectionChecker` judges them).
public struct KonnectorChecker {
    let schemas: SchemaSet
    let source: SourceText
    /// With `.none`, a checked konnector's `config` and `inputs` are
    /// `CheckedValue.unkept`: for callers that keep only its diagnostics, or its outline.
    let keeping: ValueKeeping
    public private(set) var diagnostics: [Diagnostic] = []
    public private(set) var connectionUses: [ConnectionUse] = []

    public init(schemas: SchemaSet, source: SourceText, keeping: ValueKeeping = .values) {
        self.schemas = schemas
        self.source = source
        self.keeping = keeping
    }

    /// The checked konnector, or nil when anything in it is an error (its
    /// connection uses are judged later, and can still make it one).
    public mutating func check(_ k: Konnector) -> CheckedKonnector? {
        let file = k.file
        let errorsBefore = diagnostics.count
        // Sized once: growing them step by step cost a reallocation (a rehash for the dictionary) each.
        connectionUses.reserveCapacity(connectionUses.count + k.steps.count + 1)

        // Trigger.
        var triggerOperation: Operation? = nil
        var config = CheckedValue.object([:], order: [])
        if let t = k.trigger, let app = appSchema(t.app, file: file) {
            if let event = t.event?.value {
                triggerOperation = app.trigger(event)
                if triggerOperation == nil {
                    diagnostics.append(.unknownOperation(event, kind: .trigger, app: app, file: file, at: t.event?.range ?? t.range))
                }
            }
            connectionUses.append(ConnectionUse(owner: .trigger, ref: t.connection, app: app.app, operation: t.event?.value,
                                                ownerRange: t.app?.range ?? t.range, misspelled: t.misspelledKeys.contains("connection"), file: file))
            if let op = triggerOperation {
                config = checkWith(t.with, of: op, noun: "config field", scope: nil, file: file, owner: t.range,
                                   key: t.event?.range, misspelled: t.misspelledKeys.contains("with"))
            }
            if let op = triggerOperation, let declared = t.payload {
                triggerOperation = TriggerForms.withPayload(op, declared: declared, app: app, file: file, source: source,
                                                            diagnostics: &diagnostics)
            }
        }
        if let schedule = k.trigger?.schedule { triggerOperation = schedule.operation }
        let triggerType: ValueType = triggerOperation?.output ?? .unknown
        var scope = Scope(trigger: triggerType)
        // Sized at creation: `reserveCapacity` on an empty dictionary allocated twice.
        scope.earlierSteps = [String: ValueType](minimumCapacity: k.steps.count)
        scope.earlierStepOrder.reserveCapacity(k.steps.count)
        let stepIDs = k.steps.compactMap { $0.id?.value }
        scope.laterSteps = stepIDs[...]
        // A misspelled `when:` would have narrowed; its absence is reported once, not per use.
        scope.quietNullable = k.misspelledKeys.contains("when")

        // Filter.
        var when: Expression? = nil
        if let node = k.when {
            when = condition(node, scope: scope, what: "`when:`", file: file)
            if let when {
                scope.nonNullPaths = Scope.narrowedPaths(when)
            } else {
                scope.quietNullable = true  // a broken filter: its narrowing is unknown
            }
        }

        // Steps, in order.
        var steps: [CheckedKonnector.Step] = []
        steps.reserveCapacity(k.steps.count)
        for step in k.steps {
            let id = step.id?.value
            scope.currentStep = id
            if id != nil { scope.laterSteps = scope.laterSteps.dropFirst() }
            // The step's own scope lives only in `check(step:)`, so that `scope`
            // is again the only owner of its tables when this step is added.
            let (output, checked) = check(step: step, id: id, scope: scope, file: file)
            if let id {
                scope.earlierSteps[id] = step.condition != nil ? output.nullable : output
                scope.earlierStepOrder.append(id)
                if let checked { steps.append(checked) }
            }
        }

        let hasErrors = diagnostics[errorsBefore...].contains { $0.severity == .error }
        guard !hasErrors, let triggerOperation, steps.count == k.steps.count, k.id != nil else { return nil }
        return CheckedKonnector(konnector: k, trigger: triggerOperation, triggerConnection: k.trigger?.connection?.value,
                                config: config, when: when, steps: steps)
    }

    /// One step against the scope of the steps before it, narrowed by its
    /// `if:`: its output type (unknown after an error), and the checked step
    /// when it has an id and its kind checked.
    private mutating func check(step: Konnector.Step, id: String?, scope: Scope, file: String)
        -> (output: ValueType, checked: CheckedKonnector.Step?) {
        var stepScope = scope
        if step.misspelledKeys.contains("if") { stepScope.quietNullable = true }
        var conditionExpr: Expression? = nil
        if let node = step.condition {
            conditionExpr = condition(node, scope: scope, what: "`if:`", file: file)
            if let c = conditionExpr {
                Scope.addNarrowedPaths(c, to: &stepScope.nonNullPaths)
            } else {
                stepScope.quietNullable = true
            }
        }
        switch step.kind {
        case .action(let a):
            let (operation, checked) = check(action: a, step: step, id: id, scope: stepScope, file: file)
            guard let id, let checked else { return (operation?.output ?? .unknown, nil) }
            return (checked.operation.output, CheckedKonnector.Step(id: id, condition: conditionExpr, kind: .action(checked)))
        case .paths, .repeatLoop, .delay:
            preconditionFailure("not decoded yet")
        }
    }

    /// An action step: its operation (nil when unknown) and, with one, the checked action.
    private mutating func check(action a: Konnector.ActionStep, step: Konnector.Step, id: String?, scope stepScope: Scope, file: String)
        -> (Operation?, CheckedKonnector.Step.Action?) {
        var operation: Operation? = nil
        if let app = appSchema(a.app, file: file), let action = a.action?.value {
            operation = app.action(action)
            if operation == nil {
                diagnostics.append(.unknownOperation(action, kind: .action, app: app, file: file, at: a.action?.range ?? step.range))
            }
            connectionUses.append(ConnectionUse(owner: .step(id), ref: a.connection, app: app.app, operation: action,
                                                ownerRange: a.app?.range ?? step.range, misspelled: step.misspelledKeys.contains("connection"), file: file))
        }
        guard let op = operation else {
            if let with = a.with {
                // Unknown action: still check the templates, against nothing.
                var values = ValueChecker(file: file, source: source, scope: stepScope, keeping: keeping)
                _ = values.check(with, as: .unknown, required: false, what: "`with`")
                diagnostics += values.diagnostics
            }
            return (nil, nil)
        }
        let inputs = checkWith(a.with, of: op, noun: "input", scope: stepScope, file: file, owner: step.range,
                               key: a.action?.range, misspelled: step.misspelledKeys.contains("with"))
        return (op, CheckedKonnector.Step.Action(operation: op, connection: a.connection?.value, onError: a.onError,
                                                 retry: nil, inputs: inputs))
    }

    /// A trigger's or a step's `with:` (absent: an empty mapping at `owner`)
    /// against its operation's fields. A misspelled `with:` was reported; its
    /// fields are not also "missing".
    private mutating func checkWith(_ with: YAMLNode?, of op: Operation, noun: String, scope: Scope?, file: String,
                                    owner: SourceRange, key: SourceRange?, misspelled: Bool) -> CheckedValue {
        var values = ValueChecker(file: file, source: source, scope: scope, keeping: keeping)
        let checked = values.checkFields(with ?? YAMLNode.emptyMapping(at: owner), fields: op.fields, noun: noun,
                                         owner: op.qualifiedName, at: key, reportMissing: !misspelled)
        diagnostics += values.diagnostics
        return checked
    }

    // MARK: references

    private mutating func appSchema(_ app: Located<String>?, file: String) -> AppSchema? {
        guard let app else { return nil }
        if let schema = schemas[app.value] { return schema }
        if !schemas.brokenApps.contains(app.value) {
            diagnostics.append(.unknownApp(app.value, known: schemas.appNames, file: file, at: app.range))
        }
        return nil
    }

    // MARK: conditions

    private mutating func condition(_ node: YAMLNode, scope: Scope, what: String, file: String) -> Expression? {
        guard let scalar = node.scalar, let locator = ScalarLocator(node, source: source) else { return nil }
        var text = scalar.text
        var base = 0
        // `when: "{{ expr }}"` is accepted as the bare expression.
        if Template.mayContainTemplate(text), let t = try? Template.split(text), t.isSingleExpression, let (inner, offset) = t.expressions.first {
            text = inner
            base = offset
        }
        let expression: Expression
        do {
            expression = try ExpressionParser.parse(text)
        } catch {
            diagnostics.append(.expressionSyntax(error, file: file, at: locator.range(error.span, shiftedBy: base)))
            return nil
        }
        var checker = ExpressionChecker(scope: scope, file: file, locator: locator, offset: base)
        let typed = checker.check(expression)
        diagnostics += checker.diagnostics
        let t = typed.type
        if checker.diagnostics.contains(where: { $0.severity == .error }) { return nil }
        if !t.isUnknown && !t.isAny && t.nonNull != .boolean && t != .null {
            diagnostics.append(.conditionNotBoolean(what, found: t, file: file, at: locator.range(expression.span, shiftedBy: base)))
        }
        return expression
    }
}
