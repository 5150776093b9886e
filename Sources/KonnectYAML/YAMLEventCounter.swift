import CYaml

/// libyaml's bare event parse, with no nodes and no checks: the floor that
/// benchmarks measure konnect against.
public enum YAMLEventCounter {
    /// The number of events in `bytes`, or nil when libyaml rejects them.
    public static func count(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty else { return 0 }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            var n = 0
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                let done = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                n += 1
                if done { return n }
            }
        }
    }
}
