import ArgumentParser
import CommandCenter
import EventLog
import Foundation

extension SMCC {
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Write a realistic simulated conference into an empty log, through the desk's own commands.",
            discussion: """
                Defaults model the case this product comes from: three days, about 25,000 inbound posts, \
                89% on Twitter, an event and a help hashtag, hashtags that emerge mid-event (an outage, a \
                venue problem) and get a listening rule minutes later, a dozen volunteers in four roles \
                plus two coordinators with shifts and role changes, bursts at keynotes, reply times that \
                grow with the backlog. Every event goes through the same rules as a live team's commands. \
                The same seed gives a byte-identical `smcc export`. The log is created if missing; it must \
                be empty.
                """
        )

        @OptionGroup var target: LogArgument

        @OptionGroup var simulation: SimulationOptions

        func run() throws {
            let summary = try Self.simulate(into: target.log, simulation)
            Self.printSummary(summary, log: target.log)
        }

        /// Simulates a conference into the log at `log` (created if missing; it must be empty).
        static func simulate(into log: String, _ options: SimulationOptions) throws -> SimulationSummary {
            let exists = FileManager.default.fileExists(atPath: log + "/data.mdb")
            let store = exists ? try EventStore.open(at: log) : try EventStore.create(at: log)
            let lock = try EventLog.takeWriterLock(of: log)
            defer { withExtendedLifetime(lock) {} }
            guard try store.log.head() == nil else {
                throw Failure.badInput("\(log) already holds events; simulate into an empty log (smcc init a new one)")
            }
            let summary: SimulationSummary
            do {
                summary = try ConferenceSimulation(options: options.conference).run(into: try Desk(store: store), batchSize: options.batchSize) { done in
                    Console.progress("simulating: \(done.grouped) posts")
                }
            } catch let error as SimulationError {
                throw Failure.badInput(error.message)
            }
            Console.endProgress()
            return summary
        }

        static func printSummary(_ summary: SimulationSummary, log: String) {
            print("simulated \(summary.posts.grouped) posts, \(summary.events.grouped) events into \(log)")
            if let first = summary.firstAt, let last = summary.lastAt { print("from \(first) to \(last)") }
            let channels = summary.postsByChannel.sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }
            print("channels: " + channels.map { "\($0.key.rawValue) \(Int(($0.value * 1000 / max(summary.posts, 1)) ).fixedTenths)%" }.joined(separator: ", "))
            for emerging in summary.emerging {
                let rule = emerging.ruleAddedAt.map { "rule \(emerging.rule) at \($0)" } ?? "no rule"
                print("emerging #\(emerging.hashtag) at \(emerging.emergedAt), \(rule)")
            }
            print("kinds: " + EventKind.allCases.compactMap { kind in summary.eventsByKind[kind].map { "\(kind.name) \($0.grouped)" } }.joined(separator: ", "))
        }
    }
}

/// The simulated conference's options, shared by `simulate` and `demo` (same defaults).
struct SimulationOptions: ParsableArguments {
    @Option(help: "The seed: the same seed gives the same event.")
    var seed: UInt64 = 1

    @Option(help: "Inbound posts to simulate.")
    var posts = 25_000

    @Option(help: "Conference days.")
    var days = 3

    @Option(help: "Volunteers in the four roles (coordinators come on top).")
    var volunteers = 12

    @Option(help: "Coordinators.")
    var coordinators = 2

    @Option(help: "Commands per append transaction.")
    var batchSize = 5_000

    func validate() throws {
        guard posts > 0 else { throw ValidationError("--posts must be at least 1") }
        guard (1...60).contains(days) else { throw ValidationError("--days must be between 1 and 60") }
        guard volunteers >= 4 else { throw ValidationError("--volunteers must be at least 4 (one per role)") }
        guard coordinators >= 1 else { throw ValidationError("--coordinators must be at least 1") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
    }

    var conference: ConferenceSimulation.Options {
        ConferenceSimulation.Options(seed: seed, posts: posts, days: days, volunteers: volunteers, coordinators: coordinators)
    }
}

extension Int {
    /// `891` (per mille) as `89.1`.
    fileprivate var fixedTenths: String { "\(self / 10).\(self % 10)" }
}
