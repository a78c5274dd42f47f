// The discrete-event engine behind `ConferenceSimulation`: a schedule of pending actions by time
// merged with the arrival stream, a model of each volunteer (shift, queue, busy or idle) and of
// each post, and a buffer of commands flushed through `Desk.execute(batch:)`.
//
// The engine mirrors what the desk's rules need (who is on shift, who has a post, what is
// resolved or escalated) so that every command it issues is valid; the desk checks them anyway,
// and a rejection is a bug that stops the run.

final class SimulationEngine {
    enum Action {
        case shiftStart(Int), shiftEnd(Int)
        case ready(Int)
        case reply(Int, Int32)
        case resolve(Int, Int32, Outcome)
        case escalationDecision(Int32)
        case coordinatorReply(Int, Int32)
        case addRule(Int)
        case removeRule(Int)
        case announce(Int)
        case roleChange(Int, Role)
        case join(Int)
        case leave(Int)
    }

    struct Volunteer {
        var id: String
        var name: String
        var role: Role
        var team: String
        var active = false
        var onShift = false
        var busy = false
        var queue: [Int32] = []
        var head = 0
        var current: Int32 = -1
        var queueLength: Int { queue.count - head + (current >= 0 ? 1 : 0) }

        mutating func popQueue() -> Int32? {
            guard head < queue.count else { return nil }
            let p = queue[head]
            head += 1
            if head > 256 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            return p
        }
    }

    struct Post {
        var receivedAt: Int64
        var author: Int32
        var category: PostCategory
        var topic: Int8 = -1
        var assignee: Int16 = -1
        var resolved = false
        var escalated = false
        var escalatedTo: Int16 = -1
        var urgent = false
        var replied = false
    }

    let options: ConferenceSimulation.Options
    let desk: Desk
    let batchSize: Int
    let progress: ((Int) -> Void)?

    var random: SimulationRandom
    var contentRandom: SimulationRandom
    var arrivalRandom: SimulationRandom
    let timeline: ConferenceTimeline
    var arrivals: ArrivalStream
    let texts: ConferenceTexts
    var schedule = ActionQueue<Action>()
    var batch: [(command: DeskCommand, actor: String, at: Timestamp)] = []
    var now: Int64
    var summary = SimulationSummary()

    var people: [Volunteer] = []
    var postIDs: [String] = []
    var posts: [Post] = []
    var triage = TriageHeap()
    var urgentRules: [ListeningRule] = []
    var rulesAdded: [Bool]
    var firstReportEscalated: [Bool]
    var recentOriginals: [Int32] = []
    var recentQuestions: [Int32] = []
    var recentTexts: [Int32: (text: String, hashtags: [String])] = [:]
    var published: [String] = []
    var inboundCounter: UInt64 = 0
    var ownCounter: UInt64 = 0
    var speed = 1.0
    var triageSpeed = 1.0

    static let twitterEpoch: Int64 = 1_288_834_974_657

    init(options: ConferenceSimulation.Options, desk: Desk, batchSize: Int, progress: ((Int) -> Void)?) {
        self.options = options
        self.desk = desk
        self.batchSize = batchSize
        self.progress = progress
        random = SimulationRandom(seed: options.seed)
        contentRandom = SimulationRandom(seed: options.seed &+ 0x1000)
        arrivalRandom = SimulationRandom(seed: options.seed &+ 0x2000)
        var timelineRandom = SimulationRandom(seed: options.seed &+ 0x3000)
        timeline = ConferenceTimeline(options: options, random: &timelineRandom)
        arrivals = ArrivalStream(timeline: timeline)
        texts = ConferenceTexts(eventTag: options.eventHashtag, helpTag: options.helpHashtag, account: options.deskAccount,
                                authorPool: max(300, options.posts / 3))
        now = options.start.milliseconds
        rulesAdded = Array(repeating: false, count: timeline.topics.count)
        firstReportEscalated = Array(repeating: false, count: timeline.topics.count)
        summary.emerging = timeline.topics.map {
            SimulationSummary.EmergingHashtag(hashtag: $0.tag, emergedAt: Timestamp(milliseconds: $0.onset), rule: $0.rule, ruleAddedAt: nil)
        }
        posts.reserveCapacity(options.posts)
        postIDs.reserveCapacity(options.posts)
    }

