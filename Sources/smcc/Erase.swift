import ArgumentParser
import CommandCenter
import EventLog
import Foundation

extension SMCC {
    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "erase",
            abstract: "Erase a person's posts (or one post) from a log, keeping the proof.",
            discussion: """
                Removes the personal fields — text, author, mentions, link — of every post the handle \
                wrote, of the reposts of them, and the desk's texts about them (replies, notes, \
                reasons); or of one post with --post. Kinds, times, post ids, channels, hashtags and \
                the desk's actions stay, so volumes, reaction times and the audit of who answered what \
                are unchanged, and the hash chain is unchanged: `smcc verify --head` with a head \
                written down before the erasure still passes. Appends one personalDataErased event \
                naming the posts (post ids are not erased).

                The erased bytes leave the disk: the log is written again into a new file (every \
                chunk recompressed with a new dictionary, snapshots dropped) and moved over the old \
                one in one step; a crash leaves the old log or the erased one, never half. It cannot \
                reach copies made before: exports, backups, other machines.

                Other people's posts that mention the handle are theirs and stay, unless \
                --with-mentions. Erasing again what is erased finds nothing and appends nothing. \
                The log must not be open elsewhere (erase refuses a log another process has open, \
                and changes nothing): while `smcc serve` runs, erase through its API \
                (POST /v1/erasures, coordinators).
                """
        )

        @OptionGroup var target: LogArgument

        @Option(help: ArgumentHelp("Erase every post this handle wrote (with or without @, any case).", valueName: "HANDLE"))
        var author: String?

        @Option(help: ArgumentHelp("Erase one post.", valueName: "ID"))
        var post: String?

        @Flag(help: "With --author: also erase other people's posts that mention the handle.")
        var withMentions = false

        @Option(help: ArgumentHelp("Why (kept in the erasure event's own erasable part; no personal data, please).", valueName: "TEXT"))
        var reason: String?

        @Option(help: ArgumentHelp("Who erases: the actor of the erasure event.", valueName: "ACTOR"))
        var by = "system"

        @Flag(help: "Print the outcome as JSON (Schemas/cli/erase.schema.json).")
        var json = false

        func validate() throws {
            guard (author == nil) != (post == nil) else { throw ValidationError("name exactly one of --author HANDLE or --post ID") }
            if let author, EventStore.plainHandle(author).isEmpty { throw ValidationError("--author must name a handle") }
            if withMentions && author == nil { throw ValidationError("--with-mentions goes with --author") }
            guard !by.isEmpty else { throw ValidationError("--by must name an actor") }
        }

        func run() throws {
            let lock = try EventLog.takeWriterLock(of: target.log)
            defer { withExtendedLifetime(lock) {} }
            let store = try EventStore.open(at: target.log)
            let request = ErasureRequest(author.map(ErasureRequest.Target.author) ?? .post(post!), withMentions: withMentions, reason: reason)
            if let post, try !store.knowsPost(post) {
                throw Failure.badInput("post \(post) is not in \(target.log): nothing was erased")
            }
            let outcome = try store.erase(request, by: by, at: .now)
            let head = try store.head()
            if json {
                print(JSONOutput.object([
                    ("posts", .array(outcome.posts.map(JSONOutput.string))),
                    ("records", .int(outcome.records)),
                    ("erasureSeq", outcome.erasureSeq.map(JSONOutput.int) ?? .null),
                    ("postsStillMentioning", .int(outcome.postsStillMentioning)),
                    ("head", head.map { .string($0.description) } ?? .null),
                ]).rendered, terminator: "")
                return
            }
            guard let seq = outcome.erasureSeq else {
                print("nothing to erase: \(author.map { "no post by \($0)" } ?? "post \(post!)") holds personal data in \(target.log)"
                    + (outcome.postsStillMentioning > 0 ? " (\(outcome.postsStillMentioning) other posts mention it; --with-mentions erases them)" : ""))
                return
            }
            print("erased \(outcome.records.grouped) records of \(outcome.posts.count.grouped) posts; personalDataErased at seq \(seq); head \(head?.description ?? "none")")
            if outcome.postsStillMentioning > 0 {
                print("\(outcome.postsStillMentioning.grouped) other people's posts still mention \(author!): --with-mentions erases them too")
            }
            print("the chain is unchanged: `smcc verify \(target.log) --head SEQ:HEX` with a head written down before still passes")
        }
    }
}
