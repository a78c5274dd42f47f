import CommandCenter

/// The report's two readable forms, from the same parts: `index.html` (self-contained: inline
/// SVG and CSS, no script, no network, prints on A4) and `report.md` (figures linked as files).
///
/// In reading order: the conversation (key figures, figures, top accounts and posts), the desk
/// (only when the log holds desk work; otherwise one sentence says why not), the editions
/// compared, and how to check the log.
struct Page: Sendable {
    /// The editions compared, in the order of their first event day.
    struct Editions: Sendable {
        var names: [String]
        var tables: [ShownTable]
        var figures: [Figure]
    }

    var title: String
    var facts: EventFacts
    var keyFigures: KeyFigures
    var conversationFigures: [Figure]
    var conversationTables: [ShownTable]
    /// Empty when the log holds no desk work.
    var deskFigures: [Figure]
    var editions: Editions?

    private var subtitle: String {
        var text = "The log \(facts.log)"
        if let first = facts.report.firstAt, let last = facts.report.lastAt {
            text += " holds \(Format.count(facts.report.events, "event")), from \(facts.clock.minute(first.milliseconds)) to \(facts.clock.minute(last.milliseconds))"
            if let description = facts.describedAt, description == last.milliseconds, facts.report.events > 1 {
                text += " (the last one the event's description)"
            }
        } else {
            text += " holds no event"
        }
        return text + ". " + facts.clock.sentence(from: facts.window.from, through: facts.window.to, source: facts.conversation.timeZoneSource)
            + " Figures follow the definitions of smcc stats (Schemas/cli/stats.md)."
    }

    /// What the log does not say and the report assumed, and how to say it.
    private var assumptions: [String] {
        let c = facts.conversation
        var lines = c.assumptions
        if c.event == nil {
            lines.append("Describe the event and write the report again: smcc event \(KeyFigures.shellQuoted(facts.log)) --name NAME --time-zone AREA/CITY --days FIRST..LAST --hashtag TAG")
        }
        return lines
    }

    /// What the time figures draw, and the posts they leave out; `nil` when there is nothing to say.
    private var windowSentence: String? {
        let w = facts.window
        guard w.source == "option" || !w.outliers.isEmpty else { return nil }
        var text = "The time figures draw \(facts.clock.minuteWithoutZone(w.from)) to \(facts.clock.minute(w.to))"
        text += w.source == "option" ? ", as --from/--to asked." : ": the main body of the conversation (posts more than a week away from it are left out of the figures)."
        if !w.outliers.isEmpty {
            let shown = w.outliers.prefix(8).map { "\(Format.grouped($0.posts)) on \($0.day.description)" }.joined(separator: ", ")
            text += " \(Format.count(w.outsidePosts, "post")) outside it \(w.outsidePosts == 1 ? "is" : "are") counted in every total but not drawn: \(shown)"
            text += w.outliers.count > 8 ? ", and \(Format.count(w.outliers.count - 8, "other day")) (\(w.outliers.last!.day.description) the last)." : "."
        }
        return text
    }

    private static let style = """
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222; max-width: 800px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
        h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; } h3 { font-size: 1.05em; margin: 1.4em 0 0.3em; }
        .subtitle { color: #555; margin-top: 0; } .note { border-left: 3px solid #E69F00; background: #FFF8E8; padding: 0.4em 0.9em; }
        dl.key { display: grid; grid-template-columns: 11em 1fr; gap: 0.35em 1em; } dl.key dt { font-weight: bold; } dl.key dd { margin: 0; }
        table { border-collapse: collapse; width: 100%; font-size: 0.92em; } th, td { text-align: left; padding: 0.3em 0.5em; border-bottom: 1px solid #e4e4e4; vertical-align: top; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        figure { margin: 1.5em 0; } figure svg { width: 100%; height: auto; } figcaption, .caption { font-size: 0.85em; color: #555; }
        .missing { border: 1px dashed #bbb; padding: 0.5em 1em; background: #fafafa; } .missing h3 { font-size: 1em; margin: 0.3em 0; }
        code, pre { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 0.85em; } pre { background: #f4f4f4; padding: 0.6em; white-space: pre-wrap; word-break: break-all; }
        @media print { body { max-width: none; margin: 0; font-size: 10pt; } figure, .missing, dl.key, table { break-inside: avoid; } h2 { break-after: avoid; } a { color: inherit; text-decoration: none; } }
        """

