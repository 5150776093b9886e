import ArgumentParser

@main
struct Konnect: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "konnect",
        abstract: "Konnectors as code: validate, plan, apply and test integration workflows.",
        version: version,
        subcommands: [ValidateCommand.self, PlanCommand.self, ApplyCommand.self, ListCommand.self, ShowCommand.self,
                      HistoryCommand.self, ExportCommand.self, UnlockCommand.self, TestCommand.self, RunCommand.self,
                      SchemaCommand.self, InitCommand.self]
    )
}
