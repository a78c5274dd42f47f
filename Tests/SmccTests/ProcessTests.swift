import Foundation
import Testing

/// Tests that run smcc against itself over time: killed imports, readers beside a writer. They
/// measure and sleep, so they run one at a time.
@Suite(.serialized)
struct ProcessTests {
    /// Generated once per test: a log's worth before, a big file, and a few posts after.
    struct Workload {
        var before: [Interchange.Event]
        var big: [Interchange.Event]
        var after: [Interchange.Event]

        init(seed: UInt64, big count: Int) {
            var stream = EventStream(seed: seed)
            before = stream.make(37)
            big = stream.make(count)
            // Posts only: whatever part of `big` a killed import left, these are valid after it.
            after = (0..<5).map { _ in stream.next("postReceived") }
        }
    }

    static let batch = 500

    /// At least 20 times: `smcc import --batch-size 500` of a big file killed with SIGKILL after a
    /// random delay. The log must verify, hold the events before plus a whole number of batches,
    /// export a prefix of the full import, and take the next import.
    @Test func anImportKilledAtAnyMomentLeavesWholeBatches() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let workload = Workload(seed: 31, big: 16_000)
        let beforeFile = try scratch.write("before.ndjson", Interchange.text(workload.before))
        let bigFile = try scratch.write("big.ndjson", Interchange.text(workload.big, firstSeq: 38))
        let afterFile = try scratch.write("after.ndjson", Interchange.text(workload.after))
        let base = workload.before.count

        func freshLog(_ name: String) throws -> String {
            let log = scratch.child(name)
            try initLog(log, in: scratch)
            try importFiles(log, [beforeFile], in: scratch)
            return log
        }

        // One full import, timed: the delays are drawn from [0, its duration].
        let full = try freshLog("full")
        let clock = ContinuousClock()
        let start = clock.now
        try importFiles(full, [bigFile], extra: ["--batch-size", "\(Self.batch)"], in: scratch)
        let duration = clock.now - start
        let fullExport = try export(full, in: scratch)
        let expectedText = Interchange.text(workload.before) + Interchange.text(workload.big, firstSeq: base + 1)
        try #require(difference(fullExport, expectedText) == nil)
        try FileManager.default.removeItem(atPath: full)

        var random = SplitMix64(seed: 2024)
        let nanoseconds = Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
        var killed = 0
        var partial = 0
        var seen: Set<Int> = []
        for round in 0..<20 {
            let log = try freshLog("round\(round)")
            defer { try? FileManager.default.removeItem(atPath: log) }
            let delay = nanoseconds * Double(random.below(1_000)) / 1_000
            let child = try startSmcc(["import", log, bigFile, "--batch-size", "\(Self.batch)"], in: scratch)
            Thread.sleep(forTimeInterval: delay / 1e9)
            child.kill(SIGKILL)
            let ended = child.wait()
            if ended.signaled {
                killed += 1
                #expect(ended.status == SIGKILL, "round \(round): \(ended)")
            } else {
                #expect(ended.exited(0), "round \(round): an import that was not killed must succeed: \(ended)")
            }

            let verified = try runSmcc(["verify", log], in: scratch)
            #expect(verified.exited(0), "round \(round) (killed after \(Int(delay / 1e6)) ms): \(verified)")
            let events = try info(log, in: scratch).events
            #expect(events >= base && (events - base) % Self.batch == 0,
                    "round \(round): \(events) events is not \(base) + a whole number of batches of \(Self.batch)")
            let exported = try export(log, in: scratch)
            #expect(isLinePrefix(exported, of: fullExport), "round \(round): the export is not a prefix of the full import")
            #expect(lineCount(exported) == events)
            if events > base && events < base + workload.big.count { partial += 1 }
            seen.insert(events)

            // Running the killed import again completes it (its progress mark is in the log, in the
            // same transactions as its batches), leaving exactly the full import: nothing twice.
            let resumed = try runSmcc(["import", log, bigFile, "--batch-size", "\(Self.batch)"], in: scratch)
            #expect(resumed.exited(0), "round \(round): resuming the import: \(resumed)")
            #expect(difference(try export(log, in: scratch), fullExport) == nil, "round \(round): the resumed import differs")

