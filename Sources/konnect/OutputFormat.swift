import ArgumentParser

/// `--format` of the commands that report diagnostics (SPEC §6).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, github, sarif
}

/// `--format` of the commands that print text or JSON: list, show, history, test, run.
enum ViewFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `konnect plan --format` (SPEC §8, §12): also markdown, for a pull-request comment.
enum PlanOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}
