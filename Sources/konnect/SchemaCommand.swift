import ArgumentParser
import KonnectCore

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Show the app schemas: their triggers, actions, fields and types.",
        subcommands: [List.self, Show.self, JSONSchema.self]
    )

    /// Loads the project's schemas; their own problems are reported first.
    /// Outside a project (no `konnect.yaml`, no schemas folder), the schemas
    /// bundled with konnect, saying so on stderr.
    static func load(_ options: ProjectOptions) throws -> SchemaSet {
        let project = try Project.locate(options)
        let files: [SourceFile]
        if project.configSource == nil && !FileSystem.exists(project.schemasDirectory, directory: true) {
            Output.standardError("note: no konnect project here (no konnect.yaml, no schemas/ folder); "
                                 + "these are the app schemas bundled with konnect, which `konnect init` copies into a new project\n")
            files = BundledSchemas.files.map { SourceFile(path: "schemas/\($0.name)", bytes: Array($0.text.utf8)) }
        } else {
            files = try project.readSchemaFiles()
        }
        let (schemas, diagnostics, sources) = SchemaLoader().load(files)
        if !diagnostics.isEmpty {
            DiagnosticReporter.text(diagnostics, sources: sources, summary: nil)
        }
        return schemas
    }

    struct List: ParsableCommand {
        // Named here: ArgumentParser derives a missing name from the type (`String(describing:)`),
        // about 2.3M instructions on every run of any command, as it builds the tree of commands.
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the apps that have a schema.")
        @OptionGroup var options: ProjectOptions

        func run() throws {
            Output.standardOutput(SchemaTextView().list(try SchemaCommand.load(options)))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one app's triggers and actions with their fields.")
        @OptionGroup var options: ProjectOptions
        @Argument(help: "The app, e.g. shopify.") var app: String

        func run() throws {
            let schemas = try SchemaCommand.load(options)
            guard let schema = schemas[app] else {
                let hint = Suggestion.hint(for: app, among: schemas.appNames, noun: "apps") ?? "no app schemas found"
                throw CLIError("unknown app `\(app)`; \(hint)")
            }
            Output.standardOutput(SchemaTextView().show(schema))
        }
    }

    struct JSONSchema: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "json-schema",
            abstract: "Print a JSON Schema (draft 2020-12) of konnector files, for editors.")
        @OptionGroup var options: ProjectOptions

        func run() throws {
            let schema = JSONSchemaGenerator(schemas: try SchemaCommand.load(options)).generate()
            Output.standardOutput(schema.serialized() + "\n")
        }
    }
}
