import CommandCenter

/// The report's two readable forms, from the same parts: `index.html` (self-contained: inline
/// SVG and CSS, no script, no network, prints on A4) and `report.md` (figures linked as files).
struct Page: Sendable {
    var title: String
    var facts: EventFacts
    var names: (String, String)
    var keyFigures: KeyFigures
    var compared: KeyFigures?
    var figures: [Figure]

    private var subtitle: String {
        var text = "The log \(facts.log)"
        if let first = facts.report.firstAt, let last = facts.report.lastAt {
            text += ": \(Format.grouped(facts.report.events)) events from \(UTCCalendar.minute(first.milliseconds)) to \(UTCCalendar.minute(last.milliseconds))"
        } else {
            text += " holds no event"
        }
        return text + ". All times are UTC. Figures follow the definitions of smcc stats (Schemas/cli/stats.md)."
    }

    private static let style = """
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222; max-width: 800px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
        h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
        .subtitle { color: #555; margin-top: 0; }
        dl.key { display: grid; grid-template-columns: 11em 1fr; gap: 0.35em 1em; } dl.key dt { font-weight: bold; } dl.key dd { margin: 0; }
        table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 0.3em 0.5em; border-bottom: 1px solid #e4e4e4; vertical-align: top; }
        figure { margin: 1.5em 0; } figure svg { width: 100%; height: auto; } figcaption { font-size: 0.85em; color: #555; }
        .missing { border: 1px dashed #bbb; padding: 0.5em 1em; background: #fafafa; } .missing h3 { font-size: 1em; margin: 0.3em 0; }
        code, pre { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 0.85em; } pre { background: #f4f4f4; padding: 0.6em; white-space: pre-wrap; word-break: break-all; }
        @media print { body { max-width: none; margin: 0; font-size: 10pt; } figure, .missing, dl.key, table { break-inside: avoid; } h2 { break-after: avoid; } a { color: inherit; text-decoration: none; } }
        """

    func html() -> String {
        let e = SVGNode.escape
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(e(title))</title>\n<style>\n\(Self.style)\n</style>\n</head>\n<body>\n"
        out += "<h1>\(e(title))</h1>\n<p class=\"subtitle\">\(e(subtitle))</p>\n"
        out += "<h2>Key figures</h2>\n<dl class=\"key\">\n"
        for item in keyFigures.items where item.label != "log head" { out += "<dt>\(e(item.label))</dt><dd>\(e(item.text))</dd>\n" }
        out += "</dl>\n"
        if let compared {
            out += "<h2>Compared with \(e(names.1))</h2>\n<table>\n<thead><tr><th>figure</th><th>\(e(names.0))</th><th>\(e(names.1))</th></tr></thead>\n<tbody>\n"
            for item in keyFigures.items where item.label != "log head" {
                out += "<tr><td>\(e(item.label))</td><td>\(e(item.text))</td><td>\(e(compared.text(item.label) ?? "–"))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "<h2>Check the log these figures come from</h2>\n"
        if let command = keyFigures.verifyCommand {
            out += "<p>Every figure here was computed from the log whose head (last sequence number and hash) is <code>\(e(facts.head ?? ""))</code>. Anyone holding the log can prove it is still the same:</p>\n<pre>\(e(command))</pre>\n"
        } else {
            out += "<p>The log is empty: there is no head to check.</p>\n"
        }
        out += "<h2>Figures</h2>\n"
        for figure in figures {
            let data = figure.tables.map { "<a href=\"data/\(e($0.name)).csv\">data/\(e($0.name)).csv</a>" }.joined(separator: ", ")
            if let chart = figure.chart {
                out += "<figure id=\"figure-\(e(figure.name))\">\n" + chart.render(standalone: false)
                out += "<figcaption>\(e(chart.description)) Numbers: \(data); figure: <a href=\"figures/\(e(figure.name)).svg\">figures/\(e(figure.name)).svg</a>.</figcaption>\n</figure>\n"
            } else {
                out += "<div class=\"missing\" id=\"figure-\(e(figure.name))\">\n<h3>\(e(figure.title))</h3>\n<p>Not drawn: \(e(figure.missing ?? "")) Numbers: \(data).</p>\n</div>\n"
            }
        }
        out += "<h2>Data</h2>\n<p>One row per inbound post: <a href=\"data/posts.csv\">data/posts.csv</a> (post, channel, posted, received, first reply, responder, role, first response seconds, resolved, outcome). The key figures: <a href=\"data/key-figures.csv\">data/key-figures.csv</a>.</p>\n"
        out += "</body>\n</html>\n"
        return out
    }

    func markdown() -> String {
        var out = "# \(title)\n\n\(subtitle)\n\n## Key figures\n\n"
        for item in keyFigures.items where item.label != "log head" { out += "- **\(item.label)**: \(Self.md(item.text))\n" }
        if let compared {
            out += "\n## Compared with \(Self.md(names.1))\n\n| figure | \(Self.cell(names.0)) | \(Self.cell(names.1)) |\n|---|---|---|\n"
            for item in keyFigures.items where item.label != "log head" {
                out += "| \(item.label) | \(Self.cell(item.text)) | \(Self.cell(compared.text(item.label) ?? "–")) |\n"
            }
        }
        out += "\n## Check the log these figures come from\n\n"
        if let command = keyFigures.verifyCommand {
            out += "Every figure here was computed from the log whose head is `\(facts.head ?? "")`. Anyone holding the log can prove it is still the same:\n\n```\n\(command)\n```\n"
        } else {
            out += "The log is empty: there is no head to check.\n"
        }
        out += "\n## Figures\n"
        for figure in figures {
            let data = figure.tables.map { "[data/\($0.name).csv](data/\($0.name).csv)" }.joined(separator: ", ")
            out += "\n### \(Self.md(figure.title))\n\n"
            if let chart = figure.chart {
                out += "![\(Self.md(chart.title))](figures/\(figure.name).svg)\n\n\(Self.md(chart.description))\n\nNumbers: \(data)\n"
            } else {
                out += "Not drawn: \(Self.md(figure.missing ?? ""))\n\nNumbers: \(data)\n"
            }
        }
        out += "\n## Data\n\nOne row per inbound post: [data/posts.csv](data/posts.csv). The key figures: [data/key-figures.csv](data/key-figures.csv).\n"
        return out
    }

    /// Markdown text with the characters that would start markup escaped.
    static func md(_ text: String) -> String {
        var out = ""
        for c in text {
            if "\\`*_[]<>|".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    static func cell(_ text: String) -> String { md(text).replacing("\n", with: " ") }
}
