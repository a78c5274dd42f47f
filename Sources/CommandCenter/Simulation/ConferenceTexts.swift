// What attendees write and what the desk answers: templates with slots, filled from the seeded
// generator, so texts vary like real ones (60–140 characters, questions about wifi, rooms, badges
// and sessions, praise, complaints, speakers, links, emoji) instead of repeating a few strings.

/// What kind of post an attendee wrote; decides what the desk does with it.
enum PostCategory: UInt8 {
    case question, complaint, praise, chatter, spam, duplicate, emerging, repost

    var needsAmbassador: Bool {
        switch self {
        case .question, .complaint, .praise, .chatter, .emerging: true
        case .spam, .duplicate, .repost: false
        }
    }
}

struct ConferenceTexts {
    static let places = ["Hall B", "room 2.14", "the keynote hall", "the workshop room on level 3", "the main stage", "the expo floor",
                         "room 1.02", "the quiet room", "the sponsor area", "the registration desk", "the cloakroom", "the speaker lounge"]
    static let sessions = ["the Swift concurrency talk", "the 14:00 workshop", "the AI panel", "the opening keynote", "the accessibility session",
                           "the server-side Swift track", "the design systems talk", "the lightning talks", "the hiring fair", "the community meetup"]
    static let speakers = ["sarah_codes", "dkim_dev", "amira.builds", "tomasz_k", "lenaschmidt", "jpcodes", "priya_ux", "oleg_ops", "mayaml", "benji_swift"]
    static let speakerNames = ["Sarah", "Daniel Kim", "Amira", "Tomasz", "Lena", "JP", "Priya", "Oleg", "Maya", "Benji"]
    static let topics = ["structured concurrency", "accessibility", "on-device ML", "observability", "design tokens", "open source maintenance",
                         "server-side Swift", "privacy", "testing at scale", "developer experience"]
    static let happy = ["🙌", "🔥", "😍", "👏", "🚀", "💯", "✨", "🎉", ""]
    static let unhappy = ["😩", "🙄", "😤", "🤦", "😬", ""]
    static let thinking = ["🤔", "🙏", "👀", ""]
    static let questionTemplates = [
        "Where is {place}? Walked the whole floor twice {think}",
        "Is {session} still in {place}? The app says something else",
        "Does anyone know the wifi password? Nothing on my badge {think}",
        "How do I pick up my badge if I registered yesterday?",
        "What time does {session} start? Can't find it in the schedule",
        "Will {session} be recorded? Would love to rewatch it {think}",
        "Can I still get into {session}? It says full",
        "Is there a cloakroom? Dragging my suitcase around {think}",
        "Lost my badge near {place}, has anyone handed one in?",
        "Any vegetarian options at lunch today? {think}",
        "Where do I find the slides from {session}?",
        "Is there a shuttle back to the hotels after the last session?",
        "Where's the nearest charging spot? Phone at 3% {think}",
        "Are the workshops first come first served or do I need to sign up?",
        "Is the afterparty included with the regular ticket?",
    ]
    static let complaintTemplates = [
        "The queue for badges is insane, 40 minutes and counting {sad}",
        "Can't hear a thing in {place}, the mic keeps cutting out",
        "{place} is freezing, bring a jacket {sad}",
        "The app crashes every time I open the schedule",
        "No vegan options left at lunch. Again {sad}",
        "{session} started 20 minutes late and nobody said anything",
        "Way too crowded in {place}, people sitting on the floor",
        "Livestream has no sound for {session} {sad}",
        "Slides in {place} are unreadable from the back rows",
        "Someone fainted near {place}, is there a medic around?",
    ]
    static let praiseTemplates = [
        "Loved @{speaker}'s talk on {topic}! {happy}",
        "Great first hours at {event}, so many good conversations {happy}",
        "Huge thanks to the volunteers, everything runs so smoothly {happy}",
        "Best conference coffee I've had in years {happy}",
        "{session} was worth the trip alone {happy}",
        "Really appreciate the live captions in every room, more events should do this {happy}",
        "The hallway track at {event} is unreal {happy}",
        "Met so many people from the community today, thank you {event} {happy}",
    ]
    static let chatterTemplates = [
        "@{speaker} on stage now: \"ship small, ship often\" {happy}",
        "Slides from @{speaker}'s talk on {topic}: {link}",
        "Who's going to the afterparty tonight? {happy}",
        "Sitting in {place} waiting for {session} to start",
        "Notes from {session}, part 1 {link}",
        "Great question from the audience about {topic} in {session}",
        "My three takeaways on {topic} from @{speaker}: measure, simplify, repeat",
        "Anyone up for dinner after day {day}? Thinking ramen {happy}",
        "Photo dump from {place} {link}",
    ]
    static let spamTemplates = [
        "Get 10k followers fast 👉 {link}",
        "Crypto giveaway for {event} attendees!! claim now {link}",
        "DM me for cheap tickets to {event}, limited offer",
        "Make $500/day from home, ask me how {link}",
    ]
    static let emergingTemplates: [EmergingTopic.Kind: [String]] = [
        .outage: [
            "Wifi is down in {place} again {sad}",
            "No internet anywhere on level 2, is it just me?",
            "Speakers can't load their demos, wifi completely dead {sad}",
            "Livestream frozen, wifi gone in the whole building?",
            "Can't check in to the workshop, the portal needs wifi {sad}",
            "Conference wifi down, hotspotting off my phone like it's 2010",
        ],
        .venue: [
            "Water coming through the ceiling in Hall B!! {sad}",
            "Hall B evacuated? What's going on",
            "Where did the Hall B sessions move to? Nobody at the door knows",
            "Puddles all over the Hall B entrance, careful out there",
            "Is {session} cancelled because of the Hall B leak?",
        ],
        .catering: [
            "Coffee ran out at 3pm. On day one. {sad}",
            "The coffee line is longer than the keynote queue",
            "No coffee left on level 2, any left downstairs? {think}",
            "Send coffee. Please. {sad}",
        ],
    ]
    static let answers: [PostCategory: [String]] = [
        .question: [
            "Hi! It's on level 2, follow the orange signs from the main entrance.",
            "The wifi details are on the back of your badge: network PivotCon, password in small print.",
            "Badges for late registrations are at the help desk by entrance A, open until 19:00.",
            "Yes, all talks are recorded and will be on the event site within a week.",
            "Sessions are first come first served; the room hosts will let you know when it's full.",
            "Lunch has vegetarian and vegan stations on both floors, look for the green labels.",
            "Shuttles leave from entrance C every 20 minutes after the last session.",
            "Slides are linked from each session page in the app, usually right after the talk.",
        ],
        .complaint: [
            "Sorry about that! We've told the venue team and someone is on the way.",
            "Thanks for flagging, the AV team is checking the room now.",
            "So sorry, we're opening a second queue right now.",
            "Thanks for the feedback, passing it to the organisers. It will be better tomorrow.",
        ],
        .praise: [
            "Thank you! So glad you're enjoying it 🙌",
            "This made our day, thanks for being here! 🎉",
            "Thanks, we'll pass it on to the team!",
            "Great to hear, enjoy the rest of the day!",
        ],
        .chatter: [
            "Thanks for sharing! 🙌",
            "Great notes, thanks for posting them!",
            "See you there! 🎉",
            "Love this, thanks!",
        ],
        .emerging: [
            "We know, the venue team is on it. Wired access at the help desk meanwhile.",
            "Thanks for reporting, updates follow on this account as soon as we know more.",
            "Sorry! It's being fixed right now; sessions continue as planned.",
            "Thanks for your patience, we'll post here the moment it's sorted.",
        ],
    ]
    static let notes = ["Asked the venue team, waiting to hear back", "Same question as earlier today, answered with the FAQ link",
                        "DM'd for the badge number", "Checked with the AV team: known issue", "Flagged to the organisers for tomorrow",
                        "Attendee is at the help desk now"]
    static let firstNames = ["maria", "jon", "aisha", "lukas", "mei", "carlos", "nina", "omar", "sofia", "tom", "yuki", "pablo", "fatima",
                             "erik", "leila", "sam", "ivan", "chen", "rosa", "dev", "hana", "marc", "zoe", "ali", "eva", "kofi", "ines", "raj"]
    static let lastNames = ["dev", "codes", "builds", "ux", "ops", "io", "swift", "tech", "ml", "design", "hq", "writes", "data", "cloud", "sec", "js"]

