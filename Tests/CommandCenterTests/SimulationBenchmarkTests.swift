import CommandCenter
import EventLog
import Foundation
import Testing

/// Speed of the simulator writing to a real log, printed, never asserted. Run in release:
/// `SMCC_BENCH=1 SMCC_SIM_POSTS=25000,200000 swift test -c release --filter SimulationBenchmarkTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SMCC_BENCH"] == "1", "set SMCC_BENCH=1 to measure"))
struct SimulationBenchmarkTests {
    @Test func simulate() throws {
        let sizes = (ProcessInfo.processInfo.environment["SMCC_SIM_POSTS"] ?? "25000").split(separator: ",").compactMap { Int($0) }
        for posts in sizes {
            let dir = DeskTemporaryDirectory()
            let store = try EventStore.create(at: dir.child("log"))
            let desk = try Desk(store: store)
            let clock = ContinuousClock()
            var result: SimulationSummary?
            let elapsed = try clock.measure {
                result = try ConferenceSimulation(options: .init(posts: posts)).run(into: desk, batchSize: 5_000)
            }
            let summary = try #require(result)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let replayed = try clock.measure { _ = try Desk.replay(store) }
            let replaySeconds = Double(replayed.components.seconds) + Double(replayed.components.attoseconds) / 1e18
            print(String(format: "simulate %d posts: %d events in %.2f s = %.0f events/s (speed ×%.1f, unresolved %d); replay into DeskState %.2f s = %.0f events/s",
                         posts, summary.events, seconds, Double(summary.events) / seconds, summary.speedFactor, summary.unresolvedAtEnd,
                         replaySeconds, Double(summary.events) / replaySeconds))
        }
    }
}
