/// A step that may hold steps (a paths step's, a repeat's): the one walk
/// over every step of a konnector, written once for the decoded model and
/// the checked one.
public protocol NestingStep {
    /// The steps directly inside, in order (none for an action or a delay).
    var nestedSteps: [Self] { get }
}

extension Array where Element: NestingStep {
    /// These steps and the steps nested in them, each before the steps inside it.
    public var withNestedSteps: [Element] {
        var out: [Element] = []
        func visit(_ steps: [Element]) {
            for s in steps {
                out.append(s)
                visit(s.nestedSteps)
            }
        }
        visit(self)
        return out
    }
}