    private var conversationItems: [KeyFigures.Item] { keyFigures.items.filter { !$0.isDesk && $0.label != "log head" } }
    private var deskItems: [KeyFigures.Item] { keyFigures.items.filter(\.isDesk) }

    func html() -> String {
        let e = SVGNode.escape
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(e(title))</title>\n<style>\n\(Self.style)\n</style>\n</head>\n<body>\n"
        out += "<h1>\(e(title))</h1>\n<p class=\"subtitle\">\(e(subtitle))</p>\n"
        if !assumptions.isEmpty {
            out += "<div class=\"note\" id=\"assumptions\">\n" + assumptions.map { "<p>\(e($0))</p>\n" }.joined() + "</div>\n"
        }
        out += "<h2>The conversation</h2>\n<dl class=\"key\" id=\"key-figures\">\n"
        for item in conversationItems { out += "<dt>\(e(item.label))</dt><dd>\(e(item.text))</dd>\n" }
        out += "</dl>\n"
        if let window = windowSentence { out += "<p id=\"window\">\(e(window))</p>\n" }
        out += conversationFigures.map(Self.html).joined()
        out += conversationTables.map(Self.html).joined()
        out += "<h2>The desk</h2>\n"
        if deskFigures.isEmpty {
            out += "<p id=\"no-desk\">\(e(Self.capitalized(KeyFigures.noDeskSentence))).</p>\n"
        } else {
            out += "<dl class=\"key\" id=\"desk-figures\">\n"
            for item in deskItems { out += "<dt>\(e(item.label))</dt><dd>\(e(item.text))</dd>\n" }
            out += "</dl>\n" + deskFigures.map(Self.html).joined()
        }
        if let editions {
            out += "<h2>Editions compared</h2>\n<p>\(e(editions.names.joined(separator: ", "))): each edition's own days and time zone; day 1 is its first event day.</p>\n"
            out += editions.tables.map(Self.html).joined() + editions.figures.map(Self.html).joined()
        }
        out += "<h2>Check the log these figures come from</h2>\n"
        if let command = keyFigures.verifyCommand {
            out += "<p>Every figure here was computed from the log whose head (last sequence number and hash) is <code>\(e(facts.head ?? ""))</code>. Anyone holding the log can prove it is still the same:</p>\n<pre>\(e(command))</pre>\n"
        } else {
            out += "<p>The log is empty: there is no head to check.</p>\n"
        }
        out += "<h2>Data</h2>\n<p>One row per inbound post that reached the desk (reposts left out): <a href=\"data/posts.csv\">data/posts.csv</a> (post, channel, posted, received, first reply, responder, role, first response seconds, resolved, outcome). The key figures: <a href=\"data/key-figures.csv\">data/key-figures.csv</a>. Every figure's and table's numbers: data/*.csv.</p>\n"
        out += "</body>\n</html>\n"
        return out
    }

    private static func html(_ figure: Figure) -> String {
        guard !figure.isOmitted else { return "" }
        let e = SVGNode.escape
        let data = figure.tables.map { "<a href=\"data/\(e($0.name)).csv\">data/\(e($0.name)).csv</a>" }.joined(separator: ", ")
        if let chart = figure.chart {
            return "<figure id=\"figure-\(e(figure.name))\">\n" + chart.render(standalone: false)
                + "<figcaption>\(e(chart.description)) Numbers: \(data); figure: <a href=\"figures/\(e(figure.name)).svg\">figures/\(e(figure.name)).svg</a>.</figcaption>\n</figure>\n"
        }
        return "<div class=\"missing\" id=\"figure-\(e(figure.name))\">\n<h3>\(e(figure.title))</h3>\n<p>Not drawn: \(e(figure.missing ?? "")) Numbers: \(data).</p>\n</div>\n"
    }

