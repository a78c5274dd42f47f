import Foundation

/// The archive formats `smcc import` reads.
public enum ImportFormat: String, CaseIterable, Sendable {
    /// The Kaggle "Customer Support on Twitter" CSV.
    case twcs
    /// A CSV of tweets (a hashtag-archiving script's columns, or any through a column mapping).
    case csv
    /// Twitter API v2 JSON as twarc2 writes it: response pages, flattened tweets, stream lines.
    case twarc
    /// Twitter API v1.1 statuses: arrays, search results, JSONL streams.
    case tweets
    /// Mastodon statuses, contexts, notifications.
    case mastodon
    /// Our own events, as `smcc export` writes them.
    case ndjson

    /// The format of `file`, told from its first bytes: a CSV header naming TWCS's columns or
    /// another CSV; JSON whose first object has our `kind`/`actor`, Mastodon's `account` and
    /// `content` (or `ancestors`, or a notification's `type` and `status`), Twitter v2's `data`,
    /// `author_id` or `edit_history_tweet_ids`, or v1.1's `id_str`/`statuses`.
    ///
    /// An empty file is `ndjson` (it imports nothing).
    ///
    /// - Throws: `ImportError` when the file cannot be read or is none of these.
    public static func detect(_ file: String) throws -> ImportFormat {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw ImportError("\(file): cannot be read (missing, or no permission)")
        }
        defer { try? handle.close() }
        let head = String(decoding: (try? handle.read(upToCount: 64 * 1024)) ?? Data(), as: UTF8.self)
        let trimmed = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        // An empty file holds nothing to import, in any format: read as NDJSON, it appends nothing.
        guard let first = trimmed.first else { return .ndjson }
        if first == "{" || first == "[" {
            func has(_ key: String) -> Bool { head.contains("\"\(key)\"") }
            if has("kind") && has("actor") && has("at") { return .ndjson }
            if has("ancestors") || has("descendants") { return .mastodon }
            if has("account") && (has("content") || has("status")) { return .mastodon }
            if has("id_str") || has("statuses") { return .tweets }
            if has("data") || has("author_id") || has("edit_history_tweet_ids") || has("__twarc") { return .twarc }
            if has("full_text") || has("screen_name") { return .tweets }
            throw ImportError("\(file): JSON of no known archive format; name it with --format")
        }
        let header = trimmed.prefix { $0 != "\n" }.lowercased()
        if header.contains("tweet_id") && header.contains("author_id") && header.contains("inbound") { return .twcs }
        if header.contains(",") { return .csv }
        throw ImportError("\(file): neither JSON nor a CSV with a header; name the format with --format")
    }
}

/// How an import reads its files, beyond the format.
public struct ImportOptions: Sendable {
    /// The accounts of the team running the desk (`csv`, `twarc`, `tweets`, `mastodon`): their
    /// answers become `replied`, their other posts `postPublished`. Compared case-insensitively,
    /// without `@`.
    public var team: [String] = []
    /// For `csv`: which column holds which field (`id`, `time`, `author`, `text`, `replyTo`,
    /// `url`, `repost`), over the defaults of ``CSVColumns``.
    public var columns: [String: String] = [:]
    /// Import the good rows and report the bad ones instead of refusing the import.
    public var skipBad = false
    /// Events per append transaction.
    public var batchSize = 10_000

    public init(team: [String] = [], columns: [String: String] = [:], skipBad: Bool = false, batchSize: Int = 10_000) {
        self.team = team
        self.columns = columns
        self.skipBad = skipBad
        self.batchSize = max(1, batchSize)
    }

    func isTeam(_ handle: String) -> Bool {
        guard !team.isEmpty else { return false }
        let plain = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
        return team.contains { $0.lowercased() == plain.lowercased() || "@" + plain.lowercased() == $0.lowercased() }
    }
}