    // MARK: - The loop

    func run() throws -> SimulationSummary {
        setUpTeam()
        calibrate()
        summary.speedFactor = speed
        while true {
            let arrival = arrivals.peek(&arrivalRandom)
            let action = schedule.nextTime
            if let arrival, action.map({ arrival <= $0 }) ?? true {
                arrivals.consume()
                now = max(now, arrival)
                try receive()
            } else if let (time, next) = schedule.pop() {
                now = max(now, time)
                try perform(next)
            } else {
                break
            }
            if batch.count >= batchSize { try flush() }
        }
        try flush()
        summary.unresolvedAtEnd = posts.reduce(0) { $0 + ($1.category != .repost && !$1.resolved ? 1 : 0) }
        return summary
    }

    func issue(_ command: DeskCommand, by actor: String) {
        batch.append((command, actor, Timestamp(milliseconds: now)))
    }

    func flush() throws {
        guard !batch.isEmpty else { return }
        let outcomes = try desk.execute(batch: batch)
        for outcome in outcomes {
            for event in outcome.events {
                summary.events += 1
                summary.eventsByKind[event.kind, default: 0] += 1
                if summary.firstAt == nil { summary.firstAt = event.at }
                summary.lastAt = event.at
            }
        }
        batch.removeAll(keepingCapacity: true)
        progress?(summary.posts)
    }

    func later(_ ms: Int64, _ action: Action) { schedule.schedule(action, at: now + max(0, ms)) }

    /// A handling time of a person (`low`–`high` seconds), divided by the speed factor.
    func work(_ low: Double, _ high: Double, triage: Bool = false) -> Int64 {
        max(1, Int64(Double(random.seconds(low, high)) / (triage ? triageSpeed : speed)))
    }

    // MARK: - The team

