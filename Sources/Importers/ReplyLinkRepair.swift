import CommandCenter

/// Reply links an archive's float-mangled ids broke, mended: a reply-to id whose last digits were
/// lost (`838890507027767000`) is linked to the post of the import it was cut from, when exactly
/// one post's id gives that number once its last digits are cut (or rounded). A target that
/// matches no post, or more than one, is left as the archive wrote it: a reply to a post outside
/// the file is counted as such, never pointed at a post it may not answer.
struct ReplyLinkRepair {
    /// Mangled target → the exact post it was cut from.
    private(set) var links: [PostKey: PostKey] = [:]
    /// Replies whose link was mended (each reply counted, not each target).
    private(set) var repaired = 0

    /// The repairs of `targets` (the reply-to keys of the posts of files known to be lossy)
    /// against the import's `posts`, asked for only when there are targets: most archives keep
    /// their ids whole, and need no set of every post.
    init(posts: () -> [PostKey], targets: [PostKey]) {
        guard !targets.isEmpty else { return }
        let known = Set(posts())
        var wanted: [PostKey: Int] = [:]
        for target in targets where Self.mayHaveLostDigits(target) && !known.contains(target) {
            wanted[target, default: 0] += 1
        }
        guard !wanted.isEmpty else { return }
        // Group the import's numbered ids by their leading digits, for each cut a target shows.
        let cuts = Set(wanted.keys.compactMap { key -> Int? in
            if case .numbered(_, let number) = key { return Self.trailingZeros(number) }
            return nil
        })
        var byCut: [Int: [PostKey: [PostKey]]] = [:]
        for cut in cuts {
            var groups: [PostKey: [PostKey]] = [:]
            let unit = Self.power(cut)
            for post in known {
                guard case .numbered(let channel, let number) = post else { continue }
                let truncated = number / unit * unit
                groups[.numbered(channel: channel, number: truncated), default: []].append(post)
                let (rounded, overflow) = truncated.addingReportingOverflow(number % unit >= unit / 2 ? unit : 0)
                if !overflow && rounded != truncated { groups[.numbered(channel: channel, number: rounded), default: []].append(post) }
            }
            byCut[cut] = groups
        }
        for (target, replies) in wanted {
            guard case .numbered(_, let number) = target, let candidates = byCut[Self.trailingZeros(number)]?[target],
                  candidates.count == 1 else { continue }
            links[target] = candidates[0]
            repaired += replies
        }
    }

    /// Whether `target` may be an id cut short: a number ending in two zeros or more. Only such
    /// targets are kept for the repair (the rest are most of an archive's replies).
    static func mayHaveLostDigits(_ target: PostKey) -> Bool {
        guard case .numbered(_, let number) = target else { return false }
        return trailingZeros(number) >= 2
    }

    /// The exact post `target` stands for: its repair, or itself.
    func exact(_ target: PostKey) -> PostKey { links[target] ?? target }

    static func trailingZeros(_ n: UInt64) -> Int {
        guard n > 0 else { return 0 }
        var n = n, zeros = 0
        while n % 10 == 0 { n /= 10; zeros += 1 }
        return zeros
    }

    static func power(_ exponent: Int) -> UInt64 {
        (0..<exponent).reduce(UInt64(1)) { value, _ in value * 10 }
    }
}

extension PostKey {
    /// The platform id, without the channel (`838901760643248130`).
    var platformID: String {
        switch self {
        case .numbered(_, let number): String(number)
        case .other(let id): String(id.drop { $0 != ":" }.dropFirst())
        }
    }
}
