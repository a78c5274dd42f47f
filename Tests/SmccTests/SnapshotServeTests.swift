@testable import CommandCenter
@testable import EventLog
import Foundation
import Testing

/// The desk a server judges commands on decides who may do what: it must come from the events,
/// never from a snapshot, which anyone who can read the log's directory could have written.
struct SnapshotServeTests {
    @Test func aForgedDeskSnapshotGrantsNoRights() async throws {
        let scratch = Scratch()
        let log = scratch.child("log")
        let simulated = try runSmcc(["simulate", log, "--posts", "9000", "--seed", "3"], in: scratch)
        try #require(simulated.exited(0), "\(simulated)")

        // At the first snapshot boundary, a desk in which a volunteer who is no coordinator (now
        // or later) became one: stored with the log's own key, as someone who read it would.
        let boundary = SnapshotPolicy.standard.interval
        let store = try EventStore.open(at: log)
        let end = try Replay.run(store, projections: .desk, snapshots: .none).desk
        try #require(end.lastSeq > boundary)
        let victim = try #require(end.volunteers.values.filter { $0.active && !$0.isCoordinator }.map(\.id).sorted().first)
        var forged = try Replay.run(store, through: boundary - 1, projections: .desk, snapshots: .none).desk
        let role = try #require(forged.volunteer(victim)?.role)
        let record = try #require(try store.log.record(boundary))
        forged.apply(Event(at: Timestamp(milliseconds: record.time), actor: "vol:mia",
                           body: .roleChanged(RoleChanged(volunteer: victim, from: role, to: .coordinator))), seq: boundary)
        try store.log.saveSnapshot(DeskState.snapshotName, seq: boundary, bytes: ProjectionSnapshots.delta(forged, since: DeskState().snapshotBaseline).bytes)
        try #require(ProjectionSnapshots.desk(store.log, through: end.lastSeq)?.volunteer(victim)?.role == .coordinator,
                     "the forged snapshot must be one a load would use")

        let tokens = try issueTokens(log, [victim, "vol:mia"], in: scratch)
        let server = try RunningServer(log: log, in: scratch)
        let asVictim = Client(base: server.base, token: tokens[victim])
        let refused = try await asVictim.post("/v1/volunteers", #"{"volunteer":"vol:zed","name":"Zed","role":"coordinator"}"#)
        #expect(refused.status == 403, "\(victim) acted as a coordinator from a forged snapshot: \(refused)")
        let asCoordinator = Client(base: server.base, token: tokens["vol:mia"])
        let accepted = try await asCoordinator.post("/v1/volunteers", #"{"volunteer":"vol:zed","name":"Zed","role":"coordinator"}"#)
        #expect(accepted.status == 200, "\(accepted)")
        #expect(server.stop().exited(0))
    }
}