    func setUpTeam() {
        let names = ["Ana Souza", "Ben Okafor", "Chloé Martin", "Dmitri Ivanov", "Emma Larsen", "Farid Haddad", "Grace Kim",
                     "Hugo Lefèvre", "Inès Benali", "Jamal Wright", "Kenji Sato", "Lea Novak", "Maya Patel", "Nils Berg",
                     "Paula Ruiz", "Quinn Murphy", "Rosa Costa", "Sami Nieminen", "Tara Singh", "Uma Reddy"]
        let coordinatorNames = ["Mia Torres", "Noah Schmidt", "Alex Chen", "Sara Lind"]
        func handle(_ name: String, _ i: Int) -> String {
            let first = name.split(separator: " ")[0].lowercased()
            let ascii = String(first.unicodeScalars.map { $0.isASCII ? Character($0) : Character("e") })
            return "vol:" + ascii + (i < 20 ? "" : String(i))
        }
        for i in 0..<options.coordinators {
            let name = i < coordinatorNames.count ? coordinatorNames[i] : "Coordinator \(i + 1)"
            people.append(Volunteer(id: i < coordinatorNames.count ? handle(name, 0) : "vol:coord\(i + 1)", name: name, role: .coordinator, team: "lead"))
        }
        let n = options.volunteers
        let monitors = max(1, n / 6), photos = n >= 4 ? max(1, n / 6) : 0
        let ambassadors = max(1, n - monitors - photos - (n >= 4 ? max(1, n / 6) : 0))
        for i in 0..<n {
            let role: Role
            let team: String
            switch i {
            case ..<ambassadors: (role, team) = (.ambassador, "care")
            case ..<(ambassadors + monitors): (role, team) = (.streamMonitor, "listening")
            case ..<(ambassadors + monitors + photos): (role, team) = (.photo, "content")
            default: (role, team) = (.liveTweets, "content")
            }
            let name = i < names.count ? names[i] : "Volunteer \(i + 1)"
            people.append(Volunteer(id: i < names.count ? handle(name, i) : "vol:v\(i + 1)", name: name, role: role, team: team))
        }
        // A late joiner on the second day.
        let lateJoiner = people.count
        if options.days >= 2 {
            people.append(Volunteer(id: "vol:olu", name: "Olu Adeyemi", role: .ambassador, team: "care"))
        }

        // Bootstrap: system adds the first coordinator, who onboards the rest and sets the rules.
        let lead = people[0].id
        issue(.joinVolunteer(volunteer: lead, name: people[0].name, role: .coordinator, team: "lead"), by: "system")
        people[0].active = true
        for i in 1..<people.count where i != lateJoiner || options.days < 2 {
            now += random.seconds(4, 15)
            issue(.joinVolunteer(volunteer: people[i].id, name: people[i].name, role: people[i].role, team: people[i].team), by: lead)
            people[i].active = true
        }
        for rule in ["#" + options.eventHashtag, "#" + options.helpHashtag, "@" + options.deskAccount, "!medic", "!emergency"] {
            now += random.seconds(5, 20)
            issue(.addListeningRule(rule), by: lead)
            noteRule(rule)
        }

        // Shifts: one a day each, early or late by the volunteer's rank in their role, alternating by day.
        var rankInRole: [Int] = []
        var seen: [Role: Int] = [:]
        for v in people {
            rankInRole.append(seen[v.role, default: 0])
            seen[v.role, default: 0] += 1
        }
        for day in 0..<options.days {
            let midnight = timeline.midnight + Int64(day) * ConferenceTimeline.day
            func at(_ h: Int, _ m: Int) -> Int64 { midnight + Int64(h) * ConferenceTimeline.hour + Int64(m) * ConferenceTimeline.minute }
            for (i, v) in people.enumerated() {
                if i == lateJoiner && options.days >= 2 && day == 0 { continue }
                let jitterStart = Int64(random.int(-10...10)) * ConferenceTimeline.minute
                let jitterEnd = Int64(random.int(-10...10)) * ConferenceTimeline.minute
                var from: Int64, to: Int64
                if v.role == .coordinator {
                    let rank = rankInRole[i]
                    if rank >= 2 { (from, to) = (at(9, 0), at(17, 0)) }
                    else if (rank + day) % 2 == 0 { (from, to) = (at(7, 15), at(15, 30)) }
                    else { (from, to) = (at(11, 30), at(20, 0)) }
                } else if i == lateJoiner && options.days >= 2 && day == 1 {
                    (from, to) = (at(9, 25), at(17, 0))
                } else if (rankInRole[i] + day) % 2 == 0 {
                    (from, to) = (at(7, 30), at(13, 45))
                } else {
                    (from, to) = (at(13, 15), at(19, 45))
                }
                schedule.schedule(.shiftStart(i), at: max(now + 1000, from + jitterStart))
                schedule.schedule(.shiftEnd(i), at: to + jitterEnd)
            }
        }
        if options.days >= 2 {
            schedule.schedule(.join(lateJoiner), at: timeline.midnight + ConferenceTimeline.day + 9 * ConferenceTimeline.hour + 10 * ConferenceTimeline.minute)
        }

        // Role changes, always before the morning shifts (07:10), by a coordinator.
        let firstOf: (Role) -> Int? = { role in self.people.firstIndex { $0.role == role } }
        let lastOf: (Role) -> Int? = { role in self.people.lastIndex { $0.role == role } }
        let day1 = timeline.midnight + Int64(min(1, options.days - 1)) * ConferenceTimeline.day
        let day2 = timeline.midnight + Int64(min(2, options.days - 1)) * ConferenceTimeline.day
        let morning = 7 * ConferenceTimeline.hour + 10 * ConferenceTimeline.minute
        if let photo = firstOf(.photo) { schedule.schedule(.roleChange(photo, .ambassador), at: max(now + 1000, day1 + morning)) }
        if options.days >= 2, let live = lastOf(.liveTweets) { schedule.schedule(.roleChange(live, .streamMonitor), at: day2 + morning + 2 * ConferenceTimeline.minute) }
        if options.days >= 2, let amb = people.lastIndex(where: { $0.role == .ambassador && $0.id != "vol:olu" }) {
            schedule.schedule(.roleChange(amb, .liveTweets), at: day1 + morning + 4 * ConferenceTimeline.minute)
        }
        // Someone leaves on the last afternoon.
        if options.days >= 2, let leaver = people.indices.first(where: { people[$0].role == .ambassador && $0 > options.coordinators }) {
            schedule.schedule(.leave(leaver), at: timeline.midnight + Int64(options.days - 1) * ConferenceTimeline.day + 16 * ConferenceTimeline.hour)
        }
        // The emerging topics: a rule some minutes after each emerges, an update an hour later.
        for (t, topic) in timeline.topics.enumerated() {
            schedule.schedule(.addRule(t), at: max(now + 1000, topic.ruleAt))
            schedule.schedule(.announce(t), at: max(now + 1000, topic.onset + Int64(random.int(60...95)) * ConferenceTimeline.minute))
            // A rule for a topic that is over (not an outage) is removed a few hours later.
            if topic.kind == .catering {
                schedule.schedule(.removeRule(t), at: topic.onset + Int64(random.int(150...240)) * ConferenceTimeline.minute)
            }
        }
    }