            // The log takes the next import (no stale lock left by the killed writer).
            let next = try runSmcc(["import", log, afterFile], in: scratch)
            #expect(next.exited(0), "round \(round): import after the kill: \(next)")
            #expect(try info(log, in: scratch).events == base + workload.big.count + workload.after.count)
            let again = try runSmcc(["verify", log], in: scratch)
            #expect(again.exited(0), "round \(round): \(again)")
        }
        #expect(killed >= 10, "only \(killed) of 20 imports were still running when killed: the delays are off")
        #expect(partial >= 1, "no kill landed mid-import (counts seen: \(seen.sorted())): the test proved nothing about batches")
    }

    /// While `smcc import` appends a big file, `smcc export`, `smcc_read.py` and both verifiers run
    /// beside it; each succeeds and sees a consistent snapshot: a prefix of the final export.
    @Test func readersBesideAWriterSeeConsistentSnapshots() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try requirePython(in: scratch)
        let workload = Workload(seed: 32, big: 20_000)
        let beforeFile = try scratch.write("before.ndjson", Interchange.text(workload.before))
        let bigFile = try scratch.write("big.ndjson", Interchange.text(workload.big, firstSeq: 38))
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        try importFiles(log, [beforeFile], in: scratch)

        let writer = try startSmcc(["import", log, bigFile, "--batch-size", "\(Self.batch)"], in: scratch)
        var snapshots: [(String, RunResult)] = []
        var duringWrite = 0
        var round = 0
        while writer.process.isRunning || round < 4 {
            if writer.process.isRunning { duringWrite += 1 }
            let result: RunResult
            let name: String
            switch round % 4 {
            case 0: name = "smcc export"; result = try runSmcc(["export", log], in: scratch)
            case 1: name = "smcc_read.py"; result = try runPython([Paths.reader, log], in: scratch)
            case 2: name = "smcc verify"; result = try runSmcc(["verify", log], in: scratch)
            default: name = "smcc_read.py --verify"; result = try runPython([Paths.reader, log, "--verify"], in: scratch)
            }
            snapshots.append((name, result))
            round += 1
            if round >= 40 { break }
        }
        let written = writer.wait()
        try #require(written.exited(0), "the import beside the readers failed: \(written)")
        let final = try export(log, in: scratch)
        #expect(difference(final, Interchange.text(workload.before) + Interchange.text(workload.big, firstSeq: 38)) == nil)
        #expect(duringWrite >= 1, "no reader ran while the import did")

        var sizes: [Int] = []
        for (index, (name, result)) in snapshots.enumerated() {
            #expect(result.exited(0), "reader \(index) (\(name)): \(result)")
            if name.contains("verify") {
                #expect(result.stdout.hasPrefix("verify: OK, "), "reader \(index) (\(name)): \(result)")
                let events = Int(result.stdout.dropFirst("verify: OK, ".count).prefix { $0.isNumber }) ?? -1
                #expect(events >= 37 && (events - 37) % Self.batch == 0, "reader \(index) (\(name)) saw \(events) events, not whole batches")
            } else {
                #expect(isLinePrefix(result.stdoutData, of: final), "reader \(index) (\(name)) printed something that is not a prefix of the final export")
                sizes.append(lineCount(result.stdoutData))
            }
        }
        #expect(sizes == sizes.sorted(), "snapshots went backwards: \(sizes)")
    }
}

/// Two imports into one log at the same time (two terminals, two cron jobs): each is all or nothing.
extension ProcessTests {
    /// `postReceived` events, one per `step` ms from `start`, with post ids from `firstId`.
    static func posts(_ count: Int, start: Int64, step: Int64, firstId: Int) -> String {
        var stream = EventStream(seed: UInt64(firstId))
        var events: [Interchange.Event] = []
        for index in 0..<count {
            var event = stream.next("postReceived").setting("post", .string("twitter:\(firstId + index)"))
            event.at = start + Int64(index) * step
            // Posted when received: the stream's own postedAt follows its own clock, not this one.
            event = event.setting("postedAt", .string(Interchange.rfc3339(event.at)))
            events.append(event)
        }
        return Interchange.text(events)
    }

    /// A long import B (20,000 posts, batches of 100) is under way when a short import A (10 posts,
    /// timed in the middle of B's range) runs to completion. B can then no longer append its later
    /// batches (they would go back in time): it must fail having appended nothing, or hold A off —
    /// never leave part of itself in the log.
    @Test func aConcurrentImportNeverLeavesHalfAnotherImport() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let start: Int64 = 1_435_032_589_000
        let long = try scratch.write("long.ndjson", Self.posts(20_000, start: start, step: 1000, firstId: 1))
        let short = try scratch.write("short.ndjson", Self.posts(10, start: start + 15_000_000, step: 1, firstId: 100_000))
        let log = scratch.child("log")
        try initLog(log, in: scratch)

        let writer = try startSmcc(["import", log, long, "--batch-size", "100"], in: scratch)
        // Wait until B has appended something (it is past its checking pass), then run A.
        var appendedByLong = 0
        let deadline = Date().addingTimeInterval(30)
        while appendedByLong == 0 && writer.process.isRunning && Date() < deadline {
            appendedByLong = try info(log, in: scratch).events
            if appendedByLong == 0 { Thread.sleep(forTimeInterval: 0.02) }
        }
        let shortResult = try runSmcc(["import", log, short], in: scratch)
        let longResult = writer.wait()
        try #require(appendedByLong > 0 && appendedByLong < 20_000, "the long import was not caught mid-way (\(appendedByLong) events)")

        let information = try info(log, in: scratch)
        let exported = String(decoding: try export(log, in: scratch), as: UTF8.self)
        let fromLong = lines(exported).filter { line in
            guard let range = line.range(of: "\"post\":\"twitter:") else { return false }
            return (Int(line[range.upperBound...].prefix { $0.isNumber }) ?? 0) < 100_000
        }.count
        let fromShort = information.events - fromLong
        #expect(fromLong == 0 || fromLong == 20_000,
                "the long import \(longResult.exited(0) ? "succeeded" : "failed (\(longResult.stderr.trimmingCharacters(in: .newlines)))") but left \(fromLong) of its 20,000 events in the log")
        #expect(longResult.exited(0) == (fromLong == 20_000), "long import: \(longResult)")
        #expect(shortResult.exited(0) == (fromShort == 10), "short import: \(shortResult)")
        let verified = try runSmcc(["verify", log], in: scratch)
        #expect(verified.exited(0), "\(verified)")
    }
}
