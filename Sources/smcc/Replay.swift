import ArgumentParser
import CommandCenter

extension SMCC {
    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract: "Replay a log into every projection and print the retrospective of the event.",
            discussion: "How many posts, on which channels, how fast the team answered, where it fell behind, which hashtags emerged and how fast the listening adapted, who carried the load. --until stops at an instant."
        )

        @OptionGroup var target: LogArgument
        @OptionGroup var snapshots: SnapshotOption

        @Option(help: ArgumentHelp("Replay only the events up to this instant (RFC 3339).", valueName: "TIME"))
        var until: String?

        func validate() throws {
            if let until, Timestamp(rfc3339: until) == nil {
                throw ValidationError("--until must be an RFC 3339 time such as 2026-06-03T14:05:00Z, got '\(until)'")
            }
        }

        func run() throws {
            let store = try snapshots.open(target.log)
            var time = AtOption()
            time.at = until
            let result = try time.replay(store, snapshots: snapshots.policy)
            let report = result.statistics.report(by: [.role, .hour])
            print("retrospective of \(target.log) (\(Int(result.lastSeq).grouped) events replayed)")
            print(SMCC.Stats.text(report, target: result.statistics.target), terminator: "")
            if let busiest = report.volume.perHour.max(by: { $0.total < $1.total }) {
                print("busiest hour       \(busiest.start) with \(busiest.total.grouped) posts")
            }
            for emerging in report.hashtags.emerging {
                let pickedUp = emerging.secondsToRule.map { "a listening rule after \(($0 / 60).fixed(1)) min" } ?? "no listening rule"
                print("emerging           #\(emerging.tag) at \(emerging.emergedAt): \(pickedUp)")
            }
            let desk = result.desk.queuesDocument(limit: 0)
            print("left at the end    \(desk.counts.triage.grouped) in triage, \(desk.counts.escalations.grouped) escalations open, \(desk.counts.assigned.grouped) assigned")
            let workload = report.workload.volunteers.sorted { ($0.value.replies, $1.key) > ($1.value.replies, $0.key) }.prefix(5)
            if !workload.isEmpty {
                print("most replies       \(workload.map { "\($0.key) \($0.value.replies.grouped)" }.joined(separator: ", "))")
            }
        }
    }
}