    /// The speed factor: the team works fast enough to keep up with the load on average (busy
    /// about 40% of its shift hours) and to just keep up with the busiest half hour (a keynote)
    /// with half the team on shift: backlogs still build at bursts (on top of the night's posts)
    /// and drain within the hour.
    func calibrate() {
        let ambassadors = Double(max(1, people.filter { $0.role == .ambassador }.count))
        let monitors = Double(max(1, people.filter { $0.role == .streamMonitor }.count))
        let shiftSeconds = Double(options.days) * 6.25 * 3600
        let handled = Double(options.posts) * 0.92
        // The busiest half hour, in posts per second.
        let weights = timeline.weights
        let total = max(weights.reduce(0, +), 1e-9)
        var window = 0.0, busiest = 0.0
        for (i, w) in weights.enumerated() {
            window += w
            if i >= 30 { window -= weights[i - 30] }
            busiest = max(busiest, window)
        }
        let peakRate = Double(options.posts) * 0.92 * busiest / total / 1800
        let onShift = { (count: Double) in max(1, (count / 2).rounded(.down)) }
        speed = max(1, handled * 65 / (0.4 * ambassadors * shiftSeconds), peakRate * 65 / (0.9 * onShift(ambassadors)))
        triageSpeed = max(1, handled * 13 / (0.4 * monitors * shiftSeconds), peakRate * 13 / (0.9 * onShift(monitors)))
    }

    func noteRule(_ rule: String) {
        if let parsed = ListeningRule(rule), parsed.isUrgent { urgentRules.append(parsed) }
    }

    func coordinatorFor(_ preferOnShift: Bool = true) -> Int? {
        let coordinators = people.indices.filter { people[$0].active && people[$0].role == .coordinator }
        return coordinators.first { people[$0].onShift } ?? coordinators.first
    }

    func wakeMonitors() {
        var needed = triage.count
        guard needed > 0 else { return }
        for i in people.indices where needed > 0 {
            if people[i].active && people[i].onShift && people[i].role == .streamMonitor && !people[i].busy {
                people[i].busy = true
                later(random.seconds(30, 180), .ready(i))
                needed -= 1
            }
        }
    }

    func wake(_ i: Int, after ms: Int64) {
        guard !people[i].busy else { return }
        people[i].busy = true
        later(ms, .ready(i))
    }
}
