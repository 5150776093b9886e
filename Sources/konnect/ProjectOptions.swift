import ArgumentParser

/// The options every command takes (SPEC §1).
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: "The project directory (default: the nearest folder upwards holding konnect.yaml, else the current one).")
    var project: String?

    @Option(name: .long, help: "The library URL; overrides KONNECT_LIBRARY and konnect.yaml.")
    var library: String?
}
