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
    /// A step of the konnector being checked did not check (no id, or its kind did not).
    private var incomplete = false

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
        incomplete = false
        let steps = check(steps: k.steps, scope: &scope, file: file)

        let hasErrors = diagnostics[errorsBefore...].contains { $0.severity == .error }
        guard !hasErrors, let triggerOperation, !incomplete, k.id != nil else { return nil }
        return CheckedKonnector(konnector: k, trigger: triggerOperation, triggerConnection: k.trigger?.connection?.value,
                                config: config, when: when, steps: steps)
    }

    /// A list of steps in order, each seeing the steps before it; `scope`
    /// ends as it is after the last of them.
    private mutating func check(steps list: [Konnector.Step], scope: inout Scope, file: String) -> [CheckedKonnector.Step] {
        var checkedSteps: [CheckedKonnector.Step] = []
        checkedSteps.reserveCapacity(list.count)
        let outerLater = scope.laterSteps
        scope.laterSteps = list.compactMap { $0.id?.value }[...]
        for step in list {
            let id = step.id?.value
            scope.currentStep = id
            if id != nil { scope.laterSteps = scope.laterSteps.dropFirst() }
            let (output, checked) = check(step: step, id: id, scope: &scope, file: file)
            if let id {
                scope.earlierSteps[id] = step.condition != nil ? output.nullable : output
                scope.earlierStepOrder.append(id)
            }
            if let checked { checkedSteps.append(checked) } else { incomplete = true }
        }
        scope.laterSteps = outerLater
        return checkedSteps
    }

    /// One step against the scope of the steps before it, narrowed by its
    /// `if:`: its output type (unknown after an error), and the checked step
    /// when it has an id and its kind checked. A paths step adds its inner
    /// steps to `scope` (nullable); a repeat hides its own.
    private mutating func check(step: Konnector.Step, id: String?, scope: inout Scope, file: String)
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
        func done(_ output: ValueType, _ kind: CheckedKonnector.Step.Kind?) -> (output: ValueType, checked: CheckedKonnector.Step?) {
            guard let id, let kind else { return (output, nil) }
            return (output, CheckedKonnector.Step(id: id, condition: conditionExpr, kind: kind))
        }
        switch step.kind {
        case .action(let a):
            let (operation, checked) = check(action: a, step: step, id: id, scope: stepScope, file: file)
            return done(operation?.output ?? .unknown, checked.map { .action($0) })

        case .paths(let p):
            var paths: [CheckedKonnector.Step.Path] = []
            var complete = p.paths.count > 0
            // The steps of every path, nested ones included, by id: a path does not see the
            // others' (its own earlier ones are visible, its later ones "run after").
            var inPaths = stepScope.otherPaths
            for path in p.paths {
                for inner in path.steps.withNestedSteps {
                    if let innerID = inner.id?.value { inPaths[innerID] = (path.id?.value ?? "?", id ?? "?") }
                }
            }
            for path in p.paths {
                var pathScope = stepScope
                pathScope.otherPaths = inPaths
                if path.misspelledKeys.contains("when") { pathScope.quietNullable = true }
                var when: Expression? = nil
                if let node = path.when {
                    when = condition(node, scope: pathScope, what: "`when:`", file: file)
                    if let w = when { Scope.addNarrowedPaths(w, to: &pathScope.nonNullPaths) } else { pathScope.quietNullable = true; complete = false }
                }
                let before = Set(pathScope.earlierStepOrder)
                let inner = check(steps: path.steps, scope: &pathScope, file: file)
                // After the paths step, its paths' steps may be referred to; they may not have run.
                for innerID in pathScope.earlierStepOrder where !before.contains(innerID) {
                    scope.earlierSteps[innerID] = pathScope.earlierSteps[innerID]?.nullable
                    scope.earlierStepOrder.append(innerID)
                }
                scope.perIteration.merge(pathScope.perIteration) { a, _ in a }
                guard let pathID = path.id?.value else { complete = false; continue }
                paths.append(.init(id: pathID, when: when, steps: inner))
            }
            return done(Scope.pathsOutput, complete ? .paths(.init(mode: p.mode, paths: paths)) : nil)

        case .repeatLoop(let r):
            var element: ValueType = .unknown
            var over: Expression? = nil
            if let node = r.over, let (e, t) = typedExpression(node, scope: stepScope, what: "`repeat:`", file: file) {
                over = e
                if t.isUnknown || t.isAny {
                    element = t
                } else if case .array(let elem) = t.nonNull {
                    element = elem
                } else {
                    diagnostics.append(.flowExpressionType("`repeat:`", expected: "an array", found: t, file: file, at: node.range))
                }
            }
            var inner = stepScope
            let name = r.name?.value ?? Konnector.RepeatStep.defaultName
            inner.locals[name] = element
            inner.locals["loop"] = Scope.loopType
            // What an outer `if:` proved of a name this repeat shadows does not hold of the new one.
            inner.nonNullPaths = inner.nonNullPaths.filter { key in
                ![name, "loop"].contains { key == $0 || key.hasPrefix($0 + ".") }
            }
            let before = Set(inner.earlierStepOrder)
            let steps = check(steps: r.steps, scope: &inner, file: file)
            // After the repeat, its steps are not visible: their outputs are per iteration.
            for innerID in inner.earlierStepOrder where !before.contains(innerID) {
                scope.perIteration[innerID] = id ?? "?"
            }
            guard let over else { return done(Scope.repeatOutput, nil) }
            return done(Scope.repeatOutput, .repeatLoop(.init(over: over, name: name,
                                                              max: r.max?.value ?? Konnector.RepeatStep.defaultMax, steps: steps)))

        case .delay(let d):
            switch d.wait {
            case .duration(let duration)?:
                return done(Scope.delayOutput, .delay(.seconds(duration.value.seconds)))
            case .until(let node)?:
                guard let (e, t) = typedExpression(node, scope: stepScope, what: "`delay_until:`", file: file) else {
                    return done(Scope.delayOutput, nil)
                }
                if !t.isUnknown && !t.isAny && t.nonNull != .datetime {
                    diagnostics.append(.flowExpressionType("`delay_until:`", expected: "a datetime", found: t, file: file, at: node.range))
                    return done(Scope.delayOutput, nil)
                }
                return done(Scope.delayOutput, .delay(.until(e)))
            case nil:
                return done(Scope.delayOutput, nil)
            }
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
        let retry = a.retry.map { r in
            CheckedKonnector.Step.Retry(times: r.times?.value ?? 1, waitSeconds: (r.wait?.value ?? Konnector.Retry.defaultWait).seconds)
        }
        return (op, CheckedKonnector.Step.Action(operation: op, connection: a.connection?.value, onError: a.onError,
                                                 retry: retry, inputs: inputs))
    }

    /// A trigger's or a step's `with:` (absent: an empty mapping at `owner`)
    /// against its operation's fields. A misspelled `with:` was reported; its
    /// fields are not also "missing".
    private mutating func checkWith(_ with: YAMLNode?, of op: Operation, noun: String, scope: Scope?, file: String,
                                    owner: SourceRange, key: SourceRange?, misspelled: Bool) -> CheckedValue {
        var values = ValueChecker(file: file, source: source, scope: scope, keeping: keeping)
        let checked = values.checkFields(with ?? YAMLNode.emptyMapping(at: owner), fields: op.fields, noun: noun,
                                         owner: op.qualifiedName, at: key, reportMissing: !misspelled)
        diagnostics += scope.map { explainingHiddenSteps(values.diagnostics, scope: $0) } ?? values.diagnostics
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
        guard let (expression, t) = typedExpression(node, scope: scope, what: what, file: file) else { return nil }
        if !t.isUnknown && !t.isAny && t.nonNull != .boolean && t != .null,
           let locator = ScalarLocator(node, source: source) {
            diagnostics.append(.conditionNotBoolean(what, found: t, file: file, at: locator.range(expression.span, shiftedBy: base(of: node))))
        }
        return expression
    }

    /// Where the expression starts in the scalar: `"{{ expr }}"` is accepted as the bare expression.
    private func base(of node: YAMLNode) -> Int {
        guard let text = node.scalar?.text, Template.mayContainTemplate(text), let t = try? Template.split(text), t.isSingleExpression,
              let (_, offset) = t.expressions.first else { return 0 }
        return offset
    }

    /// An expression scalar, parsed and typed; nil after an error in it.
    private mutating func typedExpression(_ node: YAMLNode, scope: Scope, what: String, file: String) -> (Expression, ValueType)? {
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
        diagnostics += explainingHiddenSteps(checker.diagnostics, scope: scope)
        if checker.diagnostics.contains(where: { $0.severity == .error }) { return nil }
        return (expression, typed.type)
    }

    /// An unknown step that exists where it is not visible — inside a repeat
    /// that ended before, or in another path of the paths step this one is
    /// in: say why (SPEC §2.1).
    private func explainingHiddenSteps(_ found: [Diagnostic], scope: Scope) -> [Diagnostic] {
        guard !scope.perIteration.isEmpty || !scope.otherPaths.isEmpty else { return found }
        return found.map { d in
            guard d.code == .unknownReference, d.message.hasPrefix("unknown step `"), d.message.hasSuffix("`") else { return d }
            let id = String(d.message.dropFirst("unknown step `".count).dropLast())
            if let repeatID = scope.perIteration[id] { return .perIterationStep(id, repeatStep: repeatID, file: d.file, at: d.range) }
            if let (path, step) = scope.otherPaths[id] { return .otherPathStep(id, path: path, pathsStep: step, file: d.file, at: d.range) }
            return d
        }
    }
}
