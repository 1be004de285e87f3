import Foundation
import Support

/// A configuration that passed validation, with warnings the caller should log.
public struct LoadedConfiguration: Sendable {
    /// The values, paths absolute.
    public let configuration: Configuration
    /// Things that work but should not be left so, such as development keys; log each at level warning.
    public let warnings: [String]
    /// The config file it came from, absolute.
    public let file: String
}

/// Reads the JSON config file, applies `OPENESIA_*` environment overrides and validates the result.
///
/// Order: built-in defaults, then the file, then the environment. Every problem found on the way is
/// collected and thrown together in one `ConfigurationError`, so one run shows everything to fix.
public enum ConfigurationLoader {
    /// Where `serve` and `migrate` look when `--config` is not given.
    public static let defaultFile = "data/config.json"

    /// The name of the marker file that says a keys folder holds public development keys.
    public static let developmentMarker = "DEVELOPMENT-ONLY"

    /// Loads and validates the configuration.
    /// - Parameters:
    ///   - file: the JSON file; relative paths inside it are resolved against its folder.
    ///   - environment: variables to read overrides from (pass `ProcessInfo.processInfo.environment`, or your own in tests).
    ///   - currentDirectory: what a relative `file` and relative paths in environment variables are relative to.
    /// - Throws: `ConfigurationError` listing every problem.
    public static func load(file: String, environment: [String: String],
                            currentDirectory: String = FileManager.default.currentDirectoryPath) throws(ConfigurationError) -> LoadedConfiguration {
        let file = absolute(file, against: currentDirectory)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            if !FileManager.default.fileExists(atPath: file) {
                throw ConfigurationError(code: .fileNotFound, problems: [
                    ConfigurationProblem(key: file, message: "not found; make a data folder with `openesia init --data DIR` or pass --config PATH"),
                ])
            }
            throw ConfigurationError(code: .unreadableFile, problems: [
                ConfigurationProblem(key: file, message: "cannot be read (\(describe(error)))"),
            ])
        }
        return try load(json: data, file: file, environment: environment, currentDirectory: currentDirectory)
    }

    /// Loads and validates a configuration from JSON already in memory; `file` names it in messages and anchors its relative paths.
    public static func load(json: Data, file: String, environment: [String: String],
                            currentDirectory: String = FileManager.default.currentDirectoryPath) throws(ConfigurationError) -> LoadedConfiguration {
        let file = absolute(file, against: currentDirectory)
        let folder = (file as NSString).deletingLastPathComponent
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: json)
        } catch {
            throw ConfigurationError(code: .syntax, problems: [
                ConfigurationProblem(key: file, message: "is not valid JSON: \(syntaxProblem(json) ?? describe(error))"),
            ])
        }

        var configuration = Configuration()
        var problems: [ConfigurationProblem] = []
        var setByEnvironment: [String: String] = [:]

        // Defaults for paths are relative too: they live in the data folder beside the file.
        for key in ConfigurationKey.all where key.kind == .path {
            if case .string(let path) = key.defaultValue {
                key.set(.string(resolve(path, against: folder)), in: &configuration)
            }
        }
        applyFile(root, file: file, folder: folder, to: &configuration, problems: &problems)
        applyEnvironment(environment, currentDirectory: currentDirectory, to: &configuration,
                         problems: &problems, setByEnvironment: &setByEnvironment)

        for problem in configuration.validate() {
            if let variable = setByEnvironment[problem.key] {
                problems.append(ConfigurationProblem(key: problem.key, message: problem.message + " (set by \(variable))"))
            } else {
                problems.append(problem)
            }
        }
        if !problems.isEmpty { throw ConfigurationError(code: .invalid, problems: problems) }
        return LoadedConfiguration(configuration: configuration, warnings: warnings(for: configuration), file: file)
    }

    /// Warnings about a valid configuration: development keys in use.
    static func warnings(for configuration: Configuration) -> [String] {
        let marker = (configuration.keys.directory as NSString).appendingPathComponent(developmentMarker)
        guard FileManager.default.fileExists(atPath: marker) else { return [] }
        return ["using development keys from \(configuration.keys.directory) (it holds \(developmentMarker)); "
            + "these keys are public: never use them in production"]
    }

    private static func applyFile(_ root: JSONValue, file: String, folder: String,
                                  to configuration: inout Configuration, problems: inout [ConfigurationProblem]) {
        guard case .object(let sections) = root else {
            problems.append(ConfigurationProblem(key: file, message: "must hold a JSON object with sections such as \"http\""))
            return
        }
        let knownSections = ConfigurationKey.sections
        for (section, content) in sections.sorted(by: { $0.key < $1.key }) {
            guard knownSections.contains(section) else {
                problems.append(ConfigurationProblem(key: section, message: "unknown section" + hint(section, knownSections)))
                continue
            }
            guard case .object(let entries) = content else {
                problems.append(ConfigurationProblem(key: section, message: "must be a JSON object"))
                continue
            }
            let knownNames = ConfigurationKey.all.filter { $0.section == section }.map(\.path)
            for (name, json) in entries.sorted(by: { $0.key < $1.key }) {
                let path = section + "." + name
                guard let key = ConfigurationKey.named(path) else {
                    problems.append(ConfigurationProblem(key: path, message: "unknown key" + hint(path, knownNames)))
                    continue
                }
                switch value(of: json, for: key) {
                case .success(let value): key.set(resolvedPath(value, key: key, against: folder), in: &configuration)
                case .failure(let problem): problems.append(ConfigurationProblem(key: path, message: problem.message))
                }
            }
        }
    }

    private static func applyEnvironment(_ environment: [String: String], currentDirectory: String,
                                         to configuration: inout Configuration, problems: inout [ConfigurationProblem],
                                         setByEnvironment: inout [String: String]) {
        let keysByVariable = Dictionary(uniqueKeysWithValues: ConfigurationKey.all.map { ($0.environmentVariable, $0) })
        let knownVariables = ConfigurationKey.all.map(\.environmentVariable)
        for (variable, text) in environment.sorted(by: { $0.key < $1.key }) where variable.hasPrefix(ConfigurationKey.environmentPrefix) {
            guard let key = keysByVariable[variable] else {
                problems.append(ConfigurationProblem(key: variable, message: "unknown variable" + hint(variable, knownVariables)))
                continue
            }
            switch value(of: text, for: key) {
            case .success(let value):
                key.set(resolvedPath(value, key: key, against: currentDirectory), in: &configuration)
                setByEnvironment[key.path] = variable
            case .failure(let problem):
                problems.append(ConfigurationProblem(key: variable, message: problem.message))
            }
        }
    }

    /// A JSON value checked against the key's type; choices are checked here, ranges later by `validate()`.
    private static func value(of json: JSONValue, for key: ConfigurationKey) -> Result<ConfigurationValue, Problem> {
        switch (key.kind, json) {
        case (.integer, .integer(let v)): return .success(.integer(v))
        case (.integer, .number(let v)) where v == v.rounded() && abs(v) < 1e15: return .success(.integer(Int(v)))
        case (.number, .integer(let v)): return .success(.number(Double(v)))
        case (.number, .number(let v)): return .success(.number(v))
        case (.boolean, .boolean(let v)): return .success(.boolean(v))
        case (.string, .string(let v)), (.path, .string(let v)): return .success(.string(v))
        case (.pathList, .array(let items)):
            var paths: [String] = []
            for item in items {
                guard case .string(let path) = item, !path.isEmpty else {
                    return .failure(Problem("must be an array of non-empty paths, got \(item.literal) in it"))
                }
                paths.append(path)
            }
            return .success(.paths(paths))
        case (.choice(let options), .string(let v)):
            return options.contains(v) ? .success(.string(v)) : .failure(Problem(choiceMessage(options, got: JSONText.quoted(v))))
        default: return .failure(Problem("must be \(typeName(key.kind)), got \(json.literal)"))
        }
    }

    /// An environment variable's text parsed as the key's type.
    private static func value(of text: String, for key: ConfigurationKey) -> Result<ConfigurationValue, Problem> {
        let shown = JSONText.quoted(text)
        switch key.kind {
        case .integer:
            guard let v = Int(text) else { return .failure(Problem("must be a whole number, got \(shown)")) }
            return .success(.integer(v))
        case .number:
            guard let v = Double(text), v.isFinite else { return .failure(Problem("must be a number, got \(shown)")) }
            return .success(.number(v))
        case .boolean:
            switch text {
            case "true", "1": return .success(.boolean(true))
            case "false", "0": return .success(.boolean(false))
            default: return .failure(Problem("must be true, false, 1 or 0, got \(shown)"))
            }
        case .string, .path:
            return .success(.string(text))
        case .pathList:
            return .success(.paths(text.split(separator: ":").map(String.init)))
        case .choice(let options):
            return options.contains(text) ? .success(.string(text)) : .failure(Problem(choiceMessage(options, got: shown)))
        }
    }

    private struct Problem: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    private static func resolvedPath(_ value: ConfigurationValue, key: ConfigurationKey, against folder: String) -> ConfigurationValue {
        switch (key.kind, value) {
        case (.path, .string(let path)): return .string(resolve(path, against: folder))
        case (.pathList, .paths(let paths)): return .paths(paths.map { resolve($0, against: folder) })
        default: return value
        }
    }

    /// Makes a relative path absolute; leaves empty paths (not set) and ":memory:" alone.
    static func resolve(_ path: String, against folder: String) -> String {
        if path.isEmpty || path == ":memory:" { return path }
        return absolute(path, against: folder)
    }

    private static func absolute(_ path: String, against folder: String) -> String {
        let joined = path.hasPrefix("/") ? path : (folder as NSString).appendingPathComponent(path)
        return (joined as NSString).standardizingPath
    }

    private static func typeName(_ kind: ConfigurationKey.Kind) -> String {
        switch kind {
        case .integer: "a whole number"
        case .number: "a number"
        case .boolean: "true or false"
        case .string: "a string"
        case .path: "a path (string)"
        case .pathList: "an array of paths"
        case .choice(let options): "one of " + options.joined(separator: ", ")
        }
    }

    private static func choiceMessage(_ options: [String], got shown: String) -> String {
        "must be one of \(options.joined(separator: ", ")), got \(shown)"
    }

    private static func hint(_ word: String, _ candidates: [String]) -> String {
        guard let match = Spelling.closest(to: word, among: candidates) else { return "" }
        return "; did you mean \(match)?"
    }

    /// JSONDecoder only says "not valid JSON"; JSONSerialization says where, as a byte offset, turned here into line and column.
    private static func syntaxProblem(_ json: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
            return nil
        } catch {
            guard let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String else { return nil }
            guard let range = detail.range(of: #"character \d+"#, options: .regularExpression),
                  let offset = Int(detail[range].dropFirst("character ".count)) else { return detail }
            let before = json.prefix(offset)
            let line = before.filter { $0 == 0x0A }.count + 1
            let column = before.count - (before.lastIndex(of: 0x0A).map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
            let sentence = detail.hasSuffix(".") ? String(detail.dropLast()) : detail
            return sentence + " (line \(line), column \(column))"
        }
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            if let underlying = context.underlyingError {
                let text = (underlying as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
                return text ?? "\(underlying)"
            }
            return context.debugDescription
        }
        return (error as NSError).localizedDescription
    }
}

/// Any JSON value, decoded without losing whether a number was written with a fraction.
private enum JSONValue: Decodable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let v = try? container.decode(Bool.self) { self = .boolean(v) }
        else if let v = try? container.decode(Int.self) { self = .integer(v) }
        else if let v = try? container.decode(Double.self) { self = .number(v) }
        else if let v = try? container.decode(String.self) { self = .string(v) }
        else if let v = try? container.decode([String: JSONValue].self) { self = .object(v) }
        else { self = .array(try container.decode([JSONValue].self)) }
    }

    /// A short rendering for messages.
    var literal: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string(let v): JSONText.quoted(v)
        case .integer(let v): String(v)
        case .number(let v): String(v)
        case .boolean(let v): v ? "true" : "false"
        case .null: "null"
        }
    }
}
