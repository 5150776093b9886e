import Foundation
import XCTest
@testable import KonnectCore
import KonnectYAML

/// App schemas (SPEC §4): the loader, the type-string grammar, and
/// `invalid-schema` for every way a schema can itself be wrong.
final class SchemaLoaderTests: XCTestCase {
    func load(_ files: [(String, String)]) -> (SchemaSet, [Diagnostic]) {
        let (set, diagnostics, _) = SchemaLoader().load(files.map { TC.file($0.0, $0.1) })
        return (set, Diagnostic.sorted(diagnostics))
    }

    /// A minimal schema `x.yaml` with `body` appended.
    func schema(_ body: String, app: String = "x") -> String {
        "app: \(app)\nname: X\nauth: none\nscopes:\n  read: Read\n" + body
    }

    func problems(_ body: String) -> [Diagnostic] {
        load([("schemas/x.yaml", schema(body))]).1
    }

    /// Asserts the problems of `body`: the first one's message and (when
    /// given) its hint, and (when given) the spans of them all.
    func expectFirstProblem(_ body: String, spans: [String]? = nil, _ message: String, hint: String? = nil,
                            file: StaticString = #filePath, line: UInt = #line) {
        let ds = problems(body)
        if let spans { XCTAssertEqual(ds.map(\.tcSpan), spans, file: file, line: line) }
        XCTAssertEqual(ds.first?.message, message, file: file, line: line)
        if let hint { XCTAssertEqual(ds.first?.hint, hint, file: file, line: line) }
    }

    // MARK: loading

    func testTheTestSchemaLoads() throws {
        let (set, diagnostics) = load([("schemas/shop.yaml", TC.shopSchema), ("schemas/crm.yaml", TC.crmSchema)])
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(set.appNames, ["crm", "shop"])
        let shop = try XCTUnwrap(set["shop"])
        XCTAssertEqual(shop.auth, .none)
        XCTAssertEqual(shop.file, "schemas/shop.yaml")
        XCTAssertEqual(shop.scopeNames, ["read", "write"])
        XCTAssertEqual(shop.scopes.first?.description, "Read things")
        XCTAssertEqual(shop.triggers.map(\.key), ["order"])
        XCTAssertEqual(shop.actions.map(\.key), ["take", "need"])
        XCTAssertEqual(set["crm"]?.auth, .oauth2)

        let order = try XCTUnwrap(shop.trigger("order"))
        XCTAssertEqual(order.kind, .trigger)
        XCTAssertEqual(order.qualifiedName, "shop.order")
        XCTAssertEqual(order.name, "Order")
        XCTAssertEqual(order.scopes, ["read"])
        XCTAssertEqual(order.fields.map(\.name), ["status", "min"])
        XCTAssertEqual(order.field("status")?.type, .enumeration(["any", "paid"]))
        XCTAssertEqual(order.field("status")?.defaultValue, .string("any"))
        XCTAssertEqual(order.field("status")?.required, false)
        guard case .object(let output) = order.output else { return XCTFail("\(order.output)") }
        XCTAssertEqual(output.field("customer")?.type.description, "Customer?")
        XCTAssertEqual(output.field("items")?.type.description, "array<Item>")
        XCTAssertEqual(output.field("maybe_tags")?.type, .optional(.array(.string)))
        XCTAssertEqual(output.field("state")?.type, .enumeration(["open", "closed"]))
        guard case .optional(.object(let customer))? = output.field("customer")?.type else { return XCTFail() }
        XCTAssertEqual(customer.name, "Customer")
        XCTAssertEqual(customer.field("address")?.type.description, "Address?")

        let need = try XCTUnwrap(shop.action("need"))
        XCTAssertEqual(need.fields.filter(\.required).map(\.name), ["rs", "re", "rb"])
        XCTAssertEqual(need.scopes, [])
        let take = try XCTUnwrap(shop.action("take"))
        XCTAssertEqual(take.fields.filter(\.required), [])
        XCTAssertEqual(take.field("obj")?.type.description, "{ city: string, zip: string? }")
    }

