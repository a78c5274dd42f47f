/// One stored event read in place: the projections' decode path.
///
/// Why: a full ``EventCodec/decode(_:at:)`` builds every `String` of the event — the text, the
/// author, each hashtag and mention, the url — and a replay into every projection reads none of
/// the texts and needs the ids only as integers. A view walks the payload once, recording where
/// each field is (no allocation), and reads a field only when asked: scalars (channel, times,
/// outcome, role) directly from the bytes, ids as integers interned in the log's ``Symbols``
/// (``Symbols/intern(_:)`` fills ``ids`` once, for every projection), and strings only for the
/// accessors that return one (the rare kinds: a volunteer's name, a rule).
///
/// What it checks: the walk refuses what §6 of `Schemas/log-format.md` tells a reader to refuse
/// in the structure (unknown kind, undefined flag bit, enum out of range, a length past the end,
/// bytes left over); UTF-8 is checked for the strings it turns into ids or `String`s, not for the
/// texts it skips (``EventCodec/decode(_:at:)``, which `verify` and `export` use, checks all).
///
/// The layout knowledge lives in the initializer and the accessors below, and nowhere else in
/// the projections: a change of the payload format changes this file, not its callers.
public struct EventView: Sendable {
    /// The kind.
    public let kind: EventKind
    /// The record's time (the event's `at`).
    public let at: Timestamp
    /// The ids of the event, once ``Symbols/intern(_:)`` has interned it.
    var ids = EventIDs()

    let bytes: ArraySlice<UInt8>
    /// The record's personal part (format 2, §6), empty when it has none: the kind's personal
    /// fields are read from it rather than from `bytes`, where they are emptied.
    let personal: ArraySlice<UInt8>
    /// Which ranges point into `personal` (``PersonalRange``).
    private(set) var personalRanges: UInt8 = 0
    /// The record's personal part was erased: its personal fields read as empty.
    public let isErased: Bool
    let actorRange: Span
    /// The kind's first string: its post, volunteer or rule.
    let subjectRange: Span
    let flags: UInt8
    /// postReceived: author; postAssigned, escalated: to; volunteerJoined: name; postPublished,
    /// replied, noteAdded: text.
    private(set) var secondRange = Span()
    /// postReceived: text; escalated: reason.
    private(set) var thirdRange = Span()
    /// The strings of a list field after its count: postReceived: hashtags; postTagged: tags;
    /// postPublished: media.
    private(set) var listRange = Span()
    private(set) var listCount: Int32 = 0
    /// postReceived: mentions.
    private(set) var mentionsRange = Span()
    private(set) var mentionsCount: Int32 = 0
    /// The optional strings, in field order, for the flag bits that are set: postReceived:
    /// inReplyTo, conversation, url; replied: replyPost; postUnassigned: reason;
    /// escalationResolved: resolution; volunteerJoined: team.
    private(set) var optionalRanges = (Span(), Span(), Span())
    /// The enum code: channel, outcome, role, priority (0xFF: none), roleChanged's `from`.
    private(set) var code: UInt8 = 0xFF
    /// roleChanged's `to`.
    private(set) var secondCode: UInt8 = 0xFF
    /// postReceived: postedAt, in milliseconds.
    private(set) var time: Int64 = 0
    /// postReceived: the platform's repost and like counts (`-1`: not given), and the post it quotes.
    private(set) var counts: (reposts: Int64, likes: Int64) = (-1, -1)
    private(set) var quoteRange = Span()

