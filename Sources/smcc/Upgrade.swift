import ArgumentParser
import CommandCenter
import EventLog

extension SMCC {
    struct Upgrade: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "upgrade",
            abstract: "Rewrite a log of the previous format (smcc-log 1) in this one (smcc-log 2).",
            discussion: """
                Format 2 keeps each event's personal fields beside it, under a salted commitment, so \
                that they can be erased without breaking the chain. The upgrade checks the old log's \
                chain first (and --head, if given), writes every event again in the new format — with \
                new salts, so a new chain and a new head — and appends a logUpgraded event that \
                records the old head. Sequence numbers, times, indexes and idempotency keys stay. \
                A crash leaves the old log or the upgraded one. Write down the new head it prints.
                """
        )

        @OptionGroup var target: LogArgument

        @Option(help: ArgumentHelp("A head of the old log written down earlier: it must still verify.", valueName: "SEQ:HEX"))
        var head: String?

        func validate() throws {
            if let head, LogHead(parsing: head) == nil {
                throw ValidationError("--head must be SEQ:HEX (a sequence number, a colon, 64 hex digits), got '\(head)'")
            }
        }

        func run() throws {
            let lock = try EventLog.takeWriterLock(of: target.log)
            defer { withExtendedLifetime(lock) {} }
            let outcome = try EventStore.upgrade(at: target.log, expectedHead: head.flatMap(LogHead.init(parsing:)))
            print("upgraded \(target.log) to smcc-log 2: \(Int(outcome.events).grouped) events (the last, logUpgraded, records the old head \(outcome.previousHead?.description ?? "none"))")
            print("new head \(outcome.head?.description ?? "none"): write it down; `smcc verify \(target.log) --head` proves it later")
        }
    }
}
