import Foundation
import StoreTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a finished child process left behind.
struct RunResult: CustomStringConvertible {
    /// The exit status, or the signal number when `signaled`.
    var status: Int32
    /// The process ended on a signal (a crash, or our own SIGKILL).
    var signaled: Bool
    var stdoutData: Data
    var stderrData: Data

    var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    var stderr: String { String(decoding: stderrData, as: UTF8.self) }

    /// Exited normally with this status (not on a signal).
    func exited(_ code: Int32) -> Bool { !signaled && status == code }

    var description: String {
        let how = signaled ? "killed by signal \(status)" : "exit \(status)"
        return "\(how)\n--- stdout (\(stdoutData.count) bytes) ---\n\(stdout.prefix(2_000))\n--- stderr ---\n\(stderr.prefix(2_000))"
    }
}

/// Where the repository and the built tools are.
enum Paths {
    /// The package root (this file is `Tests/SmccTests/Support/Harness.swift`).
    static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var reader: String { repository.appendingPathComponent("Tools/smcc_read.py").path }
    static var eventSchemas: String { repository.appendingPathComponent("Schemas/events").path }

    /// The `smcc` executable of this build: next to the test bundle, in the products directory.
    /// `SMCC_BINARY` overrides it.
    static let smcc: String? = {
        let fm = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["SMCC_BINARY"], fm.isExecutableFile(atPath: explicit) {
            return explicit
        }
        var directories: [URL] = []
        func add(_ url: URL?) {
            guard let url else { return }
            directories.append(url)
            directories.append(url.deletingLastPathComponent())
            directories.append(url.deletingLastPathComponent().deletingLastPathComponent())
        }
        add(Bundle.main.bundleURL)
        add(Bundle.main.executableURL?.deletingLastPathComponent())
        for bundle in Bundle.allBundles { add(bundle.bundleURL) }
        if let first = CommandLine.arguments.first {
            add(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent("smcc").path
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
               fm.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }()
}

/// A fresh directory under the system's temporary directory, removed by `remove()` (call it in a
/// `defer`) or when the object goes away.
final class Scratch {
    let path: String

    init(_ label: String = #function) {
        let clean = label.filter { $0.isLetter || $0.isNumber }.prefix(40)
        path = NSTemporaryDirectory() + "smcc-e2e-\(clean)-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { remove() }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
        removeTestLogs(logs)
        logs = []
    }

    func child(_ name: String) -> String { path + "/" + name }

    /// PostgreSQL logs made for the test (``log(_:on:)``), dropped with the directory.
    private var logs: [String] = []

    /// A place for a new log named `name` on `store`: `child(name)`, or a schema of its own.
    func log(_ name: String, on store: TestStore) -> String {
        store.location(name, under: path, logs: &logs)
    }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ data: Data) throws -> String {
        let file = child(name)
        try data.write(to: URL(fileURLWithPath: file))
        return file
    }
}

/// A running child process whose output goes to files (no pipe can fill up and block it).
final class Child {
    let process = Process()
    private let outPath: String
    private let errPath: String

