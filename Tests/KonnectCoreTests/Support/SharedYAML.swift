// YAML that several test files' inline projects share, spelled once here.

/// Pieces of the small `shop` app schemas that FlowRetryTests and
/// TestSuiteSampleTests write, each with its own triggers and actions.
enum ShopSchemaYAML {
    /// `app: shop`, `name: Shop`, `auth: none`, and `types:`.
    static let head = "app: shop\nname: Shop\nauth: none\ntypes:\n"
    /// The type `Item`: `sku: string`, `qty: integer`.
    static let itemType = "  Item:\n    sku: string\n    qty: integer\n"
    /// The start of the action `log`: its name and its one input, `text: string`.
    static let logAction = "  log:\n    name: Log\n    input:\n      text: string\n"
}

/// Steps that the flow tests of several files share.
enum FlowStepsYAML {
    /// A repeat `outer` over `trigger.items` whose first step is a repeat
    /// `inner` over `trigger.tags`, up to `inner`'s `steps:` (no line break
    /// after it): written on a line of its own in a konnector's `steps:`,
    /// `inner`'s steps follow at ten spaces.
    static let nestedRepeats = """
      - id: outer
        repeat: trigger.items
        steps:
          - id: inner
            repeat: trigger.tags
            steps:
    """
}

/// Konnector lines that the fixtures of several test files share. Each is
/// written on a line of its own inside a konnector's text (it has no line
/// break at its end); the lines that differ follow it.
enum KonnectorYAML {
    /// The step `notify`: a slack message to `#sales` through `slack-sales`,
    /// up to its `channel:` (the `text:` and any other entries follow).
    static let notifySales = """
      - id: notify
        app: slack
        action: send_message
        connection: slack-sales
        with:
          channel: "#sales"
    """

    /// The step `subscribe`: mailchimp's `add_subscriber` through
    /// `mailchimp-main`, if the customer accepts marketing (its `with:` follows).
    static let subscribe = """
      - id: subscribe
        app: mailchimp
        action: add_subscriber
        connection: mailchimp-main
        if: trigger.customer.accepts_marketing
    """

    /// hook-forward's webhook trigger (with its secret) and its step
    /// `forward`, up to the `url:` (the `headers:` follow).
    static let hookForward = """
    trigger:
      app: webhook
      event: catch_hook
      with:
        secret: hunter2-trigger-secret
    steps:
      - id: forward
        app: webhook
        action: post
        with:
          url: https://hooks.example/in?token=tok-123456
    """
}
