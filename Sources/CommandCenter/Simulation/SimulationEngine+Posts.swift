// Inbound posts: channel, id, author, text, hashtags, mentions, lag, reposts and replies.

extension SimulationEngine {
    static let channels: [Channel] = [.twitter, .instagram, .facebook, .linkedin, .mastodon, .bluesky, .youtube, .other]
    static let channelWeights: [Double] = [89, 5, 3, 2, 0.4, 0.35, 0.15, 0.1]
    static let categories: [PostCategory] = [.question, .complaint, .praise, .chatter, .spam, .duplicate]
    static let categoryWeights: [Double] = [40, 12, 28, 16.5, 2, 1.5]
    static let topical = ["swiftlang", "opensource", "ai", "hallwaytrack", "devrel", "a11y", "serverside"]

    func makePost(slot: Int32) -> (PostReceived, Post) {
        var r = contentRandom
        defer { contentRandom = r }
        let channel = Self.channels[r.weighted(Self.channelWeights)]
        inboundCounter += 1
        let lag: Int64
        switch channel {
        case .twitter: lag = r.seconds(1, 20)
        case .instagram: lag = r.seconds(30, 300)
        default: lag = r.seconds(30, 600)
        }
        let postedAt = now - lag
        let id = inboundID(channel, postedAt: postedAt, &r)
        // Frequent posters: the author number is skewed towards small numbers.
        let authorNumber = Int32(Double(texts.authorPool) * r.unit() * r.unit())
        let author = texts.author(Int(authorNumber))
        let day = timeline.dayAndHour(now).day
        let topic = timeline.topic(at: now, random: &r)

        // Reposts: an original seen recently, with its text and tags.
        if topic == nil, r.chance(0.08), let original = recentOriginals.isEmpty ? nil : r.pick(recentOriginals),
           let seen = recentTexts[original] {
            let originalAuthor = self.author(original)
            let text = String("RT @\(originalAuthor): \(seen.text)".prefix(280))
            let received = PostReceived(post: id, channel: channel, author: author, text: text, hashtags: seen.hashtags, mentions: [originalAuthor],
                                        postedAt: Timestamp(milliseconds: postedAt), conversation: postIDs[Int(original)], isRepost: true,
                                        url: url(channel, id: id, author: author))
            return (received, Post(receivedAt: now, author: authorNumber, category: .repost))
        }

        var category: PostCategory
        var body: String
        var hashtags: [String] = []
        var mentions: [String] = []
        var inReplyTo: String? = nil
        if let topic {
            category = .emerging
            let t = timeline.topics[topic]
            body = texts.fill(r.pick(ConferenceTexts.emergingTemplates[t.kind]!), &r, day: day)
            hashtags.append(t.tag)
            // Before the rule exists, only posts that also carry the event hashtag reach the desk.
            if !rulesAdded[topic] || r.chance(0.5) { hashtags.append(options.eventHashtag) }
            if r.chance(0.3) { mentions.append(options.deskAccount) }
        } else {
            category = Self.categories[r.weighted(Self.categoryWeights)]
            if category == .duplicate, let earlier = recentQuestions.isEmpty ? nil : r.pick(recentQuestions), let seen = recentTexts[earlier] {
                body = r.pick(["Asking again: ", "Still no answer? ", "Anyone? ", ""]) + seen.text
                hashtags = seen.hashtags
                inReplyTo = postIDs[Int(earlier)]
            } else {
                if category == .duplicate { category = .question }
                let templates: [String]
                switch category {
                case .question: templates = ConferenceTexts.questionTemplates
                case .complaint: templates = ConferenceTexts.complaintTemplates
                case .praise: templates = ConferenceTexts.praiseTemplates
                case .chatter: templates = ConferenceTexts.chatterTemplates
                default: templates = ConferenceTexts.spamTemplates
                }
                body = texts.fill(r.pick(templates), &r, day: day)
                if category == .spam {
                    hashtags = [options.eventHashtag]
                } else {
                    if r.chance(0.8) { hashtags.append(options.eventHashtag) }
                    if (category == .question || category == .complaint) && r.chance(0.7) { hashtags.append(options.helpHashtag) }
                    if timeline.isKeynote(now) && r.chance(0.45) { hashtags.append("keynote") }
                    if r.chance(0.2) { hashtags.append(r.pick(Self.topical)) }
                    if (category == .question || category == .complaint) && r.chance(0.45) { mentions.append(options.deskAccount) }
                }
                if category == .chatter || category == .praise, !published.isEmpty, r.chance(0.12) {
                    inReplyTo = r.pick(published)
                }
            }
            if hashtags.isEmpty { hashtags.append(options.eventHashtag) }
        }
        // A mention is the handle only, as a platform reads it: "@oleg_ops's talk" names oleg_ops,
        // "@amira.builds!" amira.builds (letters, digits, `_` and inner dots).
        for word in body.split(separator: " ") where word.hasPrefix("@") {
            var handle = word.dropFirst().prefix { $0 == "_" || $0 == "." || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
            while handle.hasSuffix(".") { handle = handle.dropLast() }
            if !handle.isEmpty, !mentions.contains(String(handle)) { mentions.append(String(handle)) }
        }
        let lead = mentions.first == options.deskAccount && !body.contains("@" + options.deskAccount) ? "@\(options.deskAccount) " : ""
        let text = lead + body + " " + hashtags.map { "#" + $0 }.joined(separator: " ")
        let urgent = urgentRules.contains { rule in
            switch rule.target {
            case .hashtag(let tag): hashtags.contains(tag)
            case .account(let account): author.lowercased() == account || mentions.contains { $0.lowercased() == account }
            case .keyword(let keyword): ListeningRule.containsIgnoringASCIICase(text, keyword)
            }
        }
        let received = PostReceived(post: id, channel: channel, author: author, text: text, hashtags: hashtags, mentions: mentions,
                                    postedAt: Timestamp(milliseconds: postedAt), inReplyTo: inReplyTo, conversation: inReplyTo,
                                    url: url(channel, id: id, author: author))
        var post = Post(receivedAt: now, author: authorNumber, category: category, urgent: urgent)
        if let topic { post.topic = Int8(topic) }
        remember(slot, received, category)
        return (received, post)
    }

    private func remember(_ slot: Int32, _ received: PostReceived, _ category: PostCategory) {
        recentTexts[slot] = (received.text, received.hashtags)
        recentOriginals.append(slot)
        if category == .question { recentQuestions.append(slot) }
        if recentOriginals.count > 64 {
            let dropped = recentOriginals.removeFirst()
            if !recentQuestions.contains(dropped) { recentTexts[dropped] = nil }
        }
        if recentQuestions.count > 32 {
            let dropped = recentQuestions.removeFirst()
            if !recentOriginals.contains(dropped) { recentTexts[dropped] = nil }
        }
    }

    private func inboundID(_ channel: Channel, postedAt: Int64, _ r: inout SimulationRandom) -> String {
        let sequence = inboundCounter & 0x1F_FFFF
        let snowflake = UInt64(max(0, postedAt - Self.twitterEpoch)) << 22 | sequence
        switch channel {
        case .twitter: return "twitter:\(snowflake)"
        case .instagram: return "instagram:\(3_000_000_000_000_000_000 + UInt64(max(0, postedAt - Self.twitterEpoch)) * 100 + inboundCounter % 100)"
        case .facebook: return "facebook:104857600123_\(900_000_000_000 + inboundCounter)"
        case .linkedin: return "linkedin:urn:li:activity:\(7_100_000_000_000_000_000 + snowflake >> 2)"
        case .mastodon: return "mastodon:\(snowflake >> 6)"
        case .bluesky: return "bluesky:3k\(r.token(11).lowercased())\(inboundCounter)"
        case .youtube: return "youtube:Ugx\(r.token(16))\(inboundCounter)"
        case .other: return "other:forum-\(inboundCounter)"
        }
    }

    private func url(_ channel: Channel, id: String, author: String) -> String? {
        let native = id.dropFirst(channel.rawValue.count + 1)
        switch channel {
        case .twitter: return "https://twitter.com/\(author)/status/\(native)"
        case .instagram: return "https://www.instagram.com/p/\(native)/"
        case .mastodon: return "https://mastodon.social/@\(author)/\(native)"
        default: return nil
        }
    }
}