    func testFieldSpecForms() throws {
        let (set, diagnostics) = load([("schemas/x.yaml", schema("""
        actions:
          act:
            name: Act
            description: Does it.
            scopes: [read]
            input:
              short: email?
              long: { type: integer, required: true, description: How many. }
              defaulted: { type: integer, required: true, default: 3 }
              secret: { type: string, sensitive: true }
              inline: { a: string, b: integer? }
            output:
              id: integer
            sample:
              id: 1

        """))])
        XCTAssertEqual(diagnostics, [])
        let act = try XCTUnwrap(set["x"]?.action("act"))
        XCTAssertEqual(act.description, "Does it.")
        XCTAssertEqual(act.sample, .object(["id": .int(1)], order: ["id"]))
        XCTAssertEqual(act.field("short")?.type, .optional(.email))
        XCTAssertEqual(act.field("short")?.required, false)
        XCTAssertEqual(act.field("long")?.required, true)
        XCTAssertEqual(act.field("long")?.description, "How many.")
        // A field with a default is never required.
        XCTAssertEqual(act.field("defaulted")?.required, false)
        XCTAssertEqual(act.field("defaulted")?.defaultValue, .int(3))
        XCTAssertEqual(act.field("secret")?.sensitive, true)
        XCTAssertEqual(act.field("long")?.sensitive, false)
        XCTAssertEqual(act.field("inline")?.type.description, "{ a: string, b: integer? }")
    }

    func testOperationsWithoutOutputOrConfig() throws {
        let (set, diagnostics) = load([("schemas/x.yaml", schema("triggers:\n  t:\n    name: T\nactions:\n  a:\n    name: A\n"))])
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(set["x"]?.trigger("t")?.fields.count, 0)
        XCTAssertEqual(set["x"]?.action("a")?.output.description, "{  }")
    }

    func testTypeStrings() throws {
        let parser = TypeParser(resolveName: { $0 == "Thing" ? .object(ObjectType(name: "Thing", fields: [])) : nil })
        let cases: [(String, String)] = [
            ("string", "string"), ("integer", "integer"), ("number", "number"), ("boolean", "boolean"), ("date", "date"),
            ("datetime", "datetime"), ("email", "email"), ("url", "url"), ("any", "any"),
            ("email?", "email?"), ("enum(a, b, c)", "enum(a, b, c)"), ("enum(a,b)?", "enum(a, b)?"), ("enum( x )", "enum(x)"),
            ("array<string>", "array<string>"), ("array<integer?>", "array<integer?>"), ("array<array<url>>?", "array<array<url>>?"),
            ("array< Thing >", "array<Thing>"), ("Thing?", "Thing?"), ("enum(any, paid, pending)", "enum(any, paid, pending)"),
        ]
        for (text, description) in cases {
            XCTAssertEqual(try parser.parse(text).description, description, text)
        }
        let failures: [(String, TypeParser.Failure)] = [
            ("", .syntax("a type is missing")),
            ("?", .syntax("unexpected `?` where a type was expected")),
            ("array<string", .syntax("`array<` is not closed with `>`")),
            ("array", .syntax("`array` needs its element type: `array<string>`")),
            ("enum", .syntax("`enum` needs its values: `enum(a, b)`")),
            ("enum(a, b", .syntax("`enum(` is not closed with `)`")),
            ("enum(a,,b)", .syntax("`enum(…)` has an empty value")),
            ("string??", .syntax("unexpected `?` after `string?`")),
            ("integer?!", .syntax("unexpected `!` after `integer?`")),
            ("strin", .unknownTypeName("strin")),
            ("array<Widget>", .unknownTypeName("Widget")),
            // Past ASCII, a name is read by Characters: letters and digits of any script, a mark joined to its letter.
            ("Straße?", .unknownTypeName("Straße")),
            ("Cafe\u{301}_2 ?", .unknownTypeName("Cafe\u{301}_2")),
            ("Thing_1-x", .unknownTypeName("Thing_1")),
        ]
        for (text, failure) in failures {
            XCTAssertThrowsError(try parser.parse(text), text) { error in
                XCTAssertEqual(error as? TypeParser.Failure, failure, text)
            }
        }
    }

    // MARK: invalid-schema

