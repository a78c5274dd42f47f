import CommandCenter
import Foundation
import HTTPTypes
import Hummingbird

/// A JSON request body whose fields are all known: an unknown field is refused rather than
/// ignored, so a client's typo (`reaosn`) fails loudly instead of silently dropping the reason.
protocol StrictBody: Decodable {
    associatedtype CodingKeys: CodingKey & CaseIterable
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// The largest body any command takes (a record is at most 65,536 bytes).
let maximumBodyBytes = 128 * 1024

extension Request {
    /// The body as `Body`, or a 4xx `Problem` naming what is wrong.
    mutating func decodeStrict<Body: StrictBody>(_ type: Body.Type) async throws -> Body {
        let buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: maximumBodyBytes)
        } catch {
            throw Problem(.contentTooLarge, "bodyTooLarge", "the body is over \(maximumBodyBytes) bytes, the most a command takes")
        }
        let data = Data(buffer.readableBytesView)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }), let empty = EmptyBody() as? Body {
            return empty
        }
        do {
            return try JSONDecoder().decode(Strict<Body>.self, from: data).body
        } catch let problem as Problem {
            throw problem
        } catch let DecodingError.typeMismatch(expected, context) {
            throw Problem.badRequest("invalidField", "field '\(Self.path(context.codingPath))': expected \(Self.name(expected))")
        } catch let DecodingError.valueNotFound(expected, context) {
            throw Problem.badRequest("invalidField", "field '\(Self.path(context.codingPath))': expected \(Self.name(expected)), got null")
        } catch let DecodingError.keyNotFound(key, context) {
            throw Problem.badRequest("missingField", "field '\(Self.path(context.codingPath + [key]))' is required")
        } catch let DecodingError.dataCorrupted(context) {
            if context.codingPath.isEmpty {
                throw Problem.badRequest("malformedJSON", "the body is not JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)")
            }
            throw Problem.badRequest("invalidField", "field '\(Self.path(context.codingPath))': \(context.debugDescription)")
        } catch {
            throw Problem.badRequest("malformedJSON", "the body does not decode: \(error)")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private static func name(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is [String].Type: "an array of strings"
        case is Bool.Type: "true or false"
        case is [String: Any].Type: "an object"
        default: "\(type)"
        }
    }
}

private struct Strict<Body: StrictBody>: Decodable {
    var body: Body

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: AnyKey.self) else {
            throw Problem.badRequest("invalidField", "the body must be a JSON object")
        }
        let known = Set(Body.CodingKeys.allCases.map(\.stringValue))
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw Problem.badRequest("unknownField", "unknown field '\(unknown)'; this endpoint takes: \(known.sorted().joined(separator: ", "))")
        }
        body = try Body(from: decoder)
    }
}

/// A string field that must be one of an enum's cases.
func parseEnum<Value: RawRepresentable & CaseIterable>(_ text: String, _ field: String) throws -> Value where Value.RawValue == String {
    guard let value = Value(rawValue: text) else {
        throw Problem.badRequest("invalidField", "field '\(field)': '\(text)' is not one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return value
}

struct ReceivePostBody: StrictBody {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case post, channel, author, text, hashtags, mentions, postedAt, inReplyTo, conversation, isRepost, url
    }
    var post: String
    var channel: String
    var author: String
    var text: String
    var hashtags: [String]?
    var mentions: [String]?
    var postedAt: String
    var inReplyTo: String?
    var conversation: String?
    var isRepost: Bool?
    var url: String?

    func command() throws -> DeskCommand {
        guard let postedAt = Timestamp(rfc3339: postedAt) else {
            throw Problem.badRequest("invalidField", "field 'postedAt': '\(postedAt)' is not an RFC 3339 time such as 2026-06-02T14:05:00.000Z")
        }
        return .receivePost(PostReceived(
            post: post, channel: try parseEnum(channel, "channel"), author: author, text: text,
            hashtags: (hashtags ?? []).map { $0.lowercased() }, mentions: mentions ?? [], postedAt: postedAt,
            inReplyTo: inReplyTo, conversation: conversation, isRepost: isRepost ?? false, url: url))
    }
}

struct AssignBody: StrictBody {
    enum CodingKeys: String, CodingKey, CaseIterable { case to }
    var to: String
}

struct UnassignBody: StrictBody {
    enum CodingKeys: String, CodingKey, CaseIterable { case reason }
    var reason: String?
}

struct ReplyBody: StrictBody {
    enum CodingKeys: String, CodingKey, CaseIterable { case text, replyPost }
    var text: String
    var replyPost: String?
}

struct PublishBody: StrictBody {
    enum CodingKeys: String, CodingKey, CaseIterable { case post, channel, text, media }
    var post: String
    var channel: String
    var text: String
    var media: [String]?
}

struct EscalateBody: StrictBody {
    enum CodingKeys: String, CodingKey, CaseIterable { case to, reason, priority }
    var to: String
    var reason: String
    var priority: String?
}

struct ResolveEscalationBody: StrictBody {
    enum CodingKeys: String, CodingKey, CaseIterable { case resolution }
    var resolution: String?
}

struct ResolveBody: StrictBody {
    enum CodingKeys: String, CodingKey, CaseIterable { case outcome }
    var outcome: String
}

struct NoteBody: StrictBody {
    enum CodingKeys: String, CodingKey, CaseIterable { case text }
    var text: String
}

struct TagBody: StrictBody {
    enum CodingKeys: String, CodingKey, CaseIterable { case tags }
    var tags: [String]
}

struct JoinBody: StrictBody {
    enum CodingKeys: String, CodingKey, CaseIterable { case volunteer, name, role, team }
    var volunteer: String
    var name: String
    var role: String
    var team: String?
}

struct RoleBody: StrictBody {
    enum CodingKeys: String, CodingKey, CaseIterable { case role }
    var role: String
}

struct RuleBody: StrictBody {
    enum CodingKeys: String, CodingKey, CaseIterable { case rule }
    var rule: String
}

/// For the commands that take no fields: `{}` or no body at all.
struct EmptyBody: StrictBody {
    struct CodingKeys: CodingKey, CaseIterable {
        static var allCases: [CodingKeys] { [] }
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { nil }
    }

    init() {}
    init(from decoder: any Decoder) throws {}
}
