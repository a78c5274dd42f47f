import ArgumentParser
import CaseStudy
import CommandCenter
import EventLog
import Foundation

extension SMCC {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Write the case study of a log: key figures, figures (SVG) and their numbers (CSV), as HTML and Markdown.",
            discussion: """
                Writes DIR/index.html (one self-contained page: inline SVG, no network, prints cleanly), \
                DIR/report.md, DIR/figures/*.svg and DIR/data/*.csv (the numbers behind every figure, and \
                data/posts.csv with one row per inbound post). Figures: volume by channel, channel share, \
                first-response distribution with p50/p90 and the target, first response by hour of day, \
                triage backlog, escalations, work per volunteer and per role, hashtags with the moment each \
                emerging one was covered by a listening rule. The conversation comes first (every post, reposts \
                included: totals, posts per day and hour, a day × hour heatmap, the event's own hashtags apart \
                from the others, top accounts, mentions and posts); the desk's figures follow only when the log \
                holds desk work. --compare (repeatable) adds other editions: their figures side by side with the \
                changes, posts per event day aligned on each edition's first day, data/editions.csv. Times are \
                in the event's time zone (smcc event), else UTC, or --time-zone. The time figures draw the main \
                body of the conversation (or --from/--to); posts outside are counted and named, not drawn. \
                Figures follow Schemas/cli/stats.md. The same log gives a byte-identical report. A figure the \
                log has no data for is replaced by a sentence saying what is missing. DIR must be new, empty, \
                or a previous report, which is replaced as a whole.
                """
        )

        @OptionGroup var target: LogArgument

        @Option(help: ArgumentHelp("The report's directory.", valueName: "DIR"))
        var out: String

        @Option(help: ArgumentHelp("Another edition's log to compare with (repeat for more editions).", valueName: "OTHERLOG"))
        var compare: [String] = []

        @OptionGroup var zone: TimeZoneOption

        @Option(help: ArgumentHelp("The first local day (or RFC 3339 instant) the time figures draw.", valueName: "YYYY-MM-DD"))
        var from: String?

        @Option(help: ArgumentHelp("The last local day (or RFC 3339 instant) the time figures draw.", valueName: "YYYY-MM-DD"))
        var to: String?

        @Option(help: ArgumentHelp("The report's title (default: \"Case study: \" and the log's directory name).", valueName: "TEXT"))
        var title: String?

        @Option(name: .customLong("target"), help: "The first-response target, in seconds.")
        var targetSeconds = 900

        func validate() throws {
            guard targetSeconds > 0 else { throw ValidationError("--target must be at least 1 second") }
            guard !out.isEmpty else { throw ValidationError("--out must name a directory") }
            for (name, value) in [("--from", from), ("--to", to)] {
                if let value, EventFacts.WindowEnd(value) == nil {
                    throw ValidationError("\(name) \(value): expected a day YYYY-MM-DD or an RFC 3339 time such as 2017-03-01T09:00:00Z")
                }
            }
        }

        func run() throws {
            let options = EventFacts.Options(timeZone: zone.zone, from: from.flatMap(EventFacts.WindowEnd.init), to: to.flatMap(EventFacts.WindowEnd.init))
            let report = try Self.build(log: target.log, compare: compare, title: title, target: targetSeconds, options: options)
            try Self.write(report, to: out)
            print("report written to \(out)/index.html (also report.md, figures/, data/)")
            Self.printKeyFigures(report)
        }

        /// Replays `log` (and each log of `compare`) and builds the report. The zone and window
        /// options apply to `log`; each edition compared is read in its own zone and window.
        static func build(log: String, compare: [String], title: String?, target: Int, options: EventFacts.Options = .init()) throws -> CaseStudyReport {
            let facts = try replay(log, target: target, options: options)
            let others = try compare.map { try replay($0, target: target, options: .init()) }
            return CaseStudyReport(facts, compare: others, title: title)
        }

        static func replay(_ log: String, target: Int, options: EventFacts.Options) throws -> EventFacts {
            let store = try EventStore.open(at: log, readOnly: true)
            let head = try store.head()?.description
            defer { Console.endProgress() }
            return try EventFacts.replay(store, log: log, head: head, target: target, options: options) { done in
                Console.progress("replaying \(log): \(Int(done).grouped) events")
            }
        }

        static func write(_ report: CaseStudyReport, to directory: String) throws {
            do {
                try report.write(to: directory)
            } catch let error as CaseStudyError {
                throw Failure.badInput(error.message)
            }
        }

        static func printKeyFigures(_ report: CaseStudyReport) {
            for item in report.keyFigures.items {
                print("  \(item.label.padding(toLength: 18, withPad: " ", startingAt: 0)) \(Console.printable(item.text))")
            }
            for (figure, reason) in report.missing { print("  not drawn: \(figure): \(reason)") }
            if let command = report.keyFigures.verifyCommand { print("check the log: \(command)") }
        }
    }
}
