import ArgumentParser
import CaseStudy
import Foundation

extension SMCC {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulate the default conference and write its case study: the first command to run.",
            discussion: """
                Simulates the conference of `smcc simulate` (same options and defaults: three days, 25,000 \
                posts) into DIR/log, writes the report of `smcc report` into DIR/report, and prints where it \
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
            let report = try Report.build(log: log, compare: [], title: "Case study: a simulated \(simulation.days)-day conference", target: 900)
            try Report.write(report, to: reportDirectory)
            print("")
            print("report: \(reportDirectory)/index.html (open it in a browser; also report.md, figures/*.svg, data/*.csv)")
            Report.printKeyFigures(report)
        }
    }
}