    private static func html(_ table: ShownTable) -> String {
        let e = SVGNode.escape
        guard !table.rows.isEmpty else {
            return "<h3 id=\"table-\(e(table.name))\">\(e(table.title))</h3>\n<p class=\"caption\">\(e(table.caption)) None.</p>\n"
        }
        let (header, rows) = table.shown
        // A column of numbers is right-aligned, whole numbers grouped; the link column becomes a link.
        let numeric = header.indices.map { i in rows.allSatisfy { $0[i].isEmpty || $0[i] == "–" || $0[i].first.map { "0123456789+\u{2212}±".contains($0) } == true } }
        var out = "<h3 id=\"table-\(e(table.name))\">\(e(table.title))</h3>\n<table>\n<thead><tr>"
        out += header.indices.map { "<th\(numeric[$0] ? " class=\"n\"" : "")>\(e(header[$0]))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr>" + row.indices.map { i in
                let text = numeric[i] ? Int(row[i]).map(Format.grouped) ?? row[i] : row[i]
                let cell = header[i] == "link" && row[i].hasPrefix("https://") ? "<a href=\"\(e(row[i]))\">link</a>" : e(text)
                return "<td\(numeric[i] ? " class=\"n\"" : "")>\(cell)</td>"
            }.joined() + "</tr>\n"
        }
        return out + "</tbody>\n</table>\n<p class=\"caption\">\(e(table.caption)) Numbers: <a href=\"data/\(e(table.name)).csv\">data/\(e(table.name)).csv</a>.</p>\n"
    }

    func markdown() -> String {
        var out = "# \(Self.md(title))\n\n\(Self.md(subtitle))\n\n"
        for line in assumptions { out += "> \(Self.md(line))\n>\n" }
        if !assumptions.isEmpty { out.removeLast(2); out += "\n" }
        out += "## The conversation\n\n"
        for item in conversationItems { out += "- **\(item.label)**: \(Self.md(item.text))\n" }
        if let window = windowSentence { out += "\n\(Self.md(window))\n" }
        out += conversationFigures.map(Self.markdown).joined() + conversationTables.map(Self.markdown).joined()
        out += "\n## The desk\n\n"
        if deskFigures.isEmpty {
            out += Self.md(Self.capitalized(KeyFigures.noDeskSentence)) + ".\n"
        } else {
            for item in deskItems { out += "- **\(item.label)**: \(Self.md(item.text))\n" }
            out += deskFigures.map(Self.markdown).joined()
        }
        if let editions {
            out += "\n## Editions compared\n\n\(Self.md(editions.names.joined(separator: ", "))): each edition's own days and time zone; day 1 is its first event day.\n"
            out += editions.tables.map(Self.markdown).joined() + editions.figures.map(Self.markdown).joined()
        }
        out += "\n## Check the log these figures come from\n\n"
        if let command = keyFigures.verifyCommand {
            out += "Every figure here was computed from the log whose head is `\(facts.head ?? "")`. Anyone holding the log can prove it is still the same:\n\n```\n\(command)\n```\n"
        } else {
            out += "The log is empty: there is no head to check.\n"
        }
        out += "\n## Data\n\nOne row per inbound post that reached the desk: [data/posts.csv](data/posts.csv). The key figures: [data/key-figures.csv](data/key-figures.csv).\n"
        return out
    }

    private static func markdown(_ figure: Figure) -> String {
        guard !figure.isOmitted else { return "" }
        let data = figure.tables.map { "[data/\($0.name).csv](data/\($0.name).csv)" }.joined(separator: ", ")
        var out = "\n### \(md(figure.title))\n\n"
        if let chart = figure.chart {
            out += "![\(md(chart.title))](figures/\(figure.name).svg)\n\n\(md(chart.description))\n\nNumbers: \(data)\n"
        } else {
            out += "Not drawn: \(md(figure.missing ?? ""))\n\nNumbers: \(data)\n"
        }
        return out
    }

    private static func markdown(_ table: ShownTable) -> String {
        var out = "\n### \(md(table.title))\n\n"
        guard !table.rows.isEmpty else { return out + md(table.caption) + " None.\n" }
        let (header, rows) = table.shown
        out += "| " + header.map(cell).joined(separator: " | ") + " |\n|" + header.map { _ in "---|" }.joined() + "\n"
        for row in rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
        return out + "\n\(md(table.caption)) Numbers: [data/\(table.name).csv](data/\(table.name).csv)\n"
    }

    static func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    /// Markdown text with the characters that would start markup escaped.
    static func md(_ text: String) -> String {
        var out = ""
        for c in text {
            if "\\`*_[]<>|#".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    static func cell(_ text: String) -> String { md(text).replacing("\n", with: " ") }
}