    func testBadTypeString() {
        let ds = problems("triggers:\n  t:\n    name: T\n    output:\n      tags: array<string\n")
        XCTAssertEqual(ds.map(\.tcSpan), ["invalid-schema@10:13-10:25"])
        XCTAssertEqual(ds.first?.file, "schemas/x.yaml")
        XCTAssertEqual(ds.first?.message, "invalid type `array<string`: `array<` is not closed with `>`")
        XCTAssertEqual(ds.first?.hint, "types are string, integer, number, boolean, date, datetime, email, url, any, enum(…), array<…>, a named type, with `?` for nullable")
        XCTAssertEqual(problems("actions:\n  a:\n    name: A\n    input:\n      x: \"integer?!\"\n").first?.message,
                       "invalid type `integer?!`: unexpected `!` after `integer?`")
        XCTAssertEqual(problems("actions:\n  a:\n    name: A\n    input:\n      x: [string]\n").first?.message,
                       "a type is a type string or a mapping, not a list")
    }

    func testUnknownTypeName() {
        expectFirstProblem("types:\n  Customer:\n    id: integer\ntriggers:\n  t:\n    name: T\n    output:\n      c: Custmer?\n",
                           spans: ["invalid-schema@13:10-13:18"], "unknown type `Custmer`", hint: "did you mean `Customer`?")
        expectFirstProblem("triggers:\n  t:\n    name: T\n    output:\n      n: integr\n", "unknown type `integr`", hint: "did you mean `integer`?")
        expectFirstProblem("triggers:\n  t:\n    name: T\n    output:\n      n: array<Zorglub>\n", "unknown type `Zorglub`")
    }

    func testARepeatedTypeStringIsTheSameTypeAndEachBadOneIsReported() throws {
        let ds = problems("""
        types:
          Customer:
            id: integer
            best: Customer?
        triggers:
          t:
            name: T
            output:
              a: Customer?
              b: Customer?
              e: integr
              f: integr

        """)
        XCTAssertEqual(ds.map(\.message), ["type `Customer` contains itself", "unknown type `integr`", "unknown type `integr`"])
        XCTAssertEqual(ds.map(\.tcSpan).suffix(2), ["invalid-schema@16:10-16:16", "invalid-schema@17:10-17:16"])

        let (set, none) = load([("schemas/x.yaml", schema("""
        types:
          Customer:
            id: integer
        triggers:
          t:
            name: T
            output:
              a: Customer?
              b: Customer?
              c: enum(x, y)
              d: enum(x, y)

        """))])
        XCTAssertEqual(none, [])
        let output = try XCTUnwrap(set["x"]?.trigger("t")?.output)
        guard case .object(let object) = output else { return XCTFail("\(output)") }
        XCTAssertEqual(object.fieldType("a")?.description, "Customer?")
        XCTAssertEqual(object.fieldType("a"), object.fieldType("b"))
        XCTAssertEqual(object.fieldType("c")?.description, "enum(x, y)")
        XCTAssertEqual(object.fieldType("c"), object.fieldType("d"))
    }

    func testScopeUsedButNotDeclared() {
        let ds = problems("triggers:\n  t:\n    name: T\n    scopes: [read, raed, write]\n")
        XCTAssertEqual(ds.map(\.tcSpan), ["invalid-schema@9:20-9:24", "invalid-schema@9:26-9:31"])
        XCTAssertEqual(ds.map(\.message), ["scope `raed` is used but not declared under `scopes:`",
                                           "scope `write` is used but not declared under `scopes:`"])
        XCTAssertEqual(ds.first?.hint, "did you mean `read`?")
        XCTAssertEqual(ds.last?.hint, "declared scopes: `read`")
    }