    let eventTag: String
    let helpTag: String
    let account: String
    let authorPool: Int

    /// A handle for author number `n`: frequent posters have small numbers.
    func author(_ n: Int) -> String {
        let f = Self.firstNames.count, l = Self.lastNames.count
        let base = Self.firstNames[n % f] + (n / f % 3 == 0 ? "_" : "") + Self.lastNames[(n / f) % l]
        let round = n / (f * l)
        return round == 0 ? base : base + String(round + 7)
    }

    func fill(_ template: String, _ random: inout SimulationRandom, day: Int) -> String {
        guard template.contains("{") else { return template }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let slot = rest[rest.index(after: open)..<close]
            switch slot {
            case "place": out += random.pick(Self.places)
            case "session": out += random.pick(Self.sessions)
            case "speaker": out += random.pick(Self.speakers)
            case "topic": out += random.pick(Self.topics)
            case "happy": out += random.pick(Self.happy)
            case "sad": out += random.pick(Self.unhappy)
            case "think": out += random.pick(Self.thinking)
            case "event": out += "#" + eventTag
            case "day": out += String(day + 1)
            case "link": out += random.chance(0.5) ? "https://t.co/" + random.token(10) : "https://pivotcon.dev/s/" + random.token(6)
            default: out += slot
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        while out.hasSuffix(" ") { out.removeLast() }
        return out
    }

    /// The answer to a post of `category`.
    func answer(_ category: PostCategory, author: String, _ random: inout SimulationRandom) -> String {
        let pool = Self.answers[category] ?? Self.answers[.question]!
        let text = random.pick(pool)
        return random.chance(0.6) ? "@\(author) \(text)" : text
    }
}
