public import CommandCenter

/// The span the report's time figures draw: the main body of the conversation, or what
/// `--from`/`--to` asked for. Posts outside it are counted in every total but not drawn; the page
/// names them (day and count) so that one stray post from years before never squashes a figure.
public struct ReportWindow: Sendable, Equatable {
    /// The first instant drawn (a local midnight unless `--from` named an instant).
    public var from: Int64
    /// The instant the window ends (excluded).
    public var to: Int64
    /// `option` (`--from`/`--to`), or `posts` (the main body of the conversation).
    public var source: String
    /// Local days outside the window that hold posts, with how many.
    public var outliers: [(day: CivilDate, posts: Int)]

    /// Posts outside the window.
    public var outsidePosts: Int { outliers.reduce(0) { $0 + $1.posts } }

    /// Posts further than this from the rest of the conversation are outliers.
    static let gapMilliseconds: Int64 = 7 * 86_400_000

    /// The window of `minutes` (the posts per minute, in time order) on `clock`: the largest run
    /// of posts with no gap longer than a week (the earliest of equal runs), stretched over the
    /// event's days and the log's first and last events when they are within a week of it, from
    /// the start of its first local hour to the end of its last (local days past two weeks),
    /// unless `from`/`to` fix either end.
    static func of(_ minutes: [ConversationProjection.Minute], eventDays: (CivilDate, CivilDate)?, clock: ReportClock,
                   from requestedFrom: Int64?, to requestedTo: Int64?, events: (first: Int64, last: Int64)?) -> ReportWindow {
        var runs: [(first: Int, last: Int, posts: Int)] = []
        for (i, minute) in minutes.enumerated() {
            if let last = runs.last, minute.start - minutes[last.last].start <= gapMilliseconds {
                runs[runs.count - 1].last = i
                runs[runs.count - 1].posts += minute.posts
            } else {
                runs.append((i, i, minute.posts))
            }
        }
        var first: Int64, last: Int64
        if let main = runs.indices.max(by: { runs[$0].posts != runs[$1].posts ? runs[$0].posts < runs[$1].posts : $0 > $1 }).map({ runs[$0] }) {
            first = minutes[main.first].start
            last = minutes[main.last].start
            if let events {
                if events.first < first && first - events.first <= gapMilliseconds { first = events.first }
                if events.last > last && events.last - last <= gapMilliseconds { last = events.last }
            }
            if let (eventFirst, eventLast) = eventDays,
               eventLast.dayNumber >= clock.date(first).dayNumber - 7, eventFirst.dayNumber <= clock.date(last).dayNumber + 7 {
                first = min(first, clock.startOfDay(eventFirst))
                last = max(last, clock.startOfDay(eventLast.adding(days: 1)) - 1)
            }
        } else if let events {
            (first, last) = events
        } else {
            (first, last) = (0, 0)
        }
        var from: Int64, to: Int64
        if last - first > 14 * ReportClock.dayMs {
            from = clock.startOfDay(containing: first)
            to = clock.startOfDay(clock.date(last).adding(days: 1))
        } else {
            from = clock.startOfHour(first)
            to = clock.startOfHour(clock.startOfHour(last) + ReportClock.hourMs + 60_000)
        }
        if let requestedFrom { from = requestedFrom }
        if let requestedTo { to = max(requestedTo, from + 1) }
        var outliers: [(day: CivilDate, posts: Int)] = []
        for minute in minutes where minute.start < from || minute.start >= to {
            let day = clock.date(minute.start)
            if outliers.last?.day == day { outliers[outliers.count - 1].posts += minute.posts } else { outliers.append((day, minute.posts)) }
        }
        return ReportWindow(from: from, to: to, source: requestedFrom != nil || requestedTo != nil ? "option" : "posts", outliers: outliers)
    }

    /// Whether `ms` is drawn.
    func contains(_ ms: Int64) -> Bool { ms >= from && ms < to }

    /// The last instant inside the window.
    var last: Int64 { to - 1 }

    public static func == (lhs: ReportWindow, rhs: ReportWindow) -> Bool {
        lhs.from == rhs.from && lhs.to == rhs.to && lhs.source == rhs.source && lhs.outliers.elementsEqual(rhs.outliers) { $0.day == $1.day && $0.posts == $1.posts }
    }
}
