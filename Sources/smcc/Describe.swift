import ArgumentParser
import CommandCenter
import Foundation

extension SMCC {
    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "event",
            abstract: "Describe the event the log is about: its name, time zone, days and hashtags (or print the description).",
            discussion: """
                Appends an eventDescribed event: the case study (`smcc report`) and `smcc stats` then read every \
                time in the event's time zone, number its days from its first day (day 1), and keep its own \
                hashtags apart from the others. Describe it again to correct it: the last description counts. \
                Without options, prints the description in force (or that there is none).

                The log keeps its events in time order and an import refuses posts dated before the log's last \
                event, so describe the event after importing its archives (or give --at a time before them). \
                The recipe for a real archive: smcc init LOG; smcc import LOG tweets.csv; smcc event LOG --name \
                "NICAR 2017" --time-zone America/New_York --days 2017-03-02..2017-03-05 --hashtag nicar17; \
                smcc report LOG --out report.
                """
        )

        @OptionGroup var target: LogArgument

        @Option(help: "The event's name, as the report titles it (\"NICAR 2017\").")
        var name: String?

        @Option(name: .customLong("time-zone"), help: ArgumentHelp("The venue's time zone, an IANA name (America/New_York, Europe/Paris).", valueName: "AREA/CITY"))
        var timeZone: String?

        @Option(help: ArgumentHelp("The event's days, local: FIRST..LAST or one day.", valueName: "YYYY-MM-DD..YYYY-MM-DD"))
        var days: String?

        @Option(name: .customLong("hashtag"), help: ArgumentHelp("One of the event's own hashtags (repeat for more; with or without #).", valueName: "TAG"))
        var hashtags: [String] = []

        @Option(help: "Where it takes place.")
        var venue: String?

        @Option(help: ArgumentHelp("When the description is dated (RFC 3339); default now, or the log's last event if later. A time before an archive lets it be imported after.", valueName: "TIME"))
        var at: String?

        @Option(help: "Who describes it (the event's actor).")
        var by = "system"

        @Flag(help: "Print the description in force as JSON (the eventDescribed fields, or null).")
        var json = false

        var describing: Bool { name != nil || timeZone != nil || days != nil || !hashtags.isEmpty || venue != nil }

        func validate() throws {
            guard describing else { return }
            guard let name, !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--name: give the event's name") }
            guard let timeZone else { throw ValidationError("--time-zone: give the venue's time zone, an IANA name such as America/New_York") }
            guard LocalZone(identifier: timeZone) != nil else {
                throw ValidationError("--time-zone \(timeZone): not a time zone of this system's tz database; use an IANA name such as America/New_York")
            }
            guard let days else { throw ValidationError("--days: give the event's days, FIRST..LAST (YYYY-MM-DD..YYYY-MM-DD)") }
            _ = try Self.days(days)
            _ = try Self.hashtags(hashtags)
            if let at, Timestamp(rfc3339: at) == nil { throw ValidationError("--at must be an RFC 3339 time such as 2017-03-01T00:00:00Z, got '\(at)'") }
            guard !by.isEmpty else { throw ValidationError("--by must not be empty") }
        }

        /// `FIRST..LAST` or one day, both real dates, the first not after the last.
        static func days(_ text: String) throws -> (CivilDate, CivilDate) {
            let parts = text.components(separatedBy: "..")
            guard (1...2).contains(parts.count), let first = CivilDate(parts[0]), let last = CivilDate(parts[parts.count - 1]) else {
                throw ValidationError("--days \(text): expected FIRST..LAST as YYYY-MM-DD..YYYY-MM-DD (or one YYYY-MM-DD), dates that exist")
            }
            guard first <= last else { throw ValidationError("--days \(text): the last day is before the first") }
            guard last.dayNumber - first.dayNumber < 366 else { throw ValidationError("--days \(text): an event of more than a year; give its own days") }
            return (first, last)
        }

        /// Lowercase, without `#`, each once, in the order given.
        static func hashtags(_ tags: [String]) throws -> [String] {
            var result: [String] = []
            for tag in tags {
                let clean = (tag.hasPrefix("#") ? String(tag.dropFirst()) : tag).lowercased()
                guard !clean.isEmpty, !clean.contains(where: { $0.isWhitespace || $0 == "#" }) else {
                    throw ValidationError("--hashtag '\(tag)': a hashtag is one word, with or without a leading #")
                }
                if !result.contains(clean) { result.append(clean) }
            }
            return result
        }

        func run() throws {
            guard describing else { return try show() }
            let (first, last) = try Self.days(days!)
            let body = EventDescribed(name: name!.trimmingCharacters(in: .whitespaces), timeZone: timeZone!, firstDay: first.description,
                                      lastDay: last.description, hashtags: try Self.hashtags(hashtags), venue: venue)
            let store = try EventStore.open(at: target.log)
            let appended = try store.exclusively { () throws -> Event in
                let lastTime = try store.lastEventTime()
                let when = at.flatMap(Timestamp.init(rfc3339:)) ?? max(.now, lastTime ?? .now)
                if let lastTime, when < lastTime {
                    throw Failure.badInput("--at \(when) is before the log's last event (\(lastTime)); the log keeps time order")
                }
                // The rules every door applies: a date far ahead would bend every later event's
                // time (time never goes back in a log), an empty venue breaks the field's rule.
                if let problem = when.tooFarAhead() { throw Failure.badInput("--at: \(problem)") }
                let event = Event(at: when, actor: by, body: .eventDescribed(body))
                if let problem = event.fieldProblem() { throw Failure.badInput("\(Self.option(problem.field)): \(problem.message)") }
                try store.append([event])
                return event
            }
            print("described \(body.name): \(body.firstDay)..\(body.lastDay) in \(body.timeZone)"
                  + (body.hashtags.isEmpty ? "" : ", hashtags " + body.hashtags.map { "#" + $0 }.joined(separator: " "))
                  + (body.venue.map { ", \($0)" } ?? "") + " (at \(appended.at))")
        }

        /// The option that sets an `eventDescribed` field (or the event's actor).
        static func option(_ field: String) -> String {
            switch field {
            case "actor": "--by"
            case "timeZone": "--time-zone"
            case "firstDay", "lastDay": "--days"
            case "hashtags": "--hashtag"
            default: "--" + field
            }
        }

        /// Prints the description in force.
        private func show() throws {
            let store = try EventStore.open(at: target.log, readOnly: true)
            var described: (EventDescribed, Timestamp)?
            try store.events { _, event in
                if case .eventDescribed(let body) = event.body { described = (body, event.at) }
                return true
            }
            if json {
                guard let (d, at) = described else { return print("null") }
                let document = JSONOutput.object([
                    ("name", .string(d.name)), ("timeZone", .string(d.timeZone)), ("firstDay", .string(d.firstDay)), ("lastDay", .string(d.lastDay)),
                    ("hashtags", .array(d.hashtags.map(JSONOutput.string))), ("venue", d.venue.map(JSONOutput.string) ?? .null), ("at", .string(at.rfc3339)),
                ])
                return print(document.rendered, terminator: "")
            }
            guard let (d, at) = described else {
                return print("no event described in \(target.log); describe it with: smcc event \(target.log) --name NAME --time-zone AREA/CITY --days FIRST..LAST --hashtag TAG")
            }
            print(Console.printable("\(d.name): \(d.firstDay)..\(d.lastDay) in \(d.timeZone)" + (d.hashtags.isEmpty ? "" : ", hashtags " + d.hashtags.map { "#" + $0 }.joined(separator: " "))
                  + (d.venue.map { ", \($0)" } ?? "") + " (described at \(at))"))
        }
    }
}

/// `--time-zone ZONE`: read the log's times in this zone rather than the event's.
struct TimeZoneOption: ParsableArguments {
    @Option(name: .customLong("time-zone"), help: ArgumentHelp("Read local times in this IANA time zone instead of the event's (default: the event's, else UTC).", valueName: "AREA/CITY"))
    var timeZone: String?

    var zone: LocalZone? { timeZone.flatMap(LocalZone.init(identifier:)) }

    func validate() throws {
        if let timeZone, LocalZone(identifier: timeZone) == nil {
            throw ValidationError("--time-zone \(timeZone): not a time zone of this system's tz database; use an IANA name such as America/New_York")
        }
    }
}
