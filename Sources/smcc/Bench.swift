import ArgumentParser
import CommandCenter
import EventLog
import Foundation

extension SMCC {
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Measure the log on this machine: durable append, scans, decoding, bytes per event.",
            discussion: """
                Builds N realistic events (40% posts with ~100-character texts and hashtags, 60% desk \
                actions), appends them durably to a fresh log in a temporary directory in batches, then \
                copies that log's keys and values into a fresh log in one durable transaction (the \
                store's own write floor for the same bytes, no encoding, chaining, compression or \
                indexing), then times a raw cursor scan with no decoding (the read floor), a scan that \
                decompresses and reads the fields projections route on (kind, actor, post), and a full \
                decode. Rates are medians over --runs fresh logs; ratios compare each against the floor \
                measured in the same run. \
                Use a release build: `swift build -c release`.
                """
        )

        @Option(help: "Events to build and append.")
        var events = 1_000_000

        @Option(help: "Fresh logs to build and measure (the median is reported).")
        var runs = 3

        @Option(help: "Events per append transaction.")
        var batchSize = 10_000

        @Option(help: "Keep the last run's log in this directory (it must not exist yet).")
        var keep: String?

        @Option(help: "The generator's seed.")
        var seed: UInt64 = 1

        @Flag(help: "Print JSON (Schemas/cli/bench.schema.json).")
        var json = false

        func validate() throws {
            guard events > 0 else { throw ValidationError("--events must be at least 1") }
            guard runs > 0 else { throw ValidationError("--runs must be at least 1") }
            guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
        }

        func run() throws {
            Console.progress("building \(events.grouped) events")
            var generator = BenchEvents(seed: seed)
            let built = generator.make(events)
            let clock = ContinuousClock()
            var encodeRates: [Double] = []
            var records: [LogRecord] = []
            for _ in 0..<runs {
                let start = clock.now
                records = built.map(EventStore.record(for:))
                encodeRates.append(rate(events, clock.now - start))
            }
            let exportBytes = built.enumerated().reduce(into: [UInt8]()) { bytes, item in
                InterchangeJSON.write(item.element, seq: UInt64(item.offset + 1), into: &bytes)
            }.count

            // Cut before the clock starts: copying 10,000 records into a batch and freeing it
            // afterwards was a tenth of what the append was timed at, and is the caller's work.
            let batches = stride(from: 0, to: records.count, by: batchSize).map { Array(records[$0..<min($0 + batchSize, records.count)]) }
            var appendRates: [Double] = []
            var floorRates: [Double] = []
            var rawRates: [Double] = []
            var fieldRates: [Double] = []
            var fullRates: [Double] = []
            var lastInfo: LogInfo?
            let scratch = NSTemporaryDirectory() + "smcc-bench-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            for run in 0..<runs {
                let path = (run == runs - 1 ? keep : nil) ?? "\(scratch)/run\(run)"
                let store = try EventStore.create(at: path)
                var start = clock.now
                var appended = 0
                for batch in batches {
                    try store.log.append(batch)
                    appended += batch.count
                    Console.progress("run \(run + 1)/\(runs): appended \(appended.grouped)")
                }
                appendRates.append(rate(events, clock.now - start))
                Console.progress("run \(run + 1)/\(runs): copying the log's bytes (the write floor)")
                let floor = "\(scratch)/floor\(run)"
                start = clock.now
                _ = try store.log.copy(to: floor)
                floorRates.append(rate(events, clock.now - start))
                try? FileManager.default.removeItem(atPath: floor)
                Console.progress("run \(run + 1)/\(runs): scanning")
                for _ in 0..<3 {
                    start = clock.now
                    let stored = try store.log.scanStoredBytes()
                    precondition(stored.chunks > 0)
                    rawRates.append(rate(events, clock.now - start))

                    start = clock.now
                    var interner = StringInterner()
                    var routed = 0
                    try store.log.scan { record in
                        let summary = try EventCodec.peek(record.payload)
                        _ = try interner.intern(record.payload[summary.actor])
                        _ = try interner.intern(record.payload[summary.subject])
                        routed += 1
                        return true
                    }
                    precondition(routed == events)
                    fieldRates.append(rate(events, clock.now - start))
                }
                start = clock.now
                var decoded = 0
                try store.events { _, _ in
                    decoded += 1
                    return true
                }
                precondition(decoded == events)
                fullRates.append(rate(events, clock.now - start))
                lastInfo = try store.log.info()
            }
            Console.endProgress()
            guard let info = lastInfo else { return }
            let perEvent = { (bytes: Int) in Double(bytes) / Double(events) }
            let eventsBytes = info.databases.first { $0.name == "events" }?.bytes ?? 0
            let indexes = info.databases.filter { $0.name != "events" }
            let raw = median(rawRates)
            let appendToFloor = median(appendRates) / median(floorRates)
            let measured: [(String, Double)] = [
                ("appendEventsPerSecond", median(appendRates)),
                ("storeFloorEventsPerSecond", median(floorRates)),
                ("rawScanEventsPerSecond", raw),
                ("scanDecodeFieldsEventsPerSecond", median(fieldRates)),
                ("scanFullDecodeEventsPerSecond", median(fullRates)),
                ("encodeEventsPerSecond", median(encodeRates)),
            ]
            if json {
                let round2 = { (value: Double) in JSONOutput.number((value * 100).rounded() / 100) }
                var members: [(String, JSONOutput)] = [("events", .int(events)), ("runs", .int(runs)), ("batchSize", .int(batchSize))]
                for (name, value) in measured { members.append((name, .number(value.rounded()))) }
                let round3 = { (value: Double) in JSONOutput.number((value * 1000).rounded() / 1000) }
                let ratios = [("scanDecodeFieldsEventsPerSecond", fieldRates), ("scanFullDecodeEventsPerSecond", fullRates)].map { ($0.0, round3(median($0.1) / raw)) }
                members.append(("ratiosToRawScan", .object(ratios)))
                members.append(("appendRatioToStoreFloor", round3(appendToFloor)))
                members.append(("eventsBytesPerEvent", round2(perEvent(eventsBytes))))
                members.append(("indexBytesPerEvent", .object(indexes.map { ($0.name, round2(perEvent($0.bytes))) })))
                members.append(("fileBytesPerEvent", round2(perEvent(info.bytesOnDisk))))
                members.append(("exportBytesPerEvent", round2(perEvent(exportBytes))))
                members.append(("dictionaryIds", .array(info.dictionaryIds.map { .int($0) })))
                let document = JSONOutput.object(members)
                print(document.rendered, terminator: "")
                return
            }
            print("smcc bench: \(events.grouped) events, \(runs) runs, batches of \(batchSize.grouped) (medians)")
            print("  durable append           \(Int(median(appendRates)).grouped) events/s (\(appendToFloor.fixed(2)) of the write floor)")
            print("  write floor              \(Int(median(floorRates)).grouped) events/s (the same keys and values copied into a fresh log, one durable transaction)")
            print("  raw cursor scan (floor)  \(Int(raw).grouped) events/s")
            print("  scan + decompress + kind/actor/post  \(Int(median(fieldRates)).grouped) events/s (\((median(fieldRates) / raw).fixed(3)) of the floor)")
            print("  scan + full decode       \(Int(median(fullRates)).grouped) events/s (\((median(fullRates) / raw).fixed(3)) of the floor)")
            print("  encode                   \(Int(median(encodeRates)).grouped) events/s")
            print("  events database          \(perEvent(eventsBytes).fixed(1)) bytes/event (LMDB pages included)")
            for index in indexes { print("    \(index.name.padding(toLength: 10, withPad: " ", startingAt: 0))             \(perEvent(index.bytes).fixed(2)) bytes/event") }
            print("  data.mdb                 \(perEvent(info.bytesOnDisk).fixed(1)) bytes/event")
            print("  NDJSON export            \(perEvent(exportBytes).fixed(1)) bytes/event")
            print("  dictionaries             \(info.dictionaryIds.map(String.init).joined(separator: ", "))")
            if let keep { print("kept the last run's log in \(keep)") }
        }

        private func rate(_ count: Int, _ duration: Duration) -> Double {
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            return Double(count) / max(seconds, 1e-9)
        }

        private func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return 0 }
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
    }
}
