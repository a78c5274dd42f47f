import ArgumentParser
import CommandCenter

extension SMCC {
    struct Queues: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "queues",
            abstract: "Show the queues: triage, escalations, and each volunteer's posts.",
            discussion: """
                Triage holds posts received and neither assigned nor resolved (reposts never enter it): \
                open escalations first, then posts an urgent listening rule matched, then oldest first. \
                --at shows the queues as they stood at an instant. --json is documented in \
                Schemas/cli/queues.schema.json.
                """
        )

        @OptionGroup var target: LogArgument
        @OptionGroup var time: AtOption
        @OptionGroup var snapshots: SnapshotOption

        @Option(help: "At most this many posts per queue (the counts stay whole).")
        var limit: Int?

        @Flag(help: "Print JSON (Schemas/cli/queues.schema.json).")
        var json = false

        func validate() throws {
            if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
        }

        func run() throws {
            let store = try snapshots.open(target.log)
            let document = try time.replay(store, projections: .desk, snapshots: snapshots.policy).desk.queuesDocument(at: time.time, limit: limit ?? (json ? nil : 20))
            if json {
                print(Self.json(document).rendered, terminator: "")
                return
            }
            let counts = document.counts
            print("queues as of \(document.at?.description ?? "the start (empty log)") (seq \(document.seq)): \(counts.posts.grouped) posts, \(counts.resolved.grouped) resolved")
            print("triage: \(counts.triage.grouped) waiting")
            for post in document.triage { print("  " + Self.line(post)) }
            print("escalations: \(counts.escalations.grouped) open")
            for escalation in document.escalations.prefix(limit ?? 20) {
                print("  \(Self.line(escalation.post)) → \(escalation.to)\(escalation.priority.map { " [\($0.rawValue)]" } ?? "") since \(escalation.since)")
            }
            print("volunteers: \(counts.assigned.grouped) posts assigned")
            for queue in document.volunteers {
                let role = queue.role.map { " (\($0.rawValue)\(queue.onShift ? ", on shift" : ""))" } ?? ""
                print("  \(queue.volunteer)\(role): \(queue.posts.count) posts")
                for post in queue.posts { print("    " + Self.line(post)) }
            }
        }

        static func line(_ post: QueuesDocument.Post) -> String {
            var flags = ""
            if post.escalated { flags += " escalated" }
            if post.urgent { flags += " urgent" }
            return "\(post.post)  \(post.receivedAt)  \(post.erased ? "(erased)" : "@" + post.author)  v\(post.version)\(flags)"
        }

        static func json(_ document: QueuesDocument) -> JSONOutput {
            func post(_ post: QueuesDocument.Post) -> JSONOutput {
                .object([
                    ("post", .string(post.post)), ("channel", .string(post.channel.rawValue)), ("author", .string(post.author)),
                    ("receivedAt", .string(post.receivedAt.rfc3339)), ("status", .string(post.status)),
                    ("assignee", post.assignee.map(JSONOutput.string) ?? .null), ("version", .int(post.version)),
                    ("escalated", .bool(post.escalated)), ("urgent", .bool(post.urgent)),
                    ("hashtags", .array(post.hashtags.map(JSONOutput.string))), ("erased", .bool(post.erased)),
                ])
            }
            return .object([
                ("at", document.at.map { .string($0.rfc3339) } ?? .null),
                ("seq", .int(document.seq)),
                ("triage", .array(document.triage.map(post))),
                ("escalations", .array(document.escalations.map { escalation in
                    .object([("post", post(escalation.post)), ("to", .string(escalation.to)),
                             ("priority", escalation.priority.map { .string($0.rawValue) } ?? .null),
                             ("since", .string(escalation.since.rfc3339))])
                })),
                ("volunteers", .object(document.volunteers.map { queue in
                    (queue.volunteer, .object([
                        ("name", queue.name.map(JSONOutput.string) ?? .null),
                        ("role", queue.role.map { .string($0.rawValue) } ?? .null),
                        ("onShift", .bool(queue.onShift)),
                        ("posts", .array(queue.posts.map(post))),
                    ]))
                })),
                ("counts", .object([
                    ("triage", .int(document.counts.triage)), ("escalations", .int(document.counts.escalations)),
                    ("assigned", .int(document.counts.assigned)), ("posts", .int(document.counts.posts)),
                    ("resolved", .int(document.counts.resolved)),
                ])),
            ])
        }
    }
}