    init(executable: String, arguments: [String], stdin: Data? = nil, scratch: Scratch) throws {
        let id = UUID().uuidString
        outPath = scratch.child(".out-\(id)")
        errPath = scratch.child(".err-\(id)")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        if let stdin {
            let inPath = scratch.child(".in-\(id)")
            try stdin.write(to: URL(fileURLWithPath: inPath))
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// What the child printed so far (it keeps running).
    var stdoutSoFar: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }

    /// Set once `wait()` has seen the exit (after which the pid may belong to another process).
    private(set) var hasExited = false

    /// Whether the child may still be running.
    var isRunning: Bool { !hasExited && process.isRunning }

    func kill(_ signal: Int32 = SIGKILL) {
        guard !hasExited else { return }
        #if canImport(Glibc)
        _ = Glibc.kill(process.processIdentifier, signal)
        #else
        _ = Darwin.kill(process.processIdentifier, signal)
        #endif
    }

    /// Waits for the exit. Foundation's `Process` on Linux learns of an exit when a socket the
    /// child inherited closes; a child started concurrently by another test (a server) can inherit
    /// that socket too, and `waitUntilExit` then waits for *that* child, which hung whole test
    /// runs with the cooperative threads blocked. So the child is reaped here with `waitpid`.
    func wait() -> RunResult {
        defer { hasExited = true }
        var reaped: (status: Int32, signaled: Bool)?
        #if canImport(Glibc)
        while process.isRunning {
            var status: Int32 = 0
            if waitpid(process.processIdentifier, &status, WNOHANG) == process.processIdentifier {
                let signal = status & 0x7F
                reaped = signal == 0 ? ((status >> 8) & 0xFF, false) : (signal, true)
                break
            }
            usleep(5_000)
        }
        #endif
        if reaped == nil { process.waitUntilExit() }
        let out = (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data()
        let err = (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data()
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
        return RunResult(
            status: reaped?.status ?? process.terminationStatus,
            signaled: reaped?.signaled ?? (process.terminationReason == .uncaughtSignal),
            stdoutData: out,
            stderrData: err
        )
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
}

/// Runs the built `smcc` with `args` in `scratch` and waits for it.
func runSmcc(_ args: [String], stdin: Data? = nil, in scratch: Scratch) throws -> RunResult {
    try startSmcc(args, stdin: stdin, in: scratch).wait()
}

/// Starts the built `smcc`; fails the test with a clear message when it is not built.
func startSmcc(_ args: [String], stdin: Data? = nil, in scratch: Scratch) throws -> Child {
    guard let smcc = Paths.smcc else {
        throw HarnessError(description: "the smcc executable was not found next to the test bundle (\(Bundle.main.bundleURL.path)); build it first with `swift build --build-tests` (or set SMCC_BINARY)")
    }
    return try Child(executable: smcc, arguments: args, stdin: stdin, scratch: scratch)
}

/// Runs `python3` with `args` in `scratch`.
func runPython(_ args: [String], stdin: Data? = nil, in scratch: Scratch) throws -> RunResult {
    try startPython(args, stdin: stdin, in: scratch).wait()
}

func startPython(_ args: [String], stdin: Data? = nil, in scratch: Scratch) throws -> Child {
    try Child(executable: "/usr/bin/env", arguments: ["python3"] + args, stdin: stdin, scratch: scratch)
}

/// Fails (never skips) when python3 or its packages `lmdb`, `zstandard`, `jsonschema` are missing.
func requirePython(in scratch: Scratch) throws {
    let probe = try runPython(["-c", "import lmdb, zstandard, jsonschema, referencing"], in: scratch)
    if !probe.exited(0) {
        throw HarnessError(description: "python3 with the packages lmdb, zstandard and jsonschema is required by the end-to-end tests; run `bash Tools/bootstrap.sh`. python3 said: \(probe.stderr)")
    }
}

// MARK: - Reading what smcc prints

/// `smcc info LOG --json`, parsed.
struct LogInfoJSON {
    var raw: [String: Any]
    var events: Int { (raw["events"] as? NSNumber)?.intValue ?? -1 }
    var head: String? { raw["head"] as? String }
    var headHash: String? { raw["headHash"] as? String }
    var firstAt: String? { raw["firstAt"] as? String }
    var lastAt: String? { raw["lastAt"] as? String }
    var countsByKind: [String: Int] {
        ((raw["countsByKind"] as? [String: Any]) ?? [:]).compactMapValues { ($0 as? NSNumber)?.intValue }
    }
}

func info(_ log: String, in scratch: Scratch, sourceLocation: SourceLocation = #_sourceLocation) throws -> LogInfoJSON {
    let result = try runSmcc(["info", log, "--json"], in: scratch)
    #expect(result.exited(0), "smcc info --json failed: \(result)", sourceLocation: sourceLocation)
    let object = try JSONSerialization.jsonObject(with: result.stdoutData)
    let dictionary = try #require(object as? [String: Any], "smcc info --json did not print an object: \(result.stdout)", sourceLocation: sourceLocation)
    return LogInfoJSON(raw: dictionary)
}

/// `smcc export LOG`, which must succeed.
func export(_ log: String, in scratch: Scratch, sourceLocation: SourceLocation = #_sourceLocation) throws -> Data {
    let result = try runSmcc(["export", log], in: scratch)
    try #require(result.exited(0), "smcc export failed: \(result)", sourceLocation: sourceLocation)
    return result.stdoutData
}

/// `smcc init LOG`, which must succeed.
func initLog(_ log: String, in scratch: Scratch, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let result = try runSmcc(["init", log], in: scratch)
    try #require(result.exited(0), "smcc init failed: \(result)", sourceLocation: sourceLocation)
}

/// `smcc import LOG FILES...`, which must succeed; returns what it printed.
@discardableResult
func importFiles(_ log: String, _ files: [String], extra: [String] = [], in scratch: Scratch, sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
    let result = try runSmcc(["import", log] + files + extra, in: scratch)
    try #require(result.exited(0), "smcc import failed: \(result)", sourceLocation: sourceLocation)
    return result
}

/// The lines of `text` without their newlines (a final newline ends the last line).
func lines(_ text: String) -> [Substring] {
    var all = text.split(separator: "\n", omittingEmptySubsequences: false)
    if all.last == "" { all.removeLast() }
    return all
}

/// The `seq` N of a `verify: FAILED at seq N` line, if stdout holds one.
func failedSeq(_ stdout: String) -> UInt64? {
    guard let range = stdout.range(of: "FAILED at seq ") else { return nil }
    let digits = stdout[range.upperBound...].prefix { $0.isNumber }
    return UInt64(digits)
}

/// The head (`SEQ:HEX`) of a `verify: OK, N events, head SEQ:HEX` line.
func verifiedHead(_ stdout: String) -> String? {
    guard let range = stdout.range(of: "head ") else { return nil }
    return String(stdout[range.upperBound...].prefix { !$0.isWhitespace })
}

/// A log built by `smcc init` and `smcc import` from `count` generated events.
struct BuiltLog {
    var path: String
    var events: [Interchange.Event]
    var text: String
    var file: String
}

func buildLog(_ count: Int, seed: UInt64 = 1, batchSize: Int? = nil, in scratch: Scratch, name: String = "log",
              sourceLocation: SourceLocation = #_sourceLocation) throws -> BuiltLog {
    var stream = EventStream(seed: seed)
    let events = stream.make(count)
    let text = Interchange.text(events)
    let file = try scratch.write("\(name).ndjson", text)
    let log = scratch.child(name)
    try initLog(log, in: scratch, sourceLocation: sourceLocation)
    try importFiles(log, [file], extra: batchSize.map { ["--batch-size", "\($0)"] } ?? [], in: scratch, sourceLocation: sourceLocation)
    return BuiltLog(path: log, events: events, text: text, file: file)
}
