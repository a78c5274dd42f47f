import ArgumentParser
import CaseStudy
import CommandCenter
import EventLog
import Foundation

extension SMCC {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the case study of a log: key figures, figures (SVG) and their numbers (CSV), as HTML and Markdown.",
            discussion: """
                Writes DIR/index.html (one self-contained page: inline SVG, no network, prints cleanly), \
                DIR/report.md, DIR/figures/*.svg and DIR/data/*.csv (the numbers behind every figure, and \
                data/posts.csv with one row per inbound post). Figures: volume by channel, channel share, \
                first-response distribution with p50/p90 and the target, first response by hour of day, \
                triage backlog, escalations, work per volunteer and per role, hashtags with the moment each \
                emerging one was covered by a listening rule. --compare adds this event against another \
                one. Figures follow Schemas/cli/stats.md; times are UTC. The same log gives a byte-identical \
                report. A figure the log has no data for (one channel, no replies, no volunteers) is replaced \
                by a sentence saying what is missing. DIR must be new, empty, or a previous report, which is \
                replaced as a whole.
                """
        )

        @OptionGroup var target: LogArgument

        @Option(help: ArgumentHelp("The report's directory.", valueName: "DIR"))
        var out: String

        @Option(help: ArgumentHelp("Another log to compare with (last year's edition).", valueName: "OTHERLOG"))
        var compare: String?

        @Option(help: ArgumentHelp("The report's title (default: \"Case study: \" and the log's directory name).", valueName: "TEXT"))
        var title: String?

        @Option(name: .customLong("target"), help: "The first-response target, in seconds.")
        var targetSeconds = 900

        func validate() throws {
            guard targetSeconds > 0 else { throw ValidationError("--target must be at least 1 second") }
            guard !out.isEmpty else { throw ValidationError("--out must name a directory") }
        }

        func run() throws {
            let report = try Self.build(log: target.log, compare: compare, title: title, target: targetSeconds)
            try Self.write(report, to: out)
            print("report written to \(out)/index.html (also report.md, figures/, data/)")
            Self.printKeyFigures(report)
        }

        /// Replays `log` (and `compare`) and builds the report.
        static func build(log: String, compare: String?, title: String?, target: Int) throws -> CaseStudyReport {
            let facts = try replay(log, target: target)
            let other = try compare.map { try replay($0, target: target) }
            return CaseStudyReport(facts, compare: other, title: title)
        }

        static func replay(_ log: String, target: Int) throws -> EventFacts {
            let store = try EventStore.open(at: log, readOnly: true)
            let head = try store.log.head()?.description
            defer { Console.endProgress() }
            return try EventFacts.replay(store, log: log, head: head, target: target) { done in
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
                print("  \(item.label.padding(toLength: 18, withPad: " ", startingAt: 0)) \(item.text)")
            }
            for (figure, reason) in report.missing { print("  not drawn: \(figure): \(reason)") }
            if let command = report.keyFigures.verifyCommand { print("check the log: \(command)") }
        }
    }
}