    func testSampleNotMatchingItsType() {
        let ds = problems("""
        triggers:
          t:
            name: T
            output:
              id: integer
              at: datetime
              email: email
              kind: "enum(a, b)"
              list: array<integer>
              maybe: string?
            sample:
              id: "12"
              at: yesterday
              email: nope
              kind: c
              list: [1, x]
              extra: 1

        """)
        XCTAssertEqual(ds.map(\.tcBrief), ["invalid-schema@17:11", "invalid-schema@18:11", "invalid-schema@19:14", "invalid-schema@20:13",
                                           "invalid-schema@21:17", "invalid-schema@22:7"])
        XCTAssertEqual(ds.map(\.message), [
            "sample of x.t: `id` expects integer, found a string",
            "sample of x.t: `yesterday` is not a valid datetime for `at`",
            "sample of x.t: `nope` is not a valid email for `email`",
            "sample of x.t: `c` is not one of the values of `kind`",
            "sample of x.t: item 2 of `list` expects integer, found a string",
            "sample of x.t: unknown field `extra` for the sample",
        ])
        XCTAssertEqual(ds.first?.hint, "remove the quotes to write a number")
        XCTAssertEqual(Set(ds.map(\.code)), [.invalidSchema])
    }

    func testSampleMissingARequiredOutputField() {
        let ds = problems("actions:\n  a:\n    name: A\n    output:\n      id: integer\n      note: string?\n    sample:\n      note: hi\n")
        XCTAssertEqual(ds.map(\.code), [.invalidSchema])
        XCTAssertEqual(ds.first?.message, "sample of x.a: missing required field `id` for the sample")
        // Nullable output fields may be left out.
        XCTAssertEqual(problems("actions:\n  a:\n    name: A\n    output:\n      id: integer\n      note: string?\n    sample:\n      id: 1\n"), [])
    }

    func testDefaultNotMatchingItsType() {
        let ds = problems("actions:\n  a:\n    name: A\n    input:\n      n: { type: integer, default: many }\n      e: { type: \"enum(x, y)\", default: z }\n")
        XCTAssertEqual(ds.map(\.message), ["field `n`: the default of `n` expects integer, found a string",
                                           "field `e`: `z` is not one of the values of the default of `e`"])
        XCTAssertEqual(ds.map(\.tcBrief), ["invalid-schema@10:36", "invalid-schema@11:41"])
    }

    func testFileNameDiffersFromApp() {
        let (set, ds) = load([("schemas/shopify.yaml", schema("", app: "shopfiy"))])
        XCTAssertEqual(ds.map(\.tcSpan), ["invalid-schema@1:6-1:13"])
        XCTAssertEqual(ds.first?.message, "the file is named `shopify` but declares `app: shopfiy`")
        XCTAssertEqual(ds.first?.hint, "rename the file to `shopfiy.yaml` or change `app:`")
        XCTAssertEqual(set.apps.count, 0)
        XCTAssertEqual(set.brokenApps, ["shopify", "shopfiy"])
        // `.yml` works too.
        XCTAssertEqual(load([("schemas/x.yml", schema(""))]).1, [])
    }

    func testUnknownKeys() {
        expectFirstProblem("trigers:\n  t:\n    name: T\n", spans: ["invalid-schema@6:1-6:8"],
                           "unknown key `trigers` in the schema", hint: "did you mean `triggers`?")
        expectFirstProblem("actions:\n  a:\n    name: A\n    inptu:\n      x: integer\n", spans: ["invalid-schema@9:5-9:10"],
                           "unknown key `inptu` in action `a`", hint: "did you mean `input`?")
        // `config` belongs to triggers, `input` to actions.
        expectFirstProblem("triggers:\n  t:\n    name: T\n    input:\n      x: integer\n", "unknown key `input` in trigger `t`",
                           hint: "valid keys: `name`, `description`, `scopes`, `config`, `output`, `sample`, `payload`")
    }

