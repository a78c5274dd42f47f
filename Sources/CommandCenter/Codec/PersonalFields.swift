/// The fields of an event that may have to be erased (`Schemas/log-format.md` §6, event format
/// `smcc-event 2`): what identifies a person or was written by or about one — a post's author,
/// text, mentions and link, and every free text of the desk (replies, notes, reasons, a
/// volunteer's name). They travel as the record's *personal part*, beside the payload; the
/// payload holds the event with these fields emptied (strings `""`, lists `[]`, optional ones
/// absent), so everything else — kinds, times, post ids, channels, hashtags, who did what — stays
/// readable, countable and chained after an erasure.
///
/// The personal part of an event: a varint whose bit `i` says the kind's personal field `i` (in
/// the order below) is present, then the present ones in that order. An event whose personal
/// fields are all absent has no personal part.
public enum PersonalFields {
    /// A personal field: its interchange name and whether it is a list.
    struct Field {
        var name: String
        var isList = false
    }

    /// The personal fields of `kind`, in order.
    static func fields(of kind: EventKind) -> [Field] { table[Int(kind.rawValue)] }

    /// ``fields(of:)`` by kind code, built once: every decode of a record asks.
    private static let table: [[Field]] = (0...Int(UInt8.max)).map { code in
        switch EventKind(rawValue: UInt8(code)) {
        case .postReceived?: [Field(name: "author"), Field(name: "text"), Field(name: "mentions", isList: true), Field(name: "url")]
        case .postPublished?, .replied?, .noteAdded?: [Field(name: "text")]
        case .postUnassigned?, .escalated?: [Field(name: "reason")]
        case .escalationResolved?: [Field(name: "resolution")]
        case .volunteerJoined?: [Field(name: "name")]
        case .personalDataErased?: [Field(name: "reason")]
        default: []
        }
    }

    /// The interchange names of `kind`'s personal fields.
    public static func names(of kind: EventKind) -> [String] { fields(of: kind).map(\.name) }

    /// The values of an event's personal fields, in the order of ``fields(of:)``: a string, a
    /// list, or `nil` when absent.
    enum Value: Equatable {
        case string(String)
        case strings([String])
    }

    static func values(of event: Event) -> [Value?] {
        switch event.body {
        case .postReceived(let b): [.string(b.author), .string(b.text), .strings(b.mentions), b.url.map(Value.string)]
        case .postPublished(let b): [.string(b.text)]
        case .replied(let b): [.string(b.text)]
        case .noteAdded(let b): [.string(b.text)]
        case .postUnassigned(let b): [b.reason.map(Value.string)]
        case .escalated(let b): [.string(b.reason)]
        case .escalationResolved(let b): [b.resolution.map(Value.string)]
        case .volunteerJoined(let b): [.string(b.name)]
        case .personalDataErased(let b): [b.reason.map(Value.string)]
        default: []
        }
    }

    /// `event` with its personal fields set to `values` (absent ones emptied).
    static func setting(_ values: [Value?], on event: Event) -> Event {
        var event = event
        func string(_ index: Int) -> String? { if case .string(let s)? = values[index] { s } else { nil } }
        func strings(_ index: Int) -> [String]? { if case .strings(let s)? = values[index] { s } else { nil } }
        switch event.body {
        case .postReceived(var b):
            b.author = string(0) ?? ""
            b.text = string(1) ?? ""
            b.mentions = strings(2) ?? []
            b.url = string(3)
            event.body = .postReceived(b)
        case .postPublished(var b):
            b.text = string(0) ?? ""
            event.body = .postPublished(b)
        case .replied(var b):
            b.text = string(0) ?? ""
            event.body = .replied(b)
        case .noteAdded(var b):
            b.text = string(0) ?? ""
            event.body = .noteAdded(b)
        case .postUnassigned(var b):
            b.reason = string(0)
            event.body = .postUnassigned(b)
        case .escalated(var b):
            b.reason = string(0) ?? ""
            event.body = .escalated(b)
        case .escalationResolved(var b):
            b.resolution = string(0)
            event.body = .escalationResolved(b)
        case .volunteerJoined(var b):
            b.name = string(0) ?? ""
            event.body = .volunteerJoined(b)
        case .personalDataErased(var b):
            b.reason = string(0)
            event.body = .personalDataErased(b)
        default: break
        }
        return event
    }

    /// `event` with every personal field emptied: what the payload holds, and what an erased
    /// event reads as.
    public static func emptied(_ event: Event) -> Event {
        let count = fields(of: event.kind).count
        guard count > 0 else { return event }
        return setting(Array(repeating: nil, count: count), on: event)
    }

    /// The personal part of `event`, `nil` when it has none.
    static func encode(_ event: Event) -> [UInt8]? {
        let values = values(of: event)
        guard values.contains(where: { $0 != nil }) else { return nil }
        var flags: UInt64 = 0
        for (bit, value) in values.enumerated() where value != nil { flags |= 1 << UInt64(bit) }
        var bytes: [UInt8] = []
        bytes.appendVarint(flags)
        for value in values {
            switch value {
            case .string(let s)?: bytes.appendString(s)
            case .strings(let s)?: bytes.appendStrings(s)
            case nil: break
            }
        }
        return bytes
    }

    /// `event` (decoded from its payload, personal fields empty) with the personal part `bytes`.
    ///
    /// - Throws: ``EventDecodingError`` for bytes that are not a personal part of the event's kind.
    static func apply(_ bytes: ArraySlice<UInt8>, to event: Event) throws(EventDecodingError) -> Event {
        let fields = fields(of: event.kind)
        guard !fields.isEmpty else { throw EventDecodingError("a \(event.kind.name) has no personal part", offset: 0) }
        var r = PayloadReader(bytes)
        let flags = try r.flags(definedBits: fields.count, kind: event.kind)
        var values: [Value?] = []
        values.reserveCapacity(fields.count)
        for (bit, field) in fields.enumerated() {
            guard flags & (1 << UInt64(bit)) != 0 else {
                values.append(nil)
                continue
            }
            values.append(field.isList ? .strings(try r.strings(field.name)) : .string(try r.string(field.name)))
        }
        try r.finish()
        return setting(values, on: event)
    }
}
