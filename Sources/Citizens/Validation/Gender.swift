/// A person's gender as recorded in the passport.
public enum Gender: String, Sendable, Hashable, CaseIterable {
    /// Male (мужской).
    case male
    /// Female (женский).
    case female

    /// Parses `male`/`female`, `M`/`F` or Russian `м`/`ж`, in any case, surrounding spaces ignored.
    public init(parsing text: String, field: String = FieldName.gender) throws(FieldError) {
        switch TextRules.trimmed(text).lowercased() {
        case "": throw FieldError(field: field, code: .required)
        case "male", "m", "м": self = .male
        case "female", "f", "ж": self = .female
        default: throw FieldError(field: field, code: .invalidFormat)
        }
    }

    /// `M` or `F`, as ESIA's person JSON has it.
    public var esiaCode: String {
        switch self {
        case .male: return "M"
        case .female: return "F"
        }
    }
}
