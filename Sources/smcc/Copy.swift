import ArgumentParser
import CommandCenter
import EventLog

extension SMCC {
    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy a log to a new place: from LMDB to PostgreSQL, back, or to another directory.",
            discussion: """
                Copies every stored byte of SRC as it is (the compressed chunks, the chain, the \
                indexes, the idempotency keys, the snapshots and the log's id) into a new log DST, \
                in one transaction: DST has the same sequence numbers and the same head, which \
                `smcc verify DST --head SEQ:HEX` proves with the head printed here. SRC may be \
                written meanwhile; the copy holds it as it was when the copy began. A copy that \
                fails leaves no log at DST.

                SRC and DST are each a log directory or a PostgreSQL URL, \
                postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE?log=NAME. DST must not hold a log.
                """
        )

        @Argument(help: ArgumentHelp("The log to copy (a directory or a postgresql:// URL).", valueName: "SRC"))
        var source: String

        @Argument(help: ArgumentHelp("Where the copy goes; must not hold a log yet.", valueName: "DST"))
        var destination: String

        @Flag(help: "Print the outcome as JSON (Schemas/cli/copy.schema.json).")
        var json = false

        func run() throws {
            let store = try EventStore.open(at: source, readOnly: true)
            let outcome = try store.copy(to: destination) { entries in
                Console.progress("copying: \(entries.grouped) entries")
            }
            Console.endProgress()
            if json {
                print(JSONOutput.object([
                    ("source", .string(source)), ("destination", .string(destination)), ("events", .int(outcome.events)),
                    ("entries", .int(outcome.entries)), ("head", outcome.head.map { .string($0.description) } ?? .null),
                ]).rendered, terminator: "")
            } else {
                print("copied \(Int(outcome.events).grouped) events (\(outcome.entries.grouped) entries) to \(destination)")
                print("head \(outcome.head?.description ?? "none (empty log)"): check it with `smcc verify \(destination) --head \(outcome.head?.description ?? "SEQ:HEX")`")
            }
        }
    }
}
