import ArgumentParser
import Foundation
import KonnectCore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a new project: konnect.yaml, an example konnector, and the bundled app schemas."
    )

    @Argument(help: "The folder to create the project in (default: the current one).")
    var directory: String = "."

    func run() throws {
        let dir = FileSystem.absolute(directory)
        let configPath = (dir as NSString).appendingPathComponent(ProjectConfig.fileName)
        if FileSystem.exists(configPath) {
            throw CLIError("\(configPath) already exists; konnect init never overwrites a project")
        }
        let name = Slug.suggest(from: (dir as NSString).lastPathComponent)
        let files: [(String, String)] = [
            (ProjectConfig.fileName, """
            project: \(name)
            library: \(ProjectConfig.defaultLibrary)
            konnectors: konnectors
            schemas: schemas

            """),
            ("konnectors/connections.yaml", Self.connections),
            ("konnectors/new-signup-to-slack.yaml", Self.example),
            (".gitignore", ".konnect/\n"),
        ] + BundledSchemas.files.map { ("schemas/\($0.name)", $0.text) }
        for (path, text) in files {
            let full = (dir as NSString).appendingPathComponent(path)
            if FileSystem.exists(full) { continue }
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        }
        Output.standardOutput("""
        Created project `\(name)` in \(dir)
          konnect.yaml, konnectors/ (one example), schemas/ (\(BundledSchemas.files.count) apps)
        Next: konnect validate --project \(directory)

        """)
    }

    static let connections = """
    connection: slack-team
    app: slack
    scopes: [chat:write]
    secret: env:SLACK_TOKEN

    """

    static let example = """
    konnector: new-signup-to-slack
    name: New signup → Slack
    description: "Posts every signup that arrives on a webhook to #signups."
    tags: [example]

    trigger:
      app: webhook
      event: catch_hook

    when: trigger.method == 'POST'

    steps:
      - id: announce
        app: slack
        action: send_message
        connection: slack-team
        with:
          channel: "#signups"
          text: "New signup: {{ trigger.body.email | default('unknown') }} on {{ trigger.received_at | format_date('%B %d, %Y') }}"

    """
}
