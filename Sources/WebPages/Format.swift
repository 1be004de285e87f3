import Foundation

/// Small formatting rules the pages need: dates and Russian plurals.
enum Format {
    /// `1990-03-15` as `15 марта 1990 г.` or `15 March 1990`; anything else is shown as given.
    static func date(iso: String, _ language: Language) -> String {
        let parts = iso.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day) else { return iso }
        switch language {
        case .ru:
            let months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
                          "ноября", "декабря"]
            return "\(day) \(months[month - 1]) \(year) г."
        case .en:
            let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                          "November", "December"]
            return "\(day) \(months[month - 1]) \(year)"
        }
    }

    /// An instant as `17 мая 2024 г., 14:05` or `17 May 2024, 14:05`, in Moscow time (UTC+3, no daylight saving
    /// since 2014), the service's legal time.
    static func dateTime(_ date: Date, _ language: Language) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 3 * 3600)!
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let day = String(format: "%04d-%02d-%02d", p.year!, p.month!, p.day!)
        return self.date(iso: day, language) + ", " + String(format: "%02d:%02d", p.hour!, p.minute!)
    }

    /// "5 minutes" after "in" / "через": Russian takes one of three forms by the last digits.
    static func minutes(_ count: Int, _ language: Language) -> String {
        switch language {
        case .ru: "\(count) " + russianPlural(count, one: "минуту", few: "минуты", many: "минут")
        case .en: count == 1 ? "1 minute" : "\(count) minutes"
        }
    }

    /// Same for days.
    static func days(_ count: Int, _ language: Language) -> String {
        switch language {
        case .ru: "\(count) " + russianPlural(count, one: "день", few: "дня", many: "дней")
        case .en: count == 1 ? "1 day" : "\(count) days"
        }
    }

    /// Same for seconds.
    static func seconds(_ count: Int, _ language: Language) -> String {
        switch language {
        case .ru: "\(count) " + russianPlural(count, one: "секунду", few: "секунды", many: "секунд")
        case .en: count == 1 ? "1 second" : "\(count) seconds"
        }
    }

    /// 1, 21, 31 → one; 2–4, 22–24 → few; 0, 5–20, 25–30 → many.
    static func russianPlural(_ count: Int, one: String, few: String, many: String) -> String {
        let n = abs(count) % 100
        if (11...14).contains(n) { return many }
        switch n % 10 {
        case 1: return one
        case 2...4: return few
        default: return many
        }
    }
}
