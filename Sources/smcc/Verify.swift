import ArgumentParser
import CommandCenter
import EventLog

extension SMCC {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check a log's hash chain and every event; exit 1 naming the first bad sequence number.",
            discussion: """
                Recomputes the SHA-256 chain over every record, checks each record's tag, the stored \
                checkpoints and head, and that every event decodes. With --head SEQ:HEX (as printed by \
                `smcc info` earlier), also proves the log still holds that record with that hash, so a \
                log cut short or rewritten from some point on is caught.

                What the chain does not cover is rebuilt from the events and compared: the indexes \
                (post, actor, volunteer, role: what audit reads), the time index, and every projection \
                snapshot a query would use (what `--at` and `stats` start from).
                """
        )

        @OptionGroup var target: LogArgument

        @Option(help: ArgumentHelp("A head printed earlier by `smcc info`.", valueName: "SEQ:HEX"))
        var head: String?

        @Flag(help: "After the checks, delete the log's projection snapshots (a cache: the next query rebuilds them).")
        var dropSnapshots = false

        func validate() throws {
            if let head, LogHead(parsing: head) == nil {
                throw ValidationError("--head must be SEQ:HEX (a sequence number, a colon, 64 hex digits), got '\(head)'")
            }
        }

        func run() throws {
            let store = try EventStore.open(at: target.log, readOnly: !dropSnapshots)
            let report = try store.verify(expectedHead: head.flatMap(LogHead.init(parsing:)))
            var failure = report.failure
            var snapshots: SnapshotCheck?
            if failure == nil {
                snapshots = try store.verifySnapshots()
                failure = snapshots?.failure
            }
            if dropSnapshots {
                let dropped = try store.dropSnapshots()
                print("verify: dropped \(dropped) snapshots")
            }
            if let failure {
                print("verify: FAILED at seq \(failure.seq): \(failure.reason)")
                throw Failure(exitCode: 1, message: "\(target.log) failed verification at seq \(failure.seq)")
            }
            let checked = snapshots?.checked.values.reduce(0, +) ?? 0
            print("verify: OK, \(report.events) events, head \(report.head?.description ?? "none")")
            print("verify: the indexes and \(checked) projection snapshots, rebuilt from the events, are equal to the stored ones")
        }
    }
}
