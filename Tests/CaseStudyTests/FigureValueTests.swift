import CaseStudy
import CommandCenter
import Testing

/// Every figure of a simulated conference's report: well-formed SVG with a text alternative and
/// labelled axes, and plotted values equal to the CSV beside it and to the projections' numbers.
@Suite(.serialized)
struct FigureValueTests {
    /// One simulated conference for the whole suite (a replay is the expensive part).
    static let shared: Result<(CaseStudyReport, EventFacts, TemporaryLog), any Error> = Result {
        let log = try TemporaryLog(simulatedPosts: 2_000)
        let facts = try log.facts()
        return (CaseStudyReport(facts, title: "Simulated"), facts, log)
    }

    static func report() throws -> (CaseStudyReport, EventFacts) {
        let (report, facts, _) = try shared.get()
        return (report, facts)
    }

    static let figures = ["conversation-volume", "conversation-days", "heatmap", "event-hashtags", "hashtags", "channel-share",
                          "volume", "first-response-cdf", "first-response-by-hour", "backlog", "escalations", "workload-volunteers", "workload-roles"]

    @Test func everyFigureIsWellFormedWithTitleDescriptionAndAxisTitles() throws {
        let (report, _) = try Self.report()
        let svgs = report.files.filter { $0.path.hasPrefix("figures/") }
        #expect(svgs.map(\.path) == Self.figures.sorted().map { "figures/\($0).svg" })
        for file in svgs {
            let svg = try ParsedSVG(file.contents)
            let root = try #require(svg.elements.first)
            #expect(root.name == "svg" && root.attributes["xmlns"] == "http://www.w3.org/2000/svg", "\(file.path)")
            let title = svg.elements.first { $0.name == "title" && $0.depth == 1 }
            let desc = svg.elements.first { $0.name == "desc" && $0.depth == 1 }
            #expect((title?.text.count ?? 0) > 10, "\(file.path) has no title")
            #expect((desc?.text.count ?? 0) > 40, "\(file.path) has no description")
            #expect(root.attributes["aria-labelledby"] == "\(title?.attributes["id"] ?? "?") \(desc?.attributes["id"] ?? "?")")
            // Every axis says what it measures (the category axes of bar charts excepted).
            let axisTitles = svg.elements.filter { $0.name == "text" && $0.attributes["font-size"] == "12" }.map(\.text)
            #expect(!axisTitles.isEmpty && axisTitles.allSatisfy { !$0.isEmpty }, "\(file.path): \(axisTitles)")
            #expect(!svg.marks().isEmpty, "\(file.path) plots nothing")
            // The same figure is inlined in the page.
            #expect(try report.required("index.html").contains(file.contents.split(separator: "\n", maxSplits: 1)[1]))
        }
    }

    @Test func volumeAreasAreTheCSVAndTheChannelCounts() throws {
        let (report, facts) = try Self.report()
        let csv = try report.csv("volume")
        var totals: [String: Int] = [:]
        for channel in csv.header.dropFirst().dropLast() {
            let area = try report.svg("volume").list(channel)
            #expect(area.keys == (try csv.column("start")))
            #expect(area.values == (try csv.column(channel)))
            totals[channel] = area.values.compactMap(Int.init).reduce(0, +)
        }
        var expected: [String: Int] = [:]
        for post in facts.posts { expected[post.channel.rawValue, default: 0] += 1 }
        #expect(totals == expected)
        #expect(try csv.column("total").compactMap(Int.init).reduce(0, +) == facts.postCount)
    }

    @Test func channelShareBarsAreTheSharesAndTheirLengthsFollowTheScale() throws {
        let (report, facts) = try Self.report()
        let svg = try report.svg("channel-share")
        let csv = try report.csv("channel-share")
        let plotted = svg.values("share")
        #expect(plotted == Dictionary(uniqueKeysWithValues: zip(try csv.column("channel"), try csv.column("share"))))
        for (channel, share) in facts.report.channelShare {
            #expect(plotted[channel].flatMap(Double.init).map { abs($0 - share) < 5e-7 } == true, "\(channel)")
        }
        // Geometry: bar width / (x of the 100% tick − x of the 0% tick) is the share.
        let ticks = svg.elements.filter { $0.name == "text" && $0.text.hasSuffix("%") && $0.attributes["text-anchor"] == "middle" }
        let x0 = try #require(ticks.first { $0.text == "0%" }?.attributes["x"].flatMap(Double.init))
        let x100 = try #require(ticks.first { $0.text == "100%" }?.attributes["x"].flatMap(Double.init))
        for bar in svg.marks(series: "share") {
            let width = try #require(bar.attributes["width"].flatMap(Double.init))
            let share = try #require(bar.attributes["data-value"].flatMap(Double.init))
            #expect(abs(width / (x100 - x0) - share) < 0.001, "\(bar.attributes)")
        }
    }

