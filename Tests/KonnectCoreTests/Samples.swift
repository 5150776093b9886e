import KonnectCore
import KonnectYAML

/// Diagnostics built by hand (the memberwise initialiser is public) over
/// known sources, shared by the renderer tests.
enum Samples {
    static let shopPath = "konnectors/shop.yaml"
    static let dupPath = "konnectors/dup.yaml"
    static let hugePath = "konnectors/huge.yaml"

    static let longValue = String(repeating: "lorem ipsum ", count: 20)

    static let shopText = """
    konnector: shopify-order-to-mailchimp
    name: "Café → Mailchimp ü"
    enabled: yes
    trigger:
      app: shopify
      event: new_order
    \tstatus: paid
    steps:
      - id: subscribe
        app: mailchimp
        action: add_subscriber
        connection: mailchimp-main
        with:
          emial: "{{ trigger.customer.email }}"
          note: "\(longValue){{ trigger.nope }}"

    """

    static let dupText = """
    connection: slack-sales
    app: slack
    app: slack
    secret: env:SLACK_TOKEN

    """

    static var sources: [String: SourceText] {
        [
            shopPath: SourceText(bytes: Array(shopText.utf8)),
            dupPath: SourceText(bytes: Array(dupText.utf8)),
        ]
    }

    static func r(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> SourceRange {
        // Offsets are not used by the renderers; keep them plausible anyway.
        SourceRange(start: SourcePosition(line: l1, column: c1, offset: 0),
                    end: SourcePosition(line: l2, column: c2, offset: 0))
    }

    /// The SPEC §6 example.
    static let specExample = Diagnostic(
        .error, .unknownField, "unknown input `emial` for mailchimp.add_subscriber",
        file: shopPath, range: r(14, 7, 14, 12), hint: "did you mean `email`?")

    static var diagnostics: [Diagnostic] {
        let longStart = 14 + longValue.unicodeScalars.count + 11
        return Diagnostic.sorted([
            specExample,
            Diagnostic(.error, .invalidValue, "`enabled` must be a boolean, found a string", file: shopPath,
                       range: r(3, 10, 3, 13), hint: "YAML 1.2: `yes` is a string; write `true` or `false`"),
            Diagnostic(.warning, .nullable, "a warning over a multi-byte character", file: shopPath,
                       range: r(2, 13, 2, 14)),
            Diagnostic(.error, .yamlSyntax,
                       "found character that cannot start any token (while scanning for the next token that started at line 7, column 1)",
                       file: shopPath, range: r(7, 1, 7, 2),
                       hint: "YAML does not allow tabs for indentation; indent with spaces"),
            Diagnostic(.error, .missingField, "a range over several lines", file: shopPath, range: r(4, 3, 7, 2)),
            Diagnostic(.error, .unknownReference, "unknown field `nope` of `trigger`", file: shopPath,
                       range: r(15, longStart, 15, longStart + 4), hint: "a hint at the end of a long line"),
            Diagnostic(.error, .yamlSyntax, "found unexpected end of stream", file: shopPath, range: r(16, 1, 16, 1)),
            Diagnostic(.error, .duplicateKey, "duplicate key `app` (first defined on line 2)", file: dupPath,
                       range: r(3, 1, 3, 4), hint: "remove one of the two",
                       notes: [Diagnostic.Note("first defined here", file: dupPath, range: r(2, 1, 2, 4))]),
            Diagnostic(.error, .limitExceeded, "file is 5000000 bytes, over the limit of 1048576 bytes (1 MiB)",
                       file: hugePath, range: r(1, 1, 1, 1),
                       hint: "konnect limits files to guard against hostile input; split the file"),
            Diagnostic(.warning, .uncheckedEnum, "a warning with a note but no hint", file: dupPath,
                       range: r(4, 9, 4, 24), notes: [Diagnostic.Note("a note without a place")]),
        ])
    }

    static var summary: DiagnosticSummary {
        DiagnosticSummary(files: 3, konnectors: 1, connections: 1, diagnostics: diagnostics)
    }
}