    func testStructuralProblems() {
        XCTAssertEqual(load([("schemas/x.yaml", "app: x\nname: X\nauth: magic\n")]).1.map(\.message),
                       ["`auth` must be one of oauth2, api_key, basic, none"])
        XCTAssertEqual(load([("schemas/x.yaml", "app: x\nname: X\n")]).1.map(\.message),
                       ["missing `auth:` (oauth2, api_key, basic or none)"])
        XCTAssertEqual(load([("schemas/x.yaml", "- app: x\n")]).1.map(\.message),
                       ["an app schema must be a mapping starting with `app:`"])
        XCTAssertEqual(load([("schemas/x.yaml", "name: X\nauth: none\n")]).1.map(\.message), ["missing `app:`"])
        XCTAssertEqual(problems("types:\n  A:\n    b: B\n  B:\n    a: A\n").map(\.message), ["type `A` contains itself"])
        XCTAssertEqual(problems("types:\n  C: string\n").map(\.message), ["named type `C` must be an object type (a mapping of fields)"])
        XCTAssertEqual(problems("triggers:\n  t:\n    name: T\n    scopes: read\n").map(\.message), ["`scopes` must be a list"])
        XCTAssertEqual(problems("actions:\n  a: 1\n").map(\.message), ["action `a` must be a mapping"])
        XCTAssertEqual(problems("actions:\n  a:\n    name: A\n    input:\n      n: { type: integer, required: yes }\n").map(\.message),
                       ["`required` must be true or false"])
        XCTAssertEqual(Set(problems("types:\n  A:\n    b: B\n  B:\n    a: A\n").map(\.code)), [.invalidSchema])
    }

    func testYAMLErrorsInASchemaAreReportedInIt() {
        let (set, ds) = load([("schemas/x.yaml", "app: x\nname: [\n")])
        XCTAssertEqual(ds.map(\.code), [.yamlSyntax])
        XCTAssertEqual(ds.first?.file, "schemas/x.yaml")
        XCTAssertEqual(set.brokenApps, ["x"])
    }

    func testEveryProblemOfAFileIsReported() {
        let ds = problems("""
        types:
          T:
            a: integr
            b: "enum(a"
        triggers:
          t:
            name: T
            scopes: [nope]
            output:
              id: integer
            sample:
              id: x
            bogus: 1

        """)
        XCTAssertEqual(ds.count, 5, ds.map(\.message).joined(separator: "\n"))
        XCTAssertEqual(Set(ds.map(\.code)), [.invalidSchema])
    }

    // MARK: a broken schema and the konnectors that use it

    func testABrokenSchemaIsNotReportedAgainWhereItIsUsed() {
        let broken = schema("triggers:\n  t:\n    name: T\n    output:\n      n: integr\nactions:\n  a:\n    name: A\n")
        let konnector = "konnector: k\nname: K\ntrigger: {app: x, event: t}\nsteps:\n  - {id: a, app: x, action: a, with: {q: \"{{ trigger.n }}\"}}\n"
        let checked = ProjectValidator().validate(files: [TC.file("konnectors/k.yaml", konnector),
                                                          TC.file("konnectors/c.yaml", "connection: c\napp: x\n")],
                                                  schemaFiles: [TC.file("schemas/x.yaml", broken)])
        XCTAssertEqual(checked.diagnostics.map { "\($0.file) \($0.tcBrief)" }, ["schemas/x.yaml invalid-schema@10:10"])
        XCTAssertEqual(checked.checkedKonnectors.count, 0, "a konnector on a broken app is not compiled")
    }

    func testAFileNamedWronglySilencesBothNames() {
        let checked = ProjectValidator().validate(
            files: [TC.file("konnectors/k.yaml", "konnector: k\nname: K\ntrigger: {app: shopify, event: t}\nsteps:\n  - {id: a, app: shopfiy, action: a}\n")],
            schemaFiles: [TC.file("schemas/shopify.yaml", schema("", app: "shopfiy"))])
        XCTAssertEqual(checked.diagnostics.map(\.code), [.invalidSchema])
    }

    func testBundledSchemasAreValid() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schemas")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 10)
        let files = try names.map { SourceFile(path: "schemas/\($0)", bytes: Array(try Data(contentsOf: directory.appendingPathComponent($0)))) }
        let (set, diagnostics, _) = SchemaLoader().load(files)
        XCTAssertEqual(diagnostics.map { "\($0.file):\($0.tcBrief) \($0.message)" }, [])
        XCTAssertEqual(set.appNames.count, names.count)
        for app in set.apps.values {
            XCTAssertGreaterThanOrEqual(app.triggers.count + app.actions.count, 2, app.app)
            for op in app.triggers + app.actions {
                XCTAssertNotNil(op.sample, "\(op.qualifiedName) has no sample")
            }
        }
    }
}