    /// Walks `payload`, the stored form of an event at `at`, and its personal part, if any.
    /// - Throws: ``EventDecodingError`` for a payload or personal part whose structure is not an event's.
    @inline(__always)
    public init(_ payload: ArraySlice<UInt8>, personal: ArraySlice<UInt8>? = nil, erased: Bool = false, at: Timestamp) throws(EventDecodingError) {
        self.personal = personal ?? []
        isErased = erased
        var r = PayloadReader(payload)
        let code = try r.byte("kind")
        guard let kind = EventKind(rawValue: code) else {
            throw EventDecodingError("unknown kind code \(code)", offset: 0)
        }
        self.kind = kind
        self.at = at
        bytes = payload
        actorRange = Span(try r.lengthPrefixedRange("actor"))
        if let bits = kind.flagBits {
            // At most 4 bits are defined, and `flags` refuses the others.
            flags = UInt8(truncatingIfNeeded: try r.flags(definedBits: bits, kind: kind))
        } else {
            flags = 0
        }
        if kind == .personalDataErased || kind == .logUpgraded {
            // The log's own administration has no subject.
            subjectRange = Span()
        } else {
            let field = kind.isPostKind ? "post" : kind.isVolunteerKind ? "volunteer" : kind == .eventDescribed ? "name" : "rule"
            subjectRange = Span(try r.lengthPrefixedRange(field))
        }
        switch kind {
        case .postReceived:
            self.code = try r.enumerationCode("channel", Channel.init(code:))
            secondRange = Span(try r.lengthPrefixedRange("author"))
            thirdRange = Span(try r.lengthPrefixedRange("text"))
            (listRange, listCount) = try r.stringList("hashtags")
            (mentionsRange, mentionsCount) = try r.stringList("mentions")
            time = try r.time("postedAt", relativeTo: at).milliseconds
            optionalRanges.0 = try flags & 1 != 0 ? Span(r.lengthPrefixedRange("inReplyTo")) : Span()
            optionalRanges.1 = try flags & 2 != 0 ? Span(r.lengthPrefixedRange("conversation")) : Span()
            optionalRanges.2 = try flags & 8 != 0 ? Span(r.lengthPrefixedRange("url")) : Span()
            if flags & 16 != 0 { counts.reposts = Int64(clamping: try r.varint("repostCount")) }
            if flags & 32 != 0 { counts.likes = Int64(clamping: try r.varint("likeCount")) }
            if flags & 64 != 0 { quoteRange = Span(try r.lengthPrefixedRange("quoteOf")) }
        case .postPublished:
            self.code = try r.enumerationCode("channel", Channel.init(code:))
            secondRange = Span(try r.lengthPrefixedRange("text"))
            if flags & 1 != 0 { (listRange, listCount) = try r.stringList("media") }
        case .postAssigned:
            secondRange = Span(try r.lengthPrefixedRange("to"))
        case .postUnassigned:
            optionalRanges.0 = try flags & 1 != 0 ? Span(r.lengthPrefixedRange("reason")) : Span()
        case .replied:
            secondRange = Span(try r.lengthPrefixedRange("text"))
            optionalRanges.0 = try flags & 1 != 0 ? Span(r.lengthPrefixedRange("replyPost")) : Span()
        case .escalated:
            secondRange = Span(try r.lengthPrefixedRange("to"))
            thirdRange = Span(try r.lengthPrefixedRange("reason"))
            if flags & 1 != 0 { self.code = try r.enumerationCode("priority", Priority.init(code:)) }
        case .escalationResolved:
            optionalRanges.0 = try flags & 1 != 0 ? Span(r.lengthPrefixedRange("resolution")) : Span()
        case .postResolved:
            self.code = try r.enumerationCode("outcome", Outcome.init(code:))
        case .noteAdded:
            secondRange = Span(try r.lengthPrefixedRange("text"))
        case .postTagged:
            (listRange, listCount) = try r.stringList("tags")
        case .volunteerJoined:
            secondRange = Span(try r.lengthPrefixedRange("name"))
            self.code = try r.enumerationCode("role", Role.init(code:))
            optionalRanges.0 = try flags & 1 != 0 ? Span(r.lengthPrefixedRange("team")) : Span()
        case .roleChanged:
            self.code = try r.enumerationCode("from", Role.init(code:))
            secondCode = try r.enumerationCode("to", Role.init(code:))
        case .eventDescribed:
            for field in ["timeZone", "firstDay", "lastDay"] { _ = try r.lengthPrefixedRange(field) }
            (listRange, listCount) = try r.stringList("hashtags")
            if flags & 1 != 0 { _ = try r.lengthPrefixedRange("venue") }
        case .personalDataErased:
            (listRange, listCount) = try r.stringList("posts")
            optionalRanges.0 = try flags & 1 != 0 ? Span(r.lengthPrefixedRange("reason")) : Span()
        case .logUpgraded:
            _ = try r.lengthPrefixedRange("fromFormat")
            _ = try r.lengthPrefixedRange("previousHead")
        case .volunteerLeft, .shiftStarted, .shiftEnded, .listeningRuleAdded, .listeningRuleRemoved:
            break
        }
        try r.finish()
        if let personal { try readPersonal(personal) }
    }

