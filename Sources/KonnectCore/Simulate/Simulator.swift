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
    /// action's schema sample. `failures`: action steps whose calls fail (a
    /// test case's `fail:`, SPEC §9).
    public func run(_ k: CheckedKonnector, event: RuntimeValue, outputs: [String: RuntimeValue] = [:],
                    failures: [String: SimulatedFailure] = [:]) -> RunTrace {
        // A scheduled run's unset `scheduled_at` is its first run time at or after the clock (SPEC §2.1).
        let event = k.konnector.trigger?.schedule.map { $0.event(filling: event, now: now) } ?? event
        // A scheduled run happens at its scheduled time: `now()` and delays start from it.
        var start = now
        if k.konnector.trigger?.schedule != nil, case .object(let fields, _) = event, case .datetime(let at)? = fields["scheduled_at"] {
            start = at
        }
        let env = Environment(trigger: event, konnectorID: k.id, konnectorName: k.konnector.name?.value ?? k.id, now: start)
        var trace = RunTrace(konnector: k.id, event: event, filtered: false, filterError: nil, steps: [])
        // A typed webhook payload is checked when the run starts, whatever made the
        // event (a sample that lacks a field too): a body that does not match fails
        // the run with the field named (SPEC §2.1).
        if k.konnector.trigger?.payload != nil, let field = k.trigger.payloadField, case .object(let output) = k.trigger.output,
           let type = output.fieldType(field), case .object(let fields, _) = event {
            let problems = RuntimeValidator.check(fields[field] ?? .null, as: type, name: "trigger.\(field)")
            if !problems.isEmpty {
                // A type can be long (an enum of thousands of values): each problem is cut short.
                let shown = problems.prefix(5).map { $0.count > 200 ? String($0.prefix(200)) + "…" : $0 }
                trace.filterError = "the event does not match the payload: " + shown.joined(separator: "; ")
                return trace
            }
        }
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
        var run = Run(env: env, budget: budget, outputs: outputs, failures: failures)
        run.steps(k.steps)
        trace.steps = run.trace
        trace.stoppedByLimit = run.stoppedByLimit
        return trace
    }

    /// One run's state as it goes through the steps, nested ones included.
    private struct Run {
        var env: Environment
        let budget: EvaluationBudget
        let outputs: [String: RuntimeValue]
        let failures: [String: SimulatedFailure]
        var trace: [RunTrace.StepRun] = []
        /// A step failed with `on_error: stop`, or a bound was passed: the rest are not reached.
        var stopped = false
        var stoppedByLimit = false
        /// The repeats around the current step, outermost first.
        var iteration: [RunTrace.Iteration] = []
        /// Steps run so far, each iteration's counted (SPEC §9: no run exhausts the machine).
        var stepRuns = 0
        /// Bytes of the inputs and outputs the trace holds so far.
        var retainedBytes = 0
        /// A run's trace holds at most this many step runs and these many
        /// bytes of values: nested repeats (1,000 × 1,000 × …) or an
        /// iteration's large strings stop at a bound, not at the machine's memory.
        static let maxStepRuns = 10_000
        static let maxRetainedBytes = 64 << 20
        /// The last second of 9999-12-31 (UTC): datetimes are RFC 3339 (SPEC §5).
        static let lastInstant = 253_402_300_799.0

        init(env: Environment, budget: EvaluationBudget, outputs: [String: RuntimeValue], failures: [String: SimulatedFailure]) {
            self.env = env
            self.budget = budget
            self.outputs = outputs
            self.failures = failures
        }

        /// An action step's attempts (SPEC §2.1 `retry:`): each renders and
        /// checks the inputs and calls the app; a failure is tried again up to
        /// `retry.times` more times, each wait advancing the run's clock. A
        /// step in `failures` fails its first N attempts of each run of it (in
        /// a repeat: of each iteration). Throws the last attempt's error.
        mutating func attempts(_ action: CheckedKonnector.Step.Action, _ run: inout RunTrace.StepRun) throws(RuntimeError) {
            let retry = action.retry
            run.maxAttempts = 1 + (retry?.times ?? 0)
            for number in 1...run.maxAttempts {
                var attempt = RunTrace.Attempt(at: env.now, called: false, error: nil, wait: nil)
                do throws(RuntimeError) {
                    run.inputs = nil
                    let inputs = try Simulator.render(action, Evaluator(env, budget: budget))
                    run.inputs = inputs
                    if case .object(let fields, _) = inputs {
                        let problems = RuntimeValidator.checkFields(fields, action.operation.fields, prefix: "")
                        if !problems.isEmpty { throw RuntimeError("invalid input: " + problems.joined(separator: "; ")) }
                    }
                    attempt.called = true
                    if let failure = failures[run.id], failure.fails(attempt: number) {
                        throw RuntimeError("simulated failure (attempt \(number) of \(run.maxAttempts))")
                    }
                    run.attempts.append(attempt)
                    return
                } catch {
                    attempt.error = error.description
                    // A limit (SPEC §9) is not tried again: the run is past a bound.
                    guard number < run.maxAttempts, let retry, error.code != .limitExceeded else {
                        run.attempts.append(attempt)
                        throw error
                    }
                    attempt.wait = retry.waitSeconds
                    run.attempts.append(attempt)
                    env.now += Double(retry.waitSeconds)
                }
            }
        }

        mutating func steps(_ list: [CheckedKonnector.Step]) {
            for step in list { self.step(step) }
        }

        mutating func step(_ step: CheckedKonnector.Step) {
            var run: RunTrace.StepRun
            switch step.kind {
            case .action(let action):
                run = RunTrace.StepRun(id: step.id, operation: action.operation.qualifiedName, status: .ran, inputs: nil,
                                       output: .null, error: nil, onError: action.onError,
                                       sensitiveInputs: Set(action.operation.fields.filter(\.sensitive).map(\.name)))
            case .paths: run = .flow(step.id, "paths")
            case .repeatLoop: run = .flow(step.id, "repeat")
            case .delay: run = .flow(step.id, "delay")
            }
            run.iteration = iteration
            if stopped {
                run.status = .notReached
                trace.append(run)
                return
            }
            let evaluator = Evaluator(env, budget: budget)
            // A paths or repeat step's line, placed before the steps inside it ran.
            var at: Int? = nil
            do throws(RuntimeError) {
                stepRuns += 1
                if stepRuns > Self.maxStepRuns {
                    throw RuntimeError.limit("the run has made more than \(Self.maxStepRuns) step runs (repeats' iterations included)")
                }
                // The time bound covers the run, not only its expressions.
                try budget.check()
                if let condition = step.condition, !(try evaluator.condition(condition)) {
                    run.status = .skipped
                    env.steps[step.id] = .null
                    trace.append(run)
                    return
                }
                switch step.kind {
                case .action(let action):
                    try attempts(action, &run)
                    run.output = outputs[step.id] ?? action.operation.sample.map { RuntimeValue.from($0, as: action.operation.output) } ?? .null
                    retainedBytes += Simulator.bytes(run.inputs ?? .null, upTo: Self.maxRetainedBytes) + Simulator.bytes(run.output, upTo: Self.maxRetainedBytes)
                    if retainedBytes > Self.maxRetainedBytes {
                        throw RuntimeError.limit("the run's step inputs and outputs make more than \(Self.maxRetainedBytes >> 20) MiB")
                    }
                    trace.append(run)
                case .paths(let p):
                    // The step's line comes first; its paths' steps follow it.
                    at = trace.count
                    trace.append(run)
                    var taken: [String] = []
                    for path in p.paths where path.when != nil {
                        if p.mode == .first && !taken.isEmpty { break }
                        if try Evaluator(env, budget: budget).condition(path.when!) { taken.append(path.id) }
                    }
                    // A path without `when:` is the fallback: it runs when no other did.
                    if taken.isEmpty, let fallback = p.paths.first(where: { $0.when == nil }) { taken.append(fallback.id) }
                    for path in p.paths where taken.contains(path.id) { steps(path.steps) }
                    run.output = .object(["taken": .array(taken.map(RuntimeValue.string))], order: ["taken"])
                    trace[at!].output = run.output
                case .repeatLoop(let r):
                    at = trace.count
                    trace.append(run)
                    let over = try evaluator.evaluate(r.over)
                    let items: [RuntimeValue]
                    switch over {
                    case .array(let a): items = a
                    case .null: items = []
                    default: throw RuntimeError("`repeat` needs an array, found \(over.json.serialized())")
                    }
                    // SPEC §2.1: `loop.count` is the array's length capped by `max:`; the
                    // iterations up to `max:` run, and then an element past it fails the step.
                    let count = Swift.min(items.count, r.max)
                    let saved = env.locals
                    for (index, item) in items.prefix(count).enumerated() where !stopped {
                        env.locals[r.name] = item
                        env.locals["loop"] = .object(["index": .int(index), "count": .int(count)], order: ["index", "count"])
                        iteration.append(.init(repeatID: step.id, index: index, count: count))
                        steps(r.steps)
                        iteration.removeLast()
                    }
                    env.locals = saved
                    if items.count > r.max && !stopped {
                        throw RuntimeError.limit("`repeat` has \(items.count) elements, over its `max:` of \(r.max)")
                    }
                    run.output = .object(["count": .int(count)], order: ["count"])
                    trace[at!].output = run.output
                case .delay(let wait):
                    switch wait {
                    case .seconds(let seconds):
                        env.now += Double(seconds)
                    case .until(let e):
                        guard case .datetime(let target) = try evaluator.evaluate(e) else {
                            throw RuntimeError("`delay_until` is not a datetime")
                        }
                        if target - env.now > Double(Konnector.DelayStep.maxDelay.seconds) {
                            throw RuntimeError.limit("`delay_until` is more than 31 days after the run's clock")
                        }
                        // A target in the past does not wait.
                        env.now = Swift.max(env.now, target)
                    }
                    if env.now > Self.lastInstant {
                        throw RuntimeError.limit("the run's clock would pass 9999-12-31, the last day a datetime can name")
                    }
                    run.output = .object(["resumed_at": .datetime(env.now)], order: ["resumed_at"])
                    trace.append(run)
                }
                env.steps[step.id] = run.output
            } catch {
                run.status = .failed
                run.error = error.description
                env.steps[step.id] = .null
                // Past a bound the run cannot go on, whatever `on_error:` says.
                if error.code == .limitExceeded { stoppedByLimit = true }
                if case .action(let a) = step.kind, a.onError == .continue, error.code != .limitExceeded {} else { stopped = true }
                if let at { trace[at] = run } else { trace.append(run) }
            }
        }
    }

    /// About how many bytes `v` holds (strings' bytes, 8 per other value), counted up to `cap`.
    static func bytes(_ v: RuntimeValue, upTo cap: Int) -> Int {
        var total = 0
        var pending = [v]
        while let next = pending.popLast(), total <= cap {
            switch next {
            case .string(let s): total += s.utf8.count
            case .array(let items): total += 8; pending += items
            case .object(let fields, _): total += 8; for (key, value) in fields { total += key.utf8.count; pending.append(value) }
            default: total += 8
            }
        }
        return total
    }

    /// Which attempts of a step fail (SPEC §9 `fail:`): the first N, or every one.
    public enum SimulatedFailure: Sendable, Equatable {
        case first(Int)
        case always

        func fails(attempt: Int) -> Bool {
            switch self {
            case .first(let n): return attempt <= n
            case .always: return true
            }
        }
    }

    /// The step's inputs, schema defaults filled in for the fields not given.
    fileprivate static func render(_ step: CheckedKonnector.Step.Action, _ evaluator: Evaluator) throws(RuntimeError) -> RuntimeValue {
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
