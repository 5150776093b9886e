import Foundation

/// Writes a realistic corpus: N konnectors in N files, 100 per folder, over
/// several apps, using every feature of the language (filters, conditions,
/// pipes, arithmetic, earlier steps, tags, disabled konnectors) and, in half
/// of them, the flow forms of SPEC §2.1 (paths, repeats, delays and retries,
/// schedules, typed webhook payloads).
enum Corpus {
    static func generate(count: Int, into dir: String, schemas: String, library: String) throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: dir)
        try fm.createDirectory(atPath: dir + "/konnectors/connections", withIntermediateDirectories: true)
        try fm.copyItem(atPath: schemas, toPath: dir + "/schemas")
        try setLibrary(library, in: dir)
        try connections.write(toFile: dir + "/konnectors/connections/all.yaml", atomically: true, encoding: .utf8)
        for i in 0..<count {
            let folder = dir + "/konnectors/" + String(format: "g%03d", i / 100)
            if i % 100 == 0 { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try konnector(i).write(toFile: folder + String(format: "/k%06d.yaml", i), atomically: false, encoding: .utf8)
        }
    }

    /// Points the corpus's project file at `library`.
    static func setLibrary(_ library: String, in dir: String) throws {
        try "project: bench\nlibrary: \(library)\n".write(toFile: dir + "/konnect.yaml", atomically: true, encoding: .utf8)
    }

    /// Changes the Slack channel of `count` konnectors (an edit plan must pick up).
    static func edit(_ dir: String, count: Int, total: Int) throws {
        for n in 0..<count {
            let i = (n * max(1, total / count)) % total
            let path = dir + "/konnectors/" + String(format: "g%03d/k%06d.yaml", i / 100, i)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try text.replacingOccurrences(of: "channel: \"#", with: "channel: \"#edited-")
                .write(toFile: path, atomically: false, encoding: .utf8)
        }
    }

    static let connections = """
    connection: shopify-main
    app: shopify
    scopes: [read_orders, read_customers]
    secret: env:SHOPIFY_TOKEN
    ---
    connection: mailchimp-main
    app: mailchimp
    scopes: [audience:write]
    secret: env:MAILCHIMP_API_KEY
    ---
    connection: slack-main
    app: slack
    scopes: [chat:write, reactions:write]
    secret: env:SLACK_TOKEN
    ---
    connection: gmail-main
    app: gmail
    scopes: [gmail.readonly, gmail.compose]
    secret: env:GMAIL_TOKEN
    ---
    connection: stripe-main
    app: stripe
    scopes: [event_read, payment_intent_read, charge_read]
    secret: vault:secret/stripe
    ---
    connection: sheets-main
    app: google_sheets
    scopes: [spreadsheets]
    secret: env:SHEETS_TOKEN
    ---
    connection: hubspot-main
    app: hubspot
    scopes: [crm.objects.contacts.read, crm.objects.contacts.write, crm.objects.deals.read]
    secret: env:HUBSPOT_TOKEN

    """

    static func konnector(_ i: Int) -> String {
        let id = String(format: "k%06d", i)
        let enabled = i % 17 == 0 ? "enabled: false\n" : ""
        switch i % 8 {
        case 4: return router(id, i, enabled)
        case 5: return lineItems(id, i, enabled)
        case 6: return digest(id, i, enabled)
        case 7: return signup(id, i, enabled)
        case 0:
            return """
            konnector: \(id)
            name: "Shopify order \(i) → Mailchimp"
            description: Adds paying customers to the newsletter and tells sales.
            tags: [marketing, ecommerce, batch-\(i % 10)]
            \(enabled)trigger:
              app: shopify
              event: new_order
              connection: shopify-main
              with:
                status: paid
            when: trigger.total_price >= \(50 + i % 200) and trigger.customer.email != null
            steps:
              - id: subscribe
                app: mailchimp
                action: add_subscriber
                connection: mailchimp-main
                if: trigger.customer.accepts_marketing
                with:
                  list_id: "list\(i % 50)"
                  email: "{{ trigger.customer.email }}"
                  first_name: "{{ trigger.customer.first_name | default('friend') | title }}"
                  tags: [shopify, "{{ trigger.currency | lower }}"]
              - id: notify
                app: slack
                action: send_message
                connection: slack-main
                on_error: continue
                with:
                  channel: "#sales-\(i % 20)"
                  text: "{{ trigger.customer.email }} ordered {{ trigger.line_items | length }} items for {{ round(trigger.total_price, 2) }} {{ trigger.currency | upper }} ({{ steps.subscribe.status }})"

            """
        case 1:
            return """
            konnector: \(id)
            name: "Support mail \(i) → Slack"
            tags: [support]
            \(enabled)trigger:
              app: gmail
              event: new_email
              connection: gmail-main
            when: not trigger.from ends_with '@acme.example' and (trigger.subject contains 'order' or trigger.subject starts_with 'Re:')
            steps:
              - id: post
                app: slack
                action: send_message
                connection: slack-main
                with:
                  channel: "#support-\(i % 20)"
                  text: "*{{ trigger.subject | trim }}* from {{ trigger.from }} on {{ trigger.received_at | format_date('%B %d, %Y') }}: {{ trigger.snippet | truncate(120) }}"

            """
        case 2:
            return """
            konnector: \(id)
            name: "Stripe payment \(i) → ledger"
            tags: [finance]
            \(enabled)trigger:
              app: stripe
              event: payment_succeeded
              connection: stripe-main
            when: trigger.amount > \(i % 1000)
            steps:
              - id: ledger
                app: google_sheets
                action: add_row
                connection: sheets-main
                with:
                  spreadsheet_id: "sheet-\(i % 30)"
                  values: ["{{ trigger.id }}", "{{ trigger.amount / 100 }}", "{{ trigger.currency | upper }}", "{{ trigger.created | format_date('%Y-%m-%d') }}"]
              - id: alert
                app: slack
                action: send_message
                connection: slack-main
                if: trigger.amount >= 100000
                with:
                  channel: "#finance"
                  text: "{{ 'Big payment: ' + to_string(trigger.amount / 100) + ', row ' + to_string(steps.ledger.row_number) }}"

            """
        default:
            return """
            konnector: \(id)
            name: "Signup \(i) → HubSpot"
            tags: [crm, web]
            \(enabled)trigger:
              app: webhook
              event: catch_hook
            when: trigger.body.event == 'signup'
            steps:
              - id: contact
                app: hubspot
                action: create_contact
                connection: hubspot-main
                with:
                  email: "{{ trigger.body.email }}"
                  firstname: "{{ trigger.body.name | to_string | split(' ') | first }}"
              - id: forward
                app: webhook
                action: post
                on_error: continue
                with:
                  url: env:COLLECTOR_URL
                  body: { contact: "{{ steps.contact.id }}", seats: "{{ trigger.body.seats }}" }

            """
        }
    }

    /// Paths: VIP orders to Slack, the rest to a sheet.
    static func router(_ id: String, _ i: Int, _ enabled: String) -> String {
        """
        konnector: \(id)
        name: "Order router \(i)"
        tags: [ecommerce, flow]
        \(enabled)trigger:
          app: shopify
          event: new_order
          connection: shopify-main
        steps:
          - id: route
            mode: first
            paths:
              - id: vip
                when: trigger.total_price >= \(300 + i % 500)
                steps:
                  - id: alert-vip
                    app: slack
                    action: send_message
                    connection: slack-main
                    with:
                      channel: "#vip-\(i % 20)"
                      text: "VIP order {{ trigger.id }} for {{ round(trigger.total_price, 2) }} {{ trigger.currency }}"
              - id: everyone-else
                steps:
                  - id: log
                    app: google_sheets
                    action: add_row
                    connection: sheets-main
                    with:
                      spreadsheet_id: "orders-\(i % 30)"
                      values: ["{{ trigger.id }}", "{{ trigger.total_price }}"]
          - id: thanks
            app: slack
            action: send_message
            connection: slack-main
            if: steps.alert-vip != null
            with:
              channel: "#sales-\(i % 20)"
              text: "Routed {{ trigger.id }} by {{ steps.route.taken | join(', ') }}"

        """
    }

    /// A repeat: one sheet row per line item.
    static func lineItems(_ id: String, _ i: Int, _ enabled: String) -> String {
        """
        konnector: \(id)
        name: "Line items \(i) → Sheets"
        tags: [ecommerce, flow]
        \(enabled)trigger:
          app: shopify
          event: new_order
          connection: shopify-main
        steps:
          - id: each-item
            repeat: trigger.line_items
            as: line
            max: \(50 + i % 50)
            steps:
              - id: add-line
                app: google_sheets
                action: add_row
                connection: sheets-main
                with:
                  spreadsheet_id: "items-\(i % 30)"
                  values: ["{{ trigger.id }}", "{{ line.sku }}", "{{ line.quantity }}", "{{ line.price * line.quantity }}", "{{ loop.index }}"]
          - id: done
            app: slack
            action: send_message
            connection: slack-main
            with:
              channel: "#ops-\(i % 20)"
              text: "{{ steps.each-item.count }} lines of {{ trigger.id }} logged"

        """
    }

    /// A schedule, a delay and a retried step.
    static func digest(_ id: String, _ i: Int, _ enabled: String) -> String {
        """
        konnector: \(id)
        name: "Morning digest \(i)"
        tags: [reports, flow]
        \(enabled)trigger:
          schedule:
            cron: "\(i % 60) \(6 + i % 4) * * MON-FRI"
            timezone: Europe/Berlin
        steps:
          - id: wait
            delay: \(1 + i % 30)m
          - id: post
            app: slack
            action: send_message
            connection: slack-main
            retry: { times: \(1 + i % 5), wait: 2m }
            on_error: continue
            with:
              channel: "#digest-\(i % 20)"
              text: "Digest for {{ trigger.scheduled_at | format_date('%A %d %B') }} ({{ trigger.timezone }}), sent {{ steps.wait.resumed_at | format_date('%H:%M') }}"

        """
    }

    /// A typed webhook payload.
    static func signup(_ id: String, _ i: Int, _ enabled: String) -> String {
        """
        konnector: \(id)
        name: "Typed signup \(i) → HubSpot"
        tags: [crm, web, flow]
        \(enabled)trigger:
          app: webhook
          event: catch_hook
          payload:
            email: email
            name: string
            plan: "enum(free, pro, team)"
            seats: integer?
        when: trigger.body.plan != 'free'
        steps:
          - id: contact
            app: hubspot
            action: create_contact
            connection: hubspot-main
            retry: { times: 3, wait: 1m }
            with:
              email: "{{ trigger.body.email }}"
              firstname: "{{ trigger.body.name | split(' ') | first }}"
          - id: notify
            app: slack
            action: send_message
            connection: slack-main
            with:
              channel: "#signups-\(i % 20)"
              text: "{{ trigger.body.email }} chose {{ trigger.body.plan }} with {{ trigger.body.seats | default(1) }} seats"

        """
    }
}