    /// Which of a view's ranges a personal field takes.
    private enum PersonalRange {
        static let second: UInt8 = 1, third: UInt8 = 2, mentions: UInt8 = 4, optional0: UInt8 = 8, optional2: UInt8 = 16
    }

    /// Points the kind's personal fields (§6: `PersonalFields`) at the personal part, where the
    /// payload has them emptied.
    private mutating func readPersonal(_ personal: ArraySlice<UInt8>) throws(EventDecodingError) {
        // The ranges the personal fields take, in the order of `PersonalFields.fields(of:)`.
        let targets: [UInt8]
        switch kind {
        case .postReceived: targets = [PersonalRange.second, PersonalRange.third, PersonalRange.mentions, PersonalRange.optional2]
        case .postPublished, .replied, .noteAdded, .volunteerJoined: targets = [PersonalRange.second]
        case .escalated: targets = [PersonalRange.third]
        case .postUnassigned, .escalationResolved, .personalDataErased: targets = [PersonalRange.optional0]
        default: throw EventDecodingError("a \(kind.name) has no personal part", offset: 0)
        }
        var r = PayloadReader(personal)
        let present = try r.flags(definedBits: targets.count, kind: kind)
        for (bit, target) in targets.enumerated() where present & (1 << UInt64(bit)) != 0 {
            switch target {
            case PersonalRange.mentions: (mentionsRange, mentionsCount) = try r.stringList("mentions")
            case PersonalRange.second: secondRange = Span(try r.lengthPrefixedRange("personal"))
            case PersonalRange.third: thirdRange = Span(try r.lengthPrefixedRange("personal"))
            case PersonalRange.optional0: optionalRanges.0 = Span(try r.lengthPrefixedRange("personal"))
            default: optionalRanges.2 = Span(try r.lengthPrefixedRange("personal"))
            }
            personalRanges |= target
        }
        try r.finish()
    }

    /// The bytes a range points into.
    @inline(__always)
    private func buffer(_ range: UInt8) -> ArraySlice<UInt8> { personalRanges & range != 0 ? personal : bytes }

    /// The view of `event`, through its stored form: how a projection fed whole events (live
    /// commands, tests) takes the same path as a replay.
    public init(_ event: Event) {
        // An encoded event always walks: `encode` writes what `init(_:at:)` reads.
        try! self.init(EventCodec.encode(event)[...], erased: event.isErased, at: event.at)
    }

    /// The whole event, every field decoded and checked (what ``EventCodec/decode(_:at:)`` gives).
    public func event() throws(EventDecodingError) -> Event {
        if personal.isEmpty && !isErased { return try EventCodec.decode(bytes, at: at) }
        return try EventCodec.decode(bytes, personal: personal.isEmpty ? nil : personal, erased: isErased, at: at)
    }

    // MARK: Scalars

    /// The channel of a `postReceived` or `postPublished`.
    public var channel: Channel? { kind == .postReceived || kind == .postPublished ? Channel(code: code) : nil }
    /// `postedAt` of a `postReceived`.
    public var postedAt: Timestamp? { kind == .postReceived ? Timestamp(milliseconds: time) : nil }
    /// `isRepost` of a `postReceived`.
    public var isRepost: Bool { kind == .postReceived && flags & 4 != 0 }
    /// The outcome of a `postResolved`.
    public var outcome: Outcome? { kind == .postResolved ? Outcome(code: code) : nil }
    /// The priority of an `escalated`, if it has one.
    public var priority: Priority? { kind == .escalated ? Priority(code: code) : nil }
    /// The role of a `volunteerJoined`, or the new role (`to`) of a `roleChanged`.
    public var role: Role? {
        switch kind {
        case .volunteerJoined: Role(code: code)
        case .roleChanged: Role(code: secondCode)
        default: nil
        }
    }
    /// The previous role (`from`) of a `roleChanged`.
    public var previousRole: Role? { kind == .roleChanged ? Role(code: code) : nil }
    /// How many hashtags a `postReceived` lists (repeats included).
    public var hashtagCount: Int { kind == .postReceived ? Int(listCount) : 0 }

