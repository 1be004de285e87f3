@testable import Citizens

/// The error a parser throws, or nil when it accepts the text.
func fieldError<T>(_ parse: () throws(FieldError) -> T) -> FieldError? {
    do {
        _ = try parse()
        return nil
    } catch {
        return error
    }
}

/// The failure a form parser throws, or nil when it accepts the form.
func validationFailure<T>(_ parse: () throws(ValidationFailure) -> T) -> ValidationFailure? {
    do {
        _ = try parse()
        return nil
    } catch {
        return error
    }
}

/// A date known to exist.
func date(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate {
    CalendarDate(year: year, month: month, day: day)!
}

/// A small seeded generator (SplitMix64), so generated test data is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
