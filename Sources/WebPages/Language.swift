/// The interface languages.
public enum Language: String, Sendable, CaseIterable {
    case ru, en

    /// The language's name in itself, for the language switch: a reader looks for their own language.
    public var nativeName: String {
        switch self {
        case .ru: "Русский"
        case .en: "English"
        }
    }
}