    // MARK: Strings, built on demand

    /// The actor.
    public var actor: String { string(actorRange.range) }
    /// The post id of a post kind.
    public var post: String? { kind.isPostKind ? string(subjectRange.range) : nil }
    /// The volunteer of a volunteer kind.
    public var volunteer: String? { kind.isVolunteerKind ? string(subjectRange.range) : nil }
    /// The rule of a listening-rule kind.
    public var rule: String? { kind == .listeningRuleAdded || kind == .listeningRuleRemoved ? string(subjectRange.range) : nil }
    /// The `to` of a `postAssigned` or an `escalated`.
    public var to: String? { kind == .postAssigned || kind == .escalated ? string(secondRange.range) : nil }
    /// The author of a `postReceived`.
    public var author: String? { kind == .postReceived ? string(secondRange.range, in: PersonalRange.second) : nil }
    /// The name of a `volunteerJoined`.
    public var name: String? { kind == .volunteerJoined ? string(secondRange.range, in: PersonalRange.second) : nil }
    /// The team of a `volunteerJoined`, if it names one.
    public var team: String? { kind == .volunteerJoined && flags & 1 != 0 ? string(optionalRanges.0.range) : nil }
    /// The text of a `postReceived`, `postPublished`, `replied` or `noteAdded`.
    public var text: String? {
        switch kind {
        case .postReceived: string(thirdRange.range, in: PersonalRange.third)
        case .postPublished, .replied, .noteAdded: string(secondRange.range, in: PersonalRange.second)
        default: nil
        }
    }
    /// The hashtags of a `postReceived`.
    public var hashtags: [String] { kind == .postReceived ? strings(listRange.range, Int(listCount)) : [] }
    /// The mentions of a `postReceived`.
    public var mentions: [String] { kind == .postReceived ? strings(mentionsRange.range, Int(mentionsCount), in: PersonalRange.mentions) : [] }
    /// `inReplyTo` of a `postReceived`.
    public var inReplyTo: String? { kind == .postReceived && flags & 1 != 0 ? string(optionalRanges.0.range) : nil }
    /// `conversation` of a `postReceived`.
    public var conversation: String? { kind == .postReceived && flags & 2 != 0 ? string(optionalRanges.1.range) : nil }

    // MARK: Bytes, for the byte-level readers of this module

    /// `postedAt` of a `postReceived`, in milliseconds.
    var postedAtMilliseconds: Int64 { time }
    /// A `postReceived` that quotes a post (`quoteOf`).
    var isQuote: Bool { kind == .postReceived && flags & 64 != 0 }
    /// The UTF-8 of a `postReceived`'s author (empty once erased).
    var authorBytes: ArraySlice<UInt8> { buffer(PersonalRange.second)[secondRange.range] }
    /// The UTF-8 of a `postReceived`'s `inReplyTo`, `nil` for none.
    var inReplyToBytes: ArraySlice<UInt8>? { kind == .postReceived && flags & 1 != 0 ? bytes[optionalRanges.0.range] : nil }

    /// The UTF-8 of the actor.
    var actorBytes: ArraySlice<UInt8> { bytes[actorRange.range] }
    /// The UTF-8 of the post, volunteer or rule.
    var subjectBytes: ArraySlice<UInt8> { bytes[subjectRange.range] }
    /// The UTF-8 of the `to`, `author` or `name` (see ``secondRange``).
    var secondBytes: ArraySlice<UInt8> { buffer(PersonalRange.second)[secondRange.range] }
    /// The UTF-8 of a `postReceived`'s text.
    var textBytes: ArraySlice<UInt8> { kind == .postReceived ? buffer(PersonalRange.third)[thirdRange.range] : buffer(PersonalRange.second)[secondRange.range] }
    /// The UTF-8 of the team of a `volunteerJoined` (`nil` for none).
    var teamBytes: ArraySlice<UInt8>? { kind == .volunteerJoined && flags & 1 != 0 ? bytes[optionalRanges.0.range] : nil }

