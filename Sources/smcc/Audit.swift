import ArgumentParser
import CommandCenter
import EventLog

extension SMCC {
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "Who did what, when, in which role: the history of a post, or a volunteer's actions.",
            discussion: """
                Answered from the log's indexes (no full scan). The role shown is the one the actor had \
                when acting: roles change during an event. --json is documented in Schemas/cli/audit.schema.json.
                """
        )

        @OptionGroup var target: LogArgument

        @Option(help: ArgumentHelp("A post id, e.g. twitter:1234567890.", valueName: "ID"))
        var post: String?

        @Option(help: ArgumentHelp("A volunteer id, e.g. vol:maria: every action they took.", valueName: "ID"))
        var volunteer: String?

        @Option(help: ArgumentHelp("Only actions at or after this time (RFC 3339).", valueName: "TIME"))
        var since: String?

        @Option(help: ArgumentHelp("Only actions at or before this time (RFC 3339).", valueName: "TIME"))
        var until: String?

        @Flag(help: "Print JSON (Schemas/cli/audit.schema.json).")
        var json = false

        func validate() throws {
            guard (post == nil) != (volunteer == nil) else { throw ValidationError("give exactly one of --post ID or --volunteer ID") }
            for (name, value) in [("--since", since), ("--until", until)] {
                if let value, Timestamp(rfc3339: value) == nil {
                    throw ValidationError("\(name) must be an RFC 3339 time such as 2026-06-02T14:05:00Z, got '\(value)'")
                }
            }
            if post != nil && (since != nil || until != nil) { throw ValidationError("--since and --until go with --volunteer") }
        }

        func run() throws {
            let trail = AuditTrail(store: try EventStore.open(at: target.log, readOnly: true))
            let entries: [AuditEntry]
            if let post {
                entries = try trail.post(post)
            } else {
                entries = try trail.volunteer(volunteer!, since: since.flatMap(Timestamp.init(rfc3339:)), until: until.flatMap(Timestamp.init(rfc3339:)))
            }
            var output = OutputBuffer()
            if json {
                output.append("{\"\(post != nil ? "post" : "volunteer")\":")
                output.withBytes { InterchangeJSON.writeString(post ?? volunteer!, into: &$0) }
                output.append(",\"entries\":[")
                for (index, entry) in entries.enumerated() {
                    output.append(index == 0 ? "\n" : ",\n")
                    output.append("{\"role\":" + (entry.role.map { "\"\($0.rawValue)\"" } ?? "null") + ",\"event\":")
                    output.withBytes { bytes in
                        InterchangeJSON.write(entry.event, seq: entry.seq, into: &bytes)
                        bytes.removeLast()
                    }
                    output.append("}")
                }
                output.append("\n]}\n")
                output.flush()
                return
            }
            guard !entries.isEmpty else {
                print(post.map { "no events for post \($0)" } ?? "no actions by \(volunteer!)")
                return
            }
            for entry in entries {
                let role = entry.role.map { " (\($0.rawValue))" } ?? ""
                output.append("\(entry.seq)\t\(entry.event.at)\t\(entry.event.actor)\(role)\t\(entry.event.kind.name)\t\(Self.summary(entry.event))\n")
                output.flushIfFull()
            }
            output.flush()
        }

        /// A few words on what the event did, for people.
        static func summary(_ event: Event) -> String {
            if event.isErased {
                return (event.post.map { "\($0): " } ?? "") + "(personal data erased)"
            }
            return switch event.body {
            case .postReceived(let body): "\(body.channel.rawValue) post by \(body.author): \(body.text.prefix(60))"
            case .postPublished(let body): "published on \(body.channel.rawValue): \(body.text.prefix(60))"
            case .postAssigned(let body): "\(body.post) → \(body.to)"
            case .postUnassigned(let body): "\(body.post) unassigned" + (body.reason.map { ": \($0)" } ?? "")
            case .replied(let body): "\(body.post): \(body.text.prefix(60))"
            case .escalated(let body): "\(body.post) → \(body.to): \(body.reason)"
            case .escalationResolved(let body): "\(body.post)" + (body.resolution.map { ": \($0)" } ?? "")
            case .postResolved(let body): "\(body.post): \(body.outcome.rawValue)"
            case .noteAdded(let body): "\(body.post): \(body.text.prefix(60))"
            case .postTagged(let body): "\(body.post): \(body.tags.joined(separator: ", "))"
            case .volunteerJoined(let body): "\(body.volunteer) (\(body.name)) as \(body.role.rawValue)"
            case .volunteerLeft(let body): body.volunteer
            case .roleChanged(let body): "\(body.volunteer): \(body.from.rawValue) → \(body.to.rawValue)"
            case .shiftStarted(let body): body.volunteer
            case .shiftEnded(let body): body.volunteer
            case .listeningRuleAdded(let body): body.rule
            case .listeningRuleRemoved(let body): body.rule
            case .eventDescribed(let body): "\(body.name), \(body.firstDay)..\(body.lastDay), \(body.timeZone)"
            case .personalDataErased(let body): "the personal data of \(body.posts.count) posts"
            case .logUpgraded(let body): "upgraded from \(body.fromFormat), whose head was \(body.previousHead)"
            }
        }
    }
}
