import KonnectCore

extension Konnector.Step {
    /// The decoded action step's parts, when it is one (the checked step has its own).
    var action: Konnector.ActionStep? {
        if case .action(let a) = kind { return a }
        return nil
    }
}
