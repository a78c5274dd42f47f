// One case per kind, mirroring the table of `Schemas/log-format.md` §6 row by row; keep its order.

extension InterchangeJSON {
    /// The kind's own fields, each as `,"name":value`, in spec order.
    static func writeFields(of event: Event, into buffer: inout [UInt8]) {
        switch event.body {
        case .postReceived(let b):
            buffer.append(contentsOf: ",\"post\":".utf8)
            writeString(b.post, into: &buffer)
            buffer.append(contentsOf: ",\"channel\":".utf8)
            writeRaw(b.channel.rawValue, into: &buffer)
            buffer.append(contentsOf: ",\"author\":".utf8)
            writeString(b.author, into: &buffer)
            buffer.append(contentsOf: ",\"text\":".utf8)
            writeString(b.text, into: &buffer)
            buffer.append(contentsOf: ",\"hashtags\":".utf8)
            writeStrings(b.hashtags, into: &buffer)
            buffer.append(contentsOf: ",\"mentions\":".utf8)
            writeStrings(b.mentions, into: &buffer)
            buffer.append(contentsOf: ",\"postedAt\":".utf8)
            writeTime(b.postedAt, into: &buffer)
            if let value = b.inReplyTo {
                buffer.append(contentsOf: ",\"inReplyTo\":".utf8)
                writeString(value, into: &buffer)
            }
            if let value = b.conversation {
                buffer.append(contentsOf: ",\"conversation\":".utf8)
                writeString(value, into: &buffer)
            }
            if b.isRepost { buffer.append(contentsOf: ",\"isRepost\":true".utf8) }
            if let value = b.url {
                buffer.append(contentsOf: ",\"url\":".utf8)
                writeString(value, into: &buffer)
            }
            if let value = b.repostCount {
                buffer.append(contentsOf: ",\"repostCount\":".utf8)
                writeInteger(UInt64(clamping: value), into: &buffer)
            }
            if let value = b.likeCount {
                buffer.append(contentsOf: ",\"likeCount\":".utf8)
                writeInteger(UInt64(clamping: value), into: &buffer)
            }
            if let value = b.quoteOf {
                buffer.append(contentsOf: ",\"quoteOf\":".utf8)
                writeString(value, into: &buffer)
            }
        case .postPublished(let b):
            buffer.append(contentsOf: ",\"post\":".utf8)
            writeString(b.post, into: &buffer)
            buffer.append(contentsOf: ",\"channel\":".utf8)
            writeRaw(b.channel.rawValue, into: &buffer)
            buffer.append(contentsOf: ",\"text\":".utf8)
            writeString(b.text, into: &buffer)
            if let value = b.media {
                buffer.append(contentsOf: ",\"media\":".utf8)
                writeStrings(value, into: &buffer)
            }
        case .postAssigned(let b):
            buffer.append(contentsOf: ",\"post\":".utf8)
            writeString(b.post, into: &buffer)
            buffer.append(contentsOf: ",\"to\":".utf8)
            writeString(b.to, into: &buffer)
        case .postUnassigned(let b):
            buffer.append(contentsOf: ",\"post\":".utf8)
            writeString(b.post, into: &buffer)
            if let value = b.reason {
                buffer.append(contentsOf: ",\"reason\":".utf8)
                writeString(value, into: &buffer)
            }
        case .replied(let b):
            buffer.append(contentsOf: ",\"post\":".utf8)
            writeString(b.post, into: &buffer)
            buffer.append(contentsOf: ",\"text\":".utf8)
            writeString(b.text, into: &buffer)
            if let value = b.replyPost {
                buffer.append(contentsOf: ",\"replyPost\":".utf8)
                writeString(value, into: &buffer)
            }
        case .escalated(let b):
            buffer.append(contentsOf: ",\"post\":".utf8)
            writeString(b.post, into: &buffer)
            buffer.append(contentsOf: ",\"to\":".utf8)
            writeString(b.to, into: &buffer)
            buffer.append(contentsOf: ",\"reason\":".utf8)
            writeString(b.reason, into: &buffer)
            if let value = b.priority {
                buffer.append(contentsOf: ",\"priority\":".utf8)
                writeRaw(value.rawValue, into: &buffer)
            }
        case .escalationResolved(let b):
            buffer.append(contentsOf: ",\"post\":".utf8)
            writeString(b.post, into: &buffer)
            if let value = b.resolution {
                buffer.append(contentsOf: ",\"resolution\":".utf8)
                writeString(value, into: &buffer)
            }
        case .postResolved(let b):
            buffer.append(contentsOf: ",\"post\":".utf8)
            writeString(b.post, into: &buffer)
            buffer.append(contentsOf: ",\"outcome\":".utf8)
            writeRaw(b.outcome.rawValue, into: &buffer)
        case .noteAdded(let b):
            buffer.append(contentsOf: ",\"post\":".utf8)
            writeString(b.post, into: &buffer)
            buffer.append(contentsOf: ",\"text\":".utf8)
            writeString(b.text, into: &buffer)
        case .postTagged(let b):
            buffer.append(contentsOf: ",\"post\":".utf8)
            writeString(b.post, into: &buffer)
            buffer.append(contentsOf: ",\"tags\":".utf8)
            writeStrings(b.tags, into: &buffer)
        case .volunteerJoined(let b):
            buffer.append(contentsOf: ",\"volunteer\":".utf8)
            writeString(b.volunteer, into: &buffer)
            buffer.append(contentsOf: ",\"name\":".utf8)
            writeString(b.name, into: &buffer)
            buffer.append(contentsOf: ",\"role\":".utf8)
            writeRaw(b.role.rawValue, into: &buffer)
            if let value = b.team {
                buffer.append(contentsOf: ",\"team\":".utf8)
                writeString(value, into: &buffer)
            }
        case .volunteerLeft(let b):
            buffer.append(contentsOf: ",\"volunteer\":".utf8)
            writeString(b.volunteer, into: &buffer)
        case .roleChanged(let b):
            buffer.append(contentsOf: ",\"volunteer\":".utf8)
            writeString(b.volunteer, into: &buffer)
            buffer.append(contentsOf: ",\"from\":".utf8)
            writeRaw(b.from.rawValue, into: &buffer)
            buffer.append(contentsOf: ",\"to\":".utf8)
            writeRaw(b.to.rawValue, into: &buffer)
        case .shiftStarted(let b):
            buffer.append(contentsOf: ",\"volunteer\":".utf8)
            writeString(b.volunteer, into: &buffer)
        case .shiftEnded(let b):
            buffer.append(contentsOf: ",\"volunteer\":".utf8)
            writeString(b.volunteer, into: &buffer)
        case .listeningRuleAdded(let b):
            buffer.append(contentsOf: ",\"rule\":".utf8)
            writeString(b.rule, into: &buffer)
        case .listeningRuleRemoved(let b):
            buffer.append(contentsOf: ",\"rule\":".utf8)
            writeString(b.rule, into: &buffer)
        case .eventDescribed(let b):
            buffer.append(contentsOf: ",\"name\":".utf8)
            writeString(b.name, into: &buffer)
            buffer.append(contentsOf: ",\"timeZone\":".utf8)
            writeString(b.timeZone, into: &buffer)
            buffer.append(contentsOf: ",\"firstDay\":".utf8)
            writeString(b.firstDay, into: &buffer)
            buffer.append(contentsOf: ",\"lastDay\":".utf8)
            writeString(b.lastDay, into: &buffer)
            buffer.append(contentsOf: ",\"hashtags\":".utf8)
            writeStrings(b.hashtags, into: &buffer)
            if let value = b.venue {
                buffer.append(contentsOf: ",\"venue\":".utf8)
                writeString(value, into: &buffer)
            }
        case .personalDataErased(let b):
            buffer.append(contentsOf: ",\"posts\":".utf8)
            writeStrings(b.posts, into: &buffer)
            if let value = b.reason {
                buffer.append(contentsOf: ",\"reason\":".utf8)
                writeString(value, into: &buffer)
            }
        case .logUpgraded(let b):
            buffer.append(contentsOf: ",\"fromFormat\":".utf8)
            writeString(b.fromFormat, into: &buffer)
            buffer.append(contentsOf: ",\"previousHead\":".utf8)
            writeString(b.previousHead, into: &buffer)
        }
    }
}
