import ArgumentParser
import CaseStudy
import CommandCenter
import Foundation

extension SMCC {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "Simulate the default conference and write its case study: the first command to run.",
            discussion: """
                Simulates the conference of `smcc simulate` (same options and defaults: three days, 25,000 \
                posts) into DIR/log, describes it (`smcc event`: its days, its hashtag, UTC), writes the \
                report of `smcc report` into DIR/report, and prints where it \
                is and the key figures. DIR defaults to ./smcc-demo. A DIR that is not empty must be a \
                previous demo (it holds a .smcc-demo file): its log and report are replaced; anything else is \
                refused, so a demo never overwrites your files.
                """
        )

        /// The file that marks a directory as a demo's, which a later demo may replace.
        static let marker = ".smcc-demo"

        @Argument(help: ArgumentHelp("Where to put the log and the report.", valueName: "DIR"))
        var directory = "smcc-demo"

        @OptionGroup var simulation: SimulationOptions

        /// Describes the simulated conference as `smcc event` would, dated at its last event (so the
        /// same options give the same log): its days, its own hashtag, and UTC, the zone the
        /// simulation's clock keeps (its keynote is at 09:00 UTC).
        static func describe(_ log: String, _ simulation: SimulationOptions) throws {
            let conference = simulation.conference
            let store = try EventStore.open(at: log)
            let first = CivilDate(milliseconds: conference.start.milliseconds)
            let body = EventDescribed(name: "PivotCon 2026 (simulated)", timeZone: "UTC", firstDay: first.description,
                                      lastDay: first.adding(days: Int64(max(1, conference.days) - 1)).description, hashtags: [conference.eventHashtag])
            try store.exclusively {
                guard let last = try store.lastEventTime() else { return }
                try store.append([Event(at: last, actor: "system", body: .eventDescribed(body))])
            }
            print("described \(body.name): \(body.firstDay)..\(body.lastDay) in \(body.timeZone), hashtag #\(conference.eventHashtag)")
        }

        func run() throws {
            let fm = FileManager.default
            let log = directory + "/log", reportDirectory = directory + "/report"
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: directory, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else { throw Failure.badInput("\(directory) exists and is not a directory; name another DIR for the demo") }
                let entries = try fm.contentsOfDirectory(atPath: directory)
                guard entries.isEmpty || entries.contains(Self.marker) else {
                    throw Failure.badInput("\(directory) is not empty and is not a previous smcc demo (no \(Self.marker) file); name a new or empty DIR, e.g. `smcc demo smcc-demo-2`")
                }
                // A previous demo: replace what it made, leave anything else alone.
                for made in [log, reportDirectory] where fm.fileExists(atPath: made) { try fm.removeItem(atPath: made) }
            }
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data("made by smcc demo; a later smcc demo may replace log/ and report/ here\n".utf8)
                .write(to: URL(fileURLWithPath: directory + "/" + Self.marker))
            let summary = try Simulate.simulate(into: log, simulation)
            Simulate.printSummary(summary, log: log)
            try Self.describe(log, simulation)
            let report = try Report.build(log: log, compare: [], title: "Case study: a simulated \(simulation.days)-day conference", target: 900)
            try Report.write(report, to: reportDirectory)
            print("")
            print("report: \(reportDirectory)/index.html (open it in a browser; also report.md, figures/*.svg, data/*.csv)")
            Report.printKeyFigures(report)
        }
    }
}
