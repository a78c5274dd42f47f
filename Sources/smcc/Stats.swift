import ArgumentParser
import CommandCenter
import Foundation

extension SMCC {
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Reaction times, channel share, volume, workload and hashtags, rebuilt from the log.",
            discussion: """
                Every figure follows the definitions of Schemas/cli/stats.md, so anyone recomputing it from \
                `smcc export` gets the same number: first response = first reply − postedAt (negative \
                clamped to 0 and counted as an anomaly), exact percentiles with linear interpolation \
                (numpy's default). --by groups by channel, role (of the actor at the time), volunteer, \
                team, hour, day or hashtag (hours and days in UTC); repeat it for several. The conversation \
                (every post, reposts included: authors, posts per local day and hour, top accounts, mentions, \
                hashtags and posts, reply delays) is read in the event's time zone (smcc event), else UTC, or \
                --time-zone. --json: Schemas/cli/stats.schema.json.
                """
        )

        @OptionGroup var target: LogArgument
        @OptionGroup var time: AtOption
        @OptionGroup var snapshots: SnapshotOption

        @Option(name: .customLong("by"), help: ArgumentHelp("Group by: \(GroupingKey.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "KEY"))
        var groupings: [String] = []

        @Option(name: .customLong("target"), help: "The first-response target, in seconds.")
        var targetSeconds = 900

        @OptionGroup var zone: TimeZoneOption

        @Option(help: ArgumentHelp("Count only the posts posted at or after this instant in the four duration metrics (RFC 3339), as the wall's last hour does.", valueName: "TIME"))
        var since: String?

        @Flag(help: "Print JSON (Schemas/cli/stats.schema.json).")
        var json = false

        func validate() throws {
            for key in groupings where GroupingKey(rawValue: key) == nil {
                throw ValidationError("--by \(key): choose one of \(GroupingKey.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard targetSeconds > 0 else { throw ValidationError("--target must be at least 1 second") }
            if let since, Timestamp(rfc3339: since) == nil {
                throw ValidationError("--since \(since): not an RFC 3339 time such as 2026-06-02T14:05:00Z")
            }
        }

        func run() throws {
            let store = try snapshots.open(target.log)
            let report = try time.replay(store, target: targetSeconds, projections: .statistics, snapshots: snapshots.policy).statistics
                .report(by: groupings.compactMap(GroupingKey.init(rawValue:)), postedSince: since.flatMap { Timestamp(rfc3339: $0) }, timeZone: zone.zone)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                FileHandleOutput.write(try encoder.encode(report) + Data("\n".utf8))
                return
            }
            print(Self.text(report, target: targetSeconds), terminator: "")
        }

        static func text(_ report: StatisticsReport, target: Int) -> String {
            var out = "\(report.events.grouped) events"
            if let first = report.firstAt, let last = report.lastAt { out += " from \(first) to \(last)" }
            out += "\n"
            // Ties by name: a dictionary's order changes from one process to the next.
            let share = report.channelShare.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \(($0.value * 100).fixed(1))%" }
            out += "channel share      \(share.joined(separator: ", "))\n"
            out += line("first response", report.firstResponse, target: target)
            out += line("time to assign", report.timeToAssign, target: nil)
            out += line("time to resolve", report.timeToResolve, target: nil)
            out += line("escalation", report.escalation, target: nil)
            for (key, groups) in report.by.sorted(by: { $0.key < $1.key }) {
                out += "by \(key)\n"
                for (value, group) in groups.sorted(by: { $0.key < $1.key }) {
                    out += "  " + line(value, group.firstResponse, target: target)
                }
            }
            if !report.hashtags.top.isEmpty {
                out += "top hashtags       \(report.hashtags.top.prefix(8).map { "#\($0.tag) \($0.posts.grouped)" }.joined(separator: ", ")) (reposts left out)\n"
            }
            // Account names and hashtags come from anyone: each line made safe for a terminal.
            return out + conversation(report.conversation).split(separator: "\n").map { Console.printable(String($0)) + "\n" }.joined()
        }

        /// The conversation's lines: every post, reposts included, in local time.
        static func conversation(_ c: ConversationReport) -> String {
            var out = "conversation       \(c.posts.grouped) posts (\(c.originals.grouped) originals, \(c.reposts.grouped) reposts), \(c.replies.grouped) replies, \(c.quotes.grouped) quotes, \(c.authors.grouped) authors; times in \(c.timeZone)\n"
            if let event = c.event { out += "event              \(event.name), \(event.firstDay)..\(event.lastDay)\n" }
            if let days = c.eventDays, let on = c.postsOnEventDays {
                out += "event days         \(days.firstDay)..\(days.lastDay)\(days.source == "assumed" ? " (assumed)" : ""): \(on.grouped) posts\n"
            }
            if let hour = c.busiestHour { out += "busiest hour       \(hour.local), \(hour.posts.grouped) posts\n" }
            if !c.perDay.isEmpty {
                out += "per day            \(c.perDay.map { "\($0.day) \($0.posts.grouped)" }.joined(separator: ", "))\n"
            }
            if !c.topAuthors.isEmpty { out += "top authors        \(c.topAuthors.prefix(5).map { "@\($0.account) \($0.posts.grouped)" }.joined(separator: ", "))\n" }
            if !c.topMentioned.isEmpty { out += "most mentioned     \(c.topMentioned.prefix(5).map { "@\($0.account) \($0.posts.grouped)" }.joined(separator: ", "))\n" }
            if !c.topHashtags.isEmpty { out += "hashtags (all)     \(c.topHashtags.prefix(5).map { "#\($0.tag) \($0.posts.grouped)" }.joined(separator: ", "))\n" }
            let d = c.replyDelays
            out += "reply delays       \(d.replies.grouped) to others' posts" + (d.p50Seconds.map { ", median \(($0 / 60).fixed(1)) min" } ?? "")
                + "; \(d.toOwnPosts.grouped) to own posts; \(d.toPostsNotInLog.grouped) to posts not in the log\n"
            for note in c.assumptions { out += "assumed            \(note)\n" }
            return out
        }

        static func line(_ name: String, _ summary: DurationSummary, target: Int?) -> String {
            let padded = name.padding(toLength: 18, withPad: " ", startingAt: 0)
            let minutes = { (seconds: Double?) in seconds.map { "\(($0 / 60).fixed(1)) min" } ?? "–" }
            var text = "\(padded) \(summary.answered.grouped)/\(summary.posts.grouped) · p50 \(minutes(summary.p50Seconds)) · p90 \(minutes(summary.p90Seconds)) · p99 \(minutes(summary.p99Seconds)) · mean \(minutes(summary.meanSeconds))"
            if let target, let within = summary.withinTarget { text += " · \((within * 100).fixed(1))% within \(target / 60) min" }
            if summary.anomalies > 0 { text += " · \(summary.anomalies) clock anomalies" }
            return text + "\n"
        }
    }
}

/// Raw bytes to standard output (JSON documents built elsewhere).
enum FileHandleOutput {
    static func write(_ data: Data) { FileHandle.standardOutput.write(data) }
}