    @Test func firstResponseCurveAndPercentilesAreTheStatistics() throws {
        let (report, facts) = try Self.report()
        let fr = facts.report.firstResponse
        let svg = try report.svg("first-response-cdf")
        let csv = try report.csv("first-response-cdf")
        let curve = try svg.list("answered within")
        #expect(curve.keys == (try csv.column("seconds")))
        #expect(curve.values == (try csv.column("share of answered")))
        #expect(svg.values("p50")["seconds"].flatMap(Double.init).map { abs($0 - fr.p50Seconds!) <= 5e-4 + 1e-9 } == true)
        #expect(svg.values("p90")["seconds"].flatMap(Double.init).map { abs($0 - fr.p90Seconds!) <= 5e-4 + 1e-9 } == true)
        // Each point of the curve recounts: answered within s seconds / answered.
        let durations = facts.posts.compactMap { p in p.firstReplyAt.map { max(0, $0 - p.postedAt) } }
        for row in csv.rows.prefix(40) {
            let seconds = try #require(Int64(row[0]))
            let within = durations.filter { $0 <= seconds * 1000 }.count
            #expect(row[1] == String(within))
        }
        #expect(try csv.column("answered within").last == String(fr.answered))
    }

    @Test func firstResponseByHourIsTheHourGrouping() throws {
        let (report, facts) = try Self.report()
        let groups = try #require(facts.report.by["hour"])
        let csv = try report.csv("first-response-by-hour")
        let svg = try report.svg("first-response-by-hour")
        let p50 = svg.values("p50")
        for row in csv.rows {
            let group = groups[row[0]]?.firstResponse
            #expect(row[1] == String(group?.posts ?? 0))
            if let median = group?.p50Seconds {
                #expect(abs(Double(row[3])! - median) <= 5e-4 + 1e-9)
                #expect(p50[row[0]] == row[3])
            } else {
                #expect(row[3] == "" && p50[row[0]] == nil)
            }
        }
    }

