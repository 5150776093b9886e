/// Runs a checked konnector on one event without touching any app (SPEC §9):
/// `when:` false → filtered; steps in order; `if:` false → skipped with a
/// null output; inputs rendered and checked; outputs simulated.
public struct Simulator: Sendable {
    /// `now()`, seconds since the epoch.
    public var now: Double
    /// Each run's time for evaluation (SPEC §9), and the clock it is measured by.
    public var budgetSeconds = EvaluationBudget.defaultSeconds
    public var clock: EvaluationBudget.Clock = EvaluationBudget.monotonic

    public init(now: Double) {
        self.now = now
    }

    /// `outputs` are simulated step outputs; a step without one returns its
    /// action's schema sample.
    public func run(_ k: CheckedKonnector, event: RuntimeValue, outputs: [String: RuntimeValue] = [:]) -> RunTrace {
        // A scheduled run's unset `scheduled_at` is its first run time at or after the clock (SPEC §2.1).
        let event = k.konnector.trigger?.schedule.map { $0.event(filling: event, now: now) } ?? event
        var env = Environment(trigger: event, konnectorID: k.id, konnectorName: k.konnector.name?.value ?? k.id, now: now)
        var trace = RunTrace(konnector: k.id, event: event, filtered: false, filterError: nil, steps: [])
        // One budget for the whole run: its filter and all its steps.
        let budget = EvaluationBudget(seconds: budgetSeconds, clock: clock)
        if let when = k.when {
            do {
                trace.filtered = !(try Evaluator(env, budget: budget).condition(when))
            } catch {
                trace.filterError = error.description
            }
            if trace.filtered || trace.filterError != nil { return trace }
        }
        var stopped = false
        for step in k.steps {
            guard case .action(let action) = step.kind else { preconditionFailure("not decoded yet") }
            var run = RunTrace.StepRun(id: step.id, operation: action.operation.qualifiedName, status: .ran, inputs: nil,
                                       output: .null, error: nil, onError: action.onError,
                                       sensitiveInputs: Set(action.operation.fields.filter(\.sensitive).map(\.name)))
            if stopped {
                run.status = .notReached
                trace.steps.append(run)
                continue
            }
            let evaluator = Evaluator(env, budget: budget)
            do throws(RuntimeError) {
                if let condition = step.condition, !(try evaluator.condition(condition)) {
                    run.status = .skipped
                    env.steps[step.id] = .null
                    trace.steps.append(run)
                    continue
                }
                let inputs = try render(action, evaluator)
                run.inputs = inputs
                if case .object(let fields, _) = inputs {
                    let problems = RuntimeValidator.checkFields(fields, action.operation.fields, prefix: "")
                    if !problems.isEmpty { throw RuntimeError("invalid input: " + problems.joined(separator: "; ")) }
                }
                let output = outputs[step.id] ?? action.operation.sample.map { RuntimeValue.from($0, as: action.operation.output) } ?? .null
                run.output = output
                env.steps[step.id] = output
            } catch {
                run.status = .failed
                run.error = error.description
                env.steps[step.id] = .null
                if action.onError == .stop { stopped = true }
            }
            trace.steps.append(run)
        }
        return trace
    }

    /// The step's inputs, schema defaults filled in for the fields not given.
    private func render(_ step: CheckedKonnector.Step.Action, _ evaluator: Evaluator) throws(RuntimeError) -> RuntimeValue {
        guard case .object(let given, _) = step.inputs else { return .object([:], order: []) }
        var out: [String: RuntimeValue] = [:]
        var order: [String] = []
        for field in step.operation.fields {
            if let v = given[field.name] {
                do {
                    out[field.name] = try evaluator.render(v, as: field.type)
                } catch {
                    var e = error
                    e.message = "input `\(field.name)`: \(error.message)"
                    throw e
                }
            } else if let d = field.defaultValue {
                out[field.name] = RuntimeValue.from(d, as: field.type)
            } else {
                continue
            }
            order.append(field.name)
        }
        let inputs = RuntimeValue.object(out, order: order)
        // Fields may each hold the same long value: the inputs are rendered whole in traces.
        try EvaluationLimits.checkSize(inputs, of: "the inputs")
        return inputs
    }
}
