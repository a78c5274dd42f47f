import CommandCenter
import Foundation
@testable import Importers
import Testing

/// Ids that went through a float: the URL's id over a cut `tweet_id`, and reply-to ids cut the
/// same way linked to the one post they were cut from — never to a guess.
struct IdRepairTests {
    @Test(arguments: [
        ("838901760643248000", "838901760643248130", true),   // NICAR 2017: the last 3 digits zeroed
        ("838899455827009000", "838899455827009537", true),
        ("838899455827010000", "838899455827009537", true),   // rounded up at the 15th digit
        ("838899455827009537", "838899455827009537", false),  // the same id: nothing to repair
        ("838899455827008000", "838899455827009537", false),  // another number
        ("83889945582700900", "838899455827009537", false),   // another length
        ("1000", "999", false),
    ])
    func aColumnIsARoundingOfTheURLsId(column: String, exact: String, repaired: Bool) {
        #expect(CSVFields.isRounding(column, of: exact) == repaired)
    }

    @Test func theURLsIdIsFoundOnEachPlatform() {
        #expect(CSVFields.postID(inURL: "https://twitter.com/dvrnd/status/838901760643248130") == "838901760643248130")
        #expect(CSVFields.postID(inURL: "https://x.com/a/status/123?s=20") == "123")
        #expect(CSVFields.postID(inURL: "https://twitter.com/a/statuses/456/") == "456")
        #expect(CSVFields.postID(inURL: "https://mastodon.social/@ann/109876543210") == "109876543210")
        #expect(CSVFields.postID(inURL: "https://example.org/posts/123") == nil)
        #expect(CSVFields.postID(inURL: "https://twitter.com/a/status/12ab") == nil)
    }

    @Test func replyLinksAreMendedOnlyWhenOnePostFits() {
        let posts: [PostKey] = [PostKey(.twitter, "838899455827009537"), PostKey(.twitter, "838888813468483584"),
                                PostKey(.twitter, "700000000000000123"), PostKey(.twitter, "700000000000000456")]
        let targets: [PostKey] = [
            PostKey(.twitter, "838899455827009000"), PostKey(.twitter, "838899455827009000"),  // two replies to one post
            PostKey(.twitter, "838888813468483000"),
            PostKey(.twitter, "700000000000000000"),  // two posts fit: left as written
            PostKey(.twitter, "555000000000000000"),  // no post fits: a post outside the file
            PostKey(.twitter, "838888813468483584"),  // exact already
        ]
        let repair = ReplyLinkRepair(posts: { posts }, targets: targets)
        #expect(repair.repaired == 3)
        #expect(repair.exact(PostKey(.twitter, "838899455827009000")) == PostKey(.twitter, "838899455827009537"))
        #expect(repair.exact(PostKey(.twitter, "838888813468483000")) == PostKey(.twitter, "838888813468483584"))
        #expect(repair.exact(PostKey(.twitter, "700000000000000000")) == PostKey(.twitter, "700000000000000000"))
        #expect(repair.exact(PostKey(.twitter, "555000000000000000")) == PostKey(.twitter, "555000000000000000"))
        #expect(PostKey(.twitter, "838899455827009537").platformID == "838899455827009537")
    }
}

/// The import's table of its posts answers as a dictionary would: through growth, for numbered
/// keys of every channel (0 and the largest id included) and for keys that are not numbers.
struct ImportedPostsTests {
    @Test(arguments: [1 as UInt64, 2, 3])
    func answersAsADictionaryWould(seed: UInt64) {
        // Knuth's MMIX linear congruential generator, high bits: the same seed, the same steps.
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        var table = ImportedPosts()
        var model: [PostKey: HistoryTranslator.Known] = [:]
        func randomKey() -> PostKey {
            switch next() % 10 {
            case 0: return .other("mastodon:\(next() % 5_000)x")
            case 1: return .numbered(channel: UInt8(next() % 4), number: [0, .max, .max - 1][Int(next() % 3)])
            case 2: return .numbered(channel: .max, number: next() % 100)
            default: return .numbered(channel: UInt8(next() % 3), number: next() % 40_000)
            }
        }
        for step in 0..<60_000 {
            let key = randomKey()
            let known = HistoryTranslator.Known(time: Int64(bitPattern: next()), isTeam: next() % 2 == 0)
            table.insertIfAbsent(key, known)
            if model[key] == nil { model[key] = known }
            if step % 7 == 0, let index = table.index(of: key) {
                table[index].handled = true
                table[index].preexisting = step % 2 == 0
                model[key]!.handled = true
                model[key]!.preexisting = step % 2 == 0
            }
            let probe = randomKey()
            #expect(table[probe] == model[probe], "step \(step): \(probe)")
        }
        #expect(table.count == model.count)
        #expect(Set(table.keys) == Set(model.keys) && table.keys.count == model.count)
        for (key, known) in model { #expect(table[key] == known) }
    }
}
