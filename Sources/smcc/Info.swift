import ArgumentParser
import CommandCenter
import EventLog
import Foundation

extension SMCC {
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Show what a log holds: events, kinds, time range, bytes on disk, head hash.",
            discussion: "The head (SEQ:HEX) is what to write down: `smcc verify LOG --head SEQ:HEX` later proves the log still holds exactly those events. --json is documented in Schemas/cli/info.schema.json."
        )

        @OptionGroup var target: LogArgument

        @Flag(help: "Print JSON (Schemas/cli/info.schema.json).")
        var json = false

        func run() throws {
            let store = try EventStore.open(at: target.log, readOnly: true)
            let info = try store.log.info()
            let counts = try store.countsByKind()
            let events = Int(info.events)
            let perEvent = { (bytes: Int) in events == 0 ? 0 : Double(bytes) / Double(events) }
            let eventsBytes = info.databases.first { $0.name == "events" }?.bytes ?? 0
            let snapshotBytes = info.databases.first { $0.name == "snap" }?.bytes ?? 0
            let indexBytes = info.databases.filter { $0.name != "events" && $0.name != "snap" }.reduce(0) { $0 + $1.bytes }
            let time = { (ms: Int64?) in ms.map { Timestamp(milliseconds: $0).rfc3339 } }
            if json {
                let document = JSONOutput.object([
                    ("log", .string(target.log)),
                    ("logId", .string(info.logId)),
                    ("events", .int(info.events)),
                    ("firstAt", time(info.firstTime).map(JSONOutput.string) ?? .null),
                    ("lastAt", time(info.lastTime).map(JSONOutput.string) ?? .null),
                    ("head", info.head.map { .string($0.description) } ?? .null),
                    ("headHash", info.head.map { .string($0.hashHex) } ?? .null),
                    ("bytesOnDisk", .int(info.bytesOnDisk)),
                    ("bytesPerEvent", .number(perEvent(info.bytesOnDisk))),
                    ("eventsBytesPerEvent", .number(perEvent(eventsBytes))),
                    ("indexBytesPerEvent", .number(perEvent(indexBytes))),
                    ("snapshotBytesPerEvent", .number(perEvent(snapshotBytes))),
                    ("countsByKind", .object(EventKind.allCases.compactMap { kind in counts[kind].map { (kind.name, .int($0)) } })),
                    ("dictionaryIds", .array(info.dictionaryIds.map { .int($0) })),
                    ("databases", .object(info.databases.map { ($0.name, .object([("entries", .int($0.entries)), ("bytes", .int($0.bytes))])) })),
                ])
                print(document.rendered, terminator: "")
                return
            }
            print("log            \(target.log) (id \(info.logId))")
            print("events         \(events.grouped)")
            if let first = time(info.firstTime), let last = time(info.lastTime) {
                print("time range     \(first) … \(last)")
            }
            print("head           \(info.head?.description ?? "none (empty log)")")
            print("bytes on disk  \(info.bytesOnDisk.grouped) (\(perEvent(info.bytesOnDisk).fixed(1)) per event)")
            print("  events       \(eventsBytes.grouped) (\(perEvent(eventsBytes).fixed(1)) per event)")
            print("  indexes      \(indexBytes.grouped) (\(perEvent(indexBytes).fixed(1)) per event)")
            print("  snapshots    \(snapshotBytes.grouped) (\(perEvent(snapshotBytes).fixed(1)) per event; a cache of projection state, rebuilt when missing)")
            print("dictionaries   \(info.dictionaryIds.isEmpty ? "none yet" : info.dictionaryIds.map(String.init).joined(separator: ", "))")
            print("kinds")
            for kind in EventKind.allCases {
                if let count = counts[kind] { print("  \(kind.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(count.grouped)") }
            }
        }
    }
}
