import Foundation
import PackagePlugin

/// Embeds the bundled app schemas (`schemas/*.yaml` at the package root)
/// into the `konnect` binary, so `konnect init` works from any install.
@main
struct EmbedSchemas: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let schemas = context.package.directoryURL.appending(path: "schemas")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: schemas.path())) ?? []
        let inputs = names.filter { $0.hasSuffix(".yaml") }.sorted().map { schemas.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "BundledSchemas.swift")
        return [.buildCommand(
            displayName: "Embedding \(inputs.count) bundled schemas",
            executable: try context.tool(named: "embed-schemas").url,
            arguments: [output.path()] + inputs.map { $0.path() },
            inputFiles: inputs,
            outputFiles: [output]
        )]
    }
}