    /// Calls `body` with the UTF-8 of each string of a `postReceived`'s hashtags.
    func forEachHashtag(_ body: (ArraySlice<UInt8>) throws(EventDecodingError) -> Void) throws(EventDecodingError) {
        guard kind == .postReceived else { return }
        try forEach(listRange.range, Int(listCount), body)
    }

    /// Calls `body` with the UTF-8 of each of a `postReceived`'s mentions.
    func forEachMention(_ body: (ArraySlice<UInt8>) throws(EventDecodingError) -> Void) throws(EventDecodingError) {
        guard kind == .postReceived else { return }
        try forEach(mentionsRange.range, Int(mentionsCount), in: PersonalRange.mentions, body)
    }

    private func forEach(_ range: Range<Int>, _ count: Int, in place: UInt8 = 0, _ body: (ArraySlice<UInt8>) throws(EventDecodingError) -> Void) throws(EventDecodingError) {
        let source = buffer(place)
        var r = PayloadReader(source[range])
        for _ in 0..<count { try body(source[try r.lengthPrefixedRange("list")]) }
    }

    private func string(_ range: Range<Int>, in place: UInt8 = 0) -> String {
        // Checked when read, like every string a view hands out; a payload that passed
        // `init` but not this is damaged text: shown with replacement characters, never trapped on.
        let source = buffer(place)
        return UTF8Text.string(source[range]) ?? String(decoding: source[range], as: UTF8.self)
    }

    private func strings(_ range: Range<Int>, _ count: Int, in place: UInt8 = 0) -> [String] {
        var result: [String] = []
        result.reserveCapacity(count)
        try? forEach(range, count, in: place) { result.append(UTF8Text.string($0) ?? String(decoding: $0, as: UTF8.self)) }
        return result
    }
}

/// Where a field's bytes are in the scan's buffer: two 32-bit offsets, half a `Range<Int>` (a
/// view is copied a few times per event; the buffer of a chunk is far below 2 GiB).
struct Span: Sendable {
    var start: Int32 = 0
    var end: Int32 = 0

    init() {}

    @inline(__always)
    init(_ range: Range<Int>) {
        start = Int32(truncatingIfNeeded: range.lowerBound)
        end = Int32(truncatingIfNeeded: range.upperBound)
    }

    @inline(__always)
    var range: Range<Int> { Int(start)..<Int(end) }
}

/// The ids of one event, interned by ``Symbols/intern(_:)`` (`-1` / `none`: the event has no such field).
struct EventIDs: Sendable {
    static let none = UInt32.max
    /// The actor, in ``Symbols/names``.
    var actor = none
    /// The post of a post kind, in ``Symbols/posts``; `-1` for a post never received.
    var post: Int32 = -1
    /// postAssigned, escalated: the `to`; volunteer kinds: the volunteer; in ``Symbols/names``.
    var person = none
    /// volunteerJoined: the team, in ``Symbols/names``.
    var team = none
    /// postReceived: whether this event introduced its post (the first `postReceived` of the id).
    var isNewPost = false
}

extension PayloadReader {
    /// An enum's code byte, checked against the cases.
    @inline(__always)
    mutating func enumerationCode<Value>(_ field: String, _ make: (UInt8) -> Value?) throws(EventDecodingError) -> UInt8 {
        let code = try byte(field)
        guard make(code) != nil else {
            index -= 1
            throw error("field '\(field)': value \(code) out of range")
        }
        return code
    }

    /// A list of strings: the span its strings take after the count, and the count.
    @inline(__always)
    mutating func stringList(_ field: String) throws(EventDecodingError) -> (Span, Int32) {
        let count = try varint(field)
        guard count <= UInt64(bytes.endIndex - index) else {
            throw error("field '\(field)': count \(count) runs past the payload")
        }
        let start = index
        for _ in 0..<count { _ = try lengthPrefixedRange(field) }
        // The count is below the payload's length (checked above), itself below 2^31.
        return (Span(start..<index), Int32(truncatingIfNeeded: count))
    }
}
