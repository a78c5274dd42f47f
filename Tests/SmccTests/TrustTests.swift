@testable import CommandCenter
import EventLog
import Foundation
import Testing

/// The writer's lock, the log's clock, resumed archive imports and the log's file modes.
@Suite(.serialized)
struct TrustTests {
    /// The lock is on the log's directory: nothing inside it can be deleted to let a second
    /// writer in (deleting `LOG/writer.lock` let a second `smcc serve` start and accept the same
    /// claim as the first).
    @Test func aSecondWriterIsRefusedWhateverIsDeleted() throws {
        let scratch = Scratch()
        let (log, _) = try logWithCoordinator(in: scratch)
        let server = try RunningServer(log: log, in: scratch)
        for name in (try FileManager.default.contentsOfDirectory(atPath: log)) where !["data.mdb", "lock.mdb", "tokens"].contains(name) {
            try FileManager.default.removeItem(atPath: log + "/" + name)
        }
        let second = try runSmcc(["serve", log, "--port", "0"], in: scratch)
        #expect(second.exited(2), "a second server started on the same log: \(second)")
        #expect(second.stderr.contains("another smcc process is writing"), "\(second)")
        var stream = EventStream(seed: 5, start: Timestamp.now.milliseconds + 1_000)
        let file = try scratch.write("posts.ndjson", Interchange.text(stream.make(3)))
        let importing = try runSmcc(["import", log, file], in: scratch)
        #expect(importing.exited(2) && importing.stderr.contains("another smcc process is writing"), "\(importing)")
        #expect(server.stop().exited(0))
        let after = try runSmcc(["import", log, file], in: scratch)
        #expect(after.exited(0), "the lock outlived its server: \(after)")
    }

    /// A log whose last event is dated in the future (written before imports refused such times)
    /// is not served: every live event would be dated after it.
    @Test func aLogDatedInTheFutureIsNotServed() throws {
        let scratch = Scratch()
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        let store = try EventStore.open(at: log)
        let future = Timestamp(milliseconds: 253_402_300_799_000)
        try store.append([Event(at: future, actor: "system", body: .listeningRuleAdded(ListeningRuleAdded(rule: "#x")))])
        let served = try runSmcc(["serve", log, "--port", "0"], in: scratch)
        #expect(served.exited(2), "\(served)")
        #expect(served.stderr.contains("9999-12-31T23:59:59.000Z") && served.stderr.contains("in the future"), "\(served)")
    }

    /// A log's files are its owner's alone: they hold people's posts and the desk's notes.
    @Test func aNewLogIsReadableByItsOwnerOnly() throws {
        let scratch = Scratch()
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        for (path, mode) in [(log, 0o700), (log + "/data.mdb", 0o600), (log + "/lock.mdb", 0o600)] {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o077 } == 0, "\(path) is readable by others: \(String((attributes[.posixPermissions] as? Int) ?? -1, radix: 8)), want \(String(mode, radix: 8))")
        }
    }

    /// Clear one-line errors for what is not an import file or not a log.
    @Test func aDirectoryOrAnEmptyDataFileGetsAClearError() throws {
        let scratch = Scratch()
        let log = scratch.child("log")
        try initLog(log, in: scratch)
        let directory = try runSmcc(["import", log, "."], in: scratch)
        #expect(directory.exited(2) && directory.stderr.contains(". is a directory"), "\(directory)")
        #expect(!directory.stderr.contains("NSCocoaErrorDomain"), "\(directory)")
        let empty = scratch.child("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: empty + "/data.mdb", contents: Data())
        var stream = EventStream(seed: 5)
        let file = try scratch.write("posts.ndjson", Interchange.text(stream.make(3)))
        for command in [["info", empty], ["verify", empty], ["import", empty, file]] {
            let result = try runSmcc(command, in: scratch)
            #expect(result.exited(2) && result.stderr.contains("data.mdb is empty (0 bytes)"), "\(command): \(result)")
        }
        let size = try FileManager.default.attributesOfItem(atPath: empty + "/data.mdb")[.size] as? Int
        #expect(size == 0, "opening an empty data.mdb wrote into it")
    }

    /// An archive import killed at any moment resumes where it stopped: it records its progress
    /// with each batch (as NDJSON imports do), so a re-run appends the rest and nothing twice, and
    /// says how much the first run had appended.
    ///
    /// The kills are aimed at the appends: most of an import of a small file is process start and
    /// the first pass, and a kill timed from the start alone once missed the appends in all eight
    /// rounds. So each round waits for the log's first event, watched through a read-only handle,
    /// and kills at once (round 0) or at a random point of the append window the whole import showed.
    @Test func aKilledArchiveImportResumesFromItsMark() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let file = Paths.repository.appendingPathComponent("Tests/Fixtures/conference-srccon2015-tweets.csv").path
        let arguments = ["--team", "srccon", "--batch-size", "5"]
        let full = scratch.child("full")
        try initLog(full, in: scratch)
        let clock = ContinuousClock()
        let whole = try startSmcc(["import", full, file] + arguments, in: scratch)
        let firstAppend = try #require(try waitForFirstEvent(in: full, of: whole), "the whole import appended nothing")
        let finished = whole.wait()
        try #require(finished.exited(0), "\(finished)")
        let appendWindow = clock.now - firstAppend
        let fullExport = try export(full, in: scratch)
        var random = SplitMix64(seed: 77)
        var resumedFromAMark = 0
        for round in 0..<8 {
            let log = scratch.child("round\(round)")
            try initLog(log, in: scratch)
            let child = try startSmcc(["import", log, file] + arguments, in: scratch)
            if try waitForFirstEvent(in: log, of: child) != nil {
                // Round 0 kills on the first event seen: at least one kill lands mid-import.
                let fraction = round == 0 ? 0 : Double(random.below(1_000)) / 1_000
                let window = Double(appendWindow.components.seconds) + Double(appendWindow.components.attoseconds) / 1e18
                Thread.sleep(forTimeInterval: window * fraction)
            }
            child.kill(SIGKILL)
            _ = child.wait()
            let verified = try runSmcc(["verify", log], in: scratch)
            #expect(verified.exited(0), "round \(round): \(verified)")
            let events = try info(log, in: scratch).events
            let resumed = try runSmcc(["import", log, file, "--json"] + arguments, in: scratch)
            #expect(resumed.exited(0), "round \(round): \(resumed)")
            let summary = try #require(try JSONSerialization.jsonObject(with: resumed.stdoutData) as? [String: Any])
            if events > 0 && events < lineCount(fullExport) {
                #expect((summary["alreadyImported"] as? Int ?? 0) > 0, "round \(round): the resumed import did not use its mark: \(summary)")
                resumedFromAMark += 1
            }
            #expect(difference(try export(log, in: scratch), fullExport) == nil, "round \(round): the resumed import differs from a whole one")
        }
        #expect(resumedFromAMark >= 1, "only \(resumedFromAMark) of 8 kills landed mid-import (append window \(appendWindow))")
    }

    /// When `log` first holds an event, watched while `child` appends to it; `nil` if the child
    /// ended first. A read-only handle never takes the writer's lock, so the child is undisturbed.
    private func waitForFirstEvent(in log: String, of child: Child) throws -> ContinuousClock.Instant? {
        let reader = try EventLog.open(at: log, readOnly: true)
        while child.isRunning {
            if try reader.head() != nil { return ContinuousClock.now }
            Thread.sleep(forTimeInterval: 0.000_2)
        }
        return nil
    }
}
