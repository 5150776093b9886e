/// An expression's type, and whether its possible null was already
/// reported (so one nullable value gives one warning, not one per use).
struct TypedValue {
    var type: ValueType
    var nullReported = false

    static let unknown = TypedValue(.unknown)

    init(_ type: ValueType, nullReported: Bool = false) {
        self.type = type
        self.nullReported = nullReported
    }
}
