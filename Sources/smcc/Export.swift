import ArgumentParser
import CommandCenter

extension SMCC {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Print a log's events as NDJSON (the interchange form of Schemas/events/).",
            discussion: "One JSON object per line, keys in a fixed order, byte-identical to what Tools/smcc_read.py prints."
        )

        @OptionGroup var target: LogArgument

        @Option(help: "The first sequence number to print.")
        var from: UInt64 = 1

        @Option(help: "The last sequence number to print.")
        var to: UInt64 = .max

        func validate() throws {
            guard from >= 1 else { throw ValidationError("--from starts at 1") }
            guard from <= to else { throw ValidationError("--from \(from) is after --to \(to)") }
        }

        func run() throws {
            let store = try EventStore.open(at: target.log, readOnly: true)
            var output = OutputBuffer()
            try store.events(from: from, through: to) { seq, event in
                output.withBytes { InterchangeJSON.write(event, seq: seq, into: &$0) }
                output.flushIfFull()
                return true
            }
            output.flush()
        }
    }
}