    @Test func backlogAndEscalationsAreTheDeskTimeline() throws {
        let (report, facts) = try Self.report()
        let backlog = try report.csv("backlog")
        // The window may start an hour before the first event (a post's postedAt precedes its
        // receipt): the desk is empty then; from the first event on, one row per timeline hour.
        let byHour = Dictionary(uniqueKeysWithValues: backlog.rows.map { ($0[0], $0[1]) })
        for sample in facts.timeline { #expect(byHour[sample.hour.rfc3339] == String(sample.triage), "\(sample.hour)") }
        #expect(backlog.rows.filter { $0[0] < facts.timeline[0].hour.rfc3339 }.allSatisfy { $0[1] == "0" })
        #expect(backlog.rows.count <= facts.timeline.count + 1)
        #expect(try report.svg("backlog").list("triage").values == (try backlog.column("triage at end")))
        let escalations = try report.csv("escalations")
        let bars = try report.svg("escalations").values("escalated")
        for row in escalations.rows where row[1] != "0" { #expect(bars[row[0]] == row[1]) }
        #expect(bars.count == escalations.rows.filter { $0[1] != "0" }.count)
        #expect(try escalations.column("escalated").compactMap(Int.init).reduce(0, +) == facts.escalations.count)
        #expect(try report.svg("escalations").list("open at end").values == (try escalations.column("open at end")))
    }

    @Test func workloadBarsAreTheWorkloadProjection() throws {
        let (report, facts) = try Self.report()
        let volunteers = try report.svg("workload-volunteers").values("replies")
        let csv = try report.csv("workload-volunteers")
        for (id, replies) in volunteers {
            #expect(String(facts.perVolunteer[id]?.replies ?? -1) == replies)
            #expect(csv.row(id)?["replies"] == replies)
        }
        #expect(volunteers.count == facts.perVolunteer.values.filter { $0.replies > 0 }.count)
        let roles = try report.svg("workload-roles").values("replies")
        for (role, counts) in facts.perRole {
            #expect(roles[role?.rawValue ?? "unknown"] == String(counts.replies))
            #expect(try report.csv("workload-roles").row(role?.rawValue ?? "unknown")?["replies"] == String(counts.replies))
        }
    }

    @Test func hashtagLinesAndRulesAreTheHashtagProjection() throws {
        let (report, facts) = try Self.report()
        let svg = try report.svg("hashtags")
        let csv = try report.csv("hashtags")
        let drawn = Set(csv.rows.map { $0[1] })
        #expect(!drawn.isEmpty)
        for tag in drawn {
            let line = try svg.list("#" + tag)
            let rows = csv.rows.filter { $0[1] == tag }
            #expect(line.values == rows.map { $0[2] })
            // Every post carrying it, reposts included (the simulated log has no outliers).
            #expect(line.values.compactMap(Int.init).reduce(0, +) == facts.conversation.topHashtags.first { $0.tag == tag }.map(\.posts) ?? line.values.compactMap(Int.init).reduce(0, +))
            #expect(!facts.conversation.eventHashtags.contains(tag), "#\(tag) is the event's own: drawn apart")
        }
        let emerging = facts.emerging.filter { $0.secondsToRule != nil && !$0.coveredBefore }
        #expect(!emerging.isEmpty, "the simulated conference has hashtags picked up by a rule after they emerged")
        let table = try report.csv("emerging-hashtags")
        for e in emerging {
            let plotted = svg.values("#\(e.tag) rule")[e.tag]
            #expect(plotted.flatMap(Double.init).map { abs($0 - e.secondsToRule!) <= 5e-4 + 1e-9 } == true, "#\(e.tag)")
            #expect(table.row(e.tag)?["seconds to rule"] == plotted)
        }
    }

    @Test func conversationFiguresCountEveryPostOnce() throws {
        let (report, facts) = try Self.report()
        let c = facts.conversation
        #expect(c.posts > facts.postCount, "the simulated conference has reposts")
        let csv = try report.csv("conversation-volume")
        let svg = try report.svg("conversation-volume")
        #expect(try svg.list("originals").values == (try csv.column("originals")))
        #expect(try svg.list("reposts").values == (try csv.column("reposts")))
        #expect(try csv.column("originals").compactMap(Int.init).reduce(0, +) == c.originals)
        #expect(try csv.column("reposts").compactMap(Int.init).reduce(0, +) == c.reposts)
        let days = try report.csv("conversation-days")
        #expect(try days.column("posts").compactMap(Int.init).reduce(0, +) == c.posts)
        let perDay = Dictionary(uniqueKeysWithValues: c.perDay.map { ($0.day, $0.posts) })
        for row in days.rows { #expect(Int(row[4]) == (perDay[row[0]] ?? 0), "\(row)") }
        let daySVG = try report.svg("conversation-days")
        for row in days.rows {
            #expect(daySVG.values("originals")[row[0]] == row[2] && daySVG.values("reposts")[row[0]] == row[3])
        }
        let heat = try report.csv("heatmap")
        #expect(heat.rows.flatMap { $0.dropFirst() }.compactMap(Int.init).reduce(0, +) == c.posts)
        let cells = try report.svg("heatmap")
        for row in heat.rows { #expect(cells.values(row[0]) == Dictionary(uniqueKeysWithValues: zip(heat.header.dropFirst().map { String($0.prefix(2)) }, row.dropFirst()))) }
        // The busiest local hour of the statistics is the heatmap's darkest cell.
        let busiest = try #require(c.busiestHour)
        #expect(heat.rows.flatMap { $0.dropFirst() }.compactMap(Int.init).max() == busiest.posts)
    }

    @Test func theSameLogGivesByteIdenticalReports() throws {
        let (first, _, log) = try Self.shared.get()
        let again = CaseStudyReport(try log.facts(), title: "Simulated")
        #expect(again.files.map(\.path) == first.files.map(\.path))
        for (a, b) in zip(again.files, first.files) { #expect(a == b, "\(a.path) differs between two reports of one log") }
    }
}
