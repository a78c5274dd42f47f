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
        let repair = ReplyLinkRepair(posts: posts, targets: targets)
        #expect(repair.repaired == 3)
        #expect(repair.exact(PostKey(.twitter, "838899455827009000")) == PostKey(.twitter, "838899455827009537"))
        #expect(repair.exact(PostKey(.twitter, "838888813468483000")) == PostKey(.twitter, "838888813468483584"))
        #expect(repair.exact(PostKey(.twitter, "700000000000000000")) == PostKey(.twitter, "700000000000000000"))
        #expect(repair.exact(PostKey(.twitter, "555000000000000000")) == PostKey(.twitter, "555000000000000000"))
        #expect(PostKey(.twitter, "838899455827009537").platformID == "838899455827009537")
    }
}
