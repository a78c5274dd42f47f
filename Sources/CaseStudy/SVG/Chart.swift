/// The plot area of a chart, in pixels.
struct PlotArea: Sendable {
    var left: Double, top: Double, right: Double, bottom: Double
    var width: Double { right - left }
    var height: Double { bottom - top }
}

/// One entry of a legend: a colour swatch and what it stands for.
struct LegendEntry: Sendable {
    var color: String
    var label: String
    /// Drawn as a short line (a line or rule series) instead of a filled square.
    var line = false
    var dashed = false
    /// The swatch's opacity, for a lighter segment of a bar.
    var opacity: String?
}

/// A whole figure: the frame every chart of the report shares (size, title, text alternative,
/// legend, axes) around its marks, rendered as one `<svg>` element.
struct Chart: Sendable {
    static let width = 760.0
    static let defaultHeight = 380.0

    /// The file stem and the prefix of its element ids (`volume`).
    var id: String
    var title: String
    /// The text alternative: what the figure shows, in words, with its main numbers.
    var description: String
    var legend: [LegendEntry] = []
    var axes: [Axis] = []
    var marks: [any Mark] = []
    /// Extra left margin for long category labels (horizontal bars).
    var leftMargin = 72.0
    /// The figure's height: taller for a heatmap of many days.
    var height = Chart.defaultHeight

    /// Where the marks go, below the title and legend, inside the axes.
    var plot: PlotArea {
        PlotArea(left: leftMargin, top: legend.isEmpty ? 48 : 48 + Double(legendRows.count) * 18, right: Chart.width - 28, bottom: height - 62)
    }

    /// The legend laid out left to right, wrapped into rows that fit the width.
    var legendRows: [[(x: Double, entry: LegendEntry)]] {
        var rows: [[(x: Double, entry: LegendEntry)]] = [[]]
        var x = 16.0
        for entry in legend {
            // ~6.5 px per character at 11 px, plus the swatch.
            let width = 22 + Double(entry.label.count) * 6.5 + 16
            if x + width > Chart.width - 12 && !rows[rows.count - 1].isEmpty {
                rows.append([])
                x = 16
            }
            rows[rows.count - 1].append((x, entry))
            x += width
        }
        return rows
    }

    /// The `<svg>` element; `standalone` adds the XML declaration of a file of its own.
    func render(standalone: Bool) -> String {
        var children: [SVGNode] = [
            SVGNode("title", [("id", "\(id)-title")], text: title),
            SVGNode("desc", [("id", "\(id)-desc")], text: description),
            SVGNode("rect", [("width", Format.coordinate(Chart.width)), ("height", Format.coordinate(height)), ("fill", "#FFFFFF")]),
            // From the left edge, not the plot: a wide label margin must not push the title out.
            SVGNode("text", [("x", "16"), ("y", "26"), ("font-size", "16"), ("font-weight", "bold"), ("fill", Palette.ink)], text: title),
        ]
        children.append(legendNode)
        let plot = self.plot
        children += axes.map { $0.node(in: plot) }
        children.append(.group([("class", "marks")], marks.map(\.node)))
        let svg = SVGNode("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"), ("width", Format.coordinate(Chart.width)), ("height", Format.coordinate(height)),
            ("viewBox", "0 0 \(Format.coordinate(Chart.width)) \(Format.coordinate(height))"), ("role", "img"),
            ("aria-labelledby", "\(id)-title \(id)-desc"), ("font-family", "DejaVu Sans, Helvetica, Arial, sans-serif"), ("id", id),
        ], children: children)
        return (standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : "") + svg.render()
    }

    private var legendNode: SVGNode {
        var items: [SVGNode] = []
        for (row, entries) in legendRows.enumerated() {
            let y = 44 + Double(row) * 18
            for (x, entry) in entries {
                if entry.line {
                    var line: [(String, String)] = [("x1", Format.coordinate(x)), ("x2", Format.coordinate(x + 16)), ("y1", Format.coordinate(y - 4)), ("y2", Format.coordinate(y - 4)), ("stroke", entry.color), ("stroke-width", "2.5")]
                    if entry.dashed { line.append(("stroke-dasharray", "4 3")) }
                    items.append(SVGNode("line", line))
                } else {
                    items.append(SVGNode("rect", [("x", Format.coordinate(x)), ("y", Format.coordinate(y - 10)), ("width", "12"), ("height", "12"), ("fill", entry.color)]
                                         + (entry.opacity.map { [("fill-opacity", $0)] } ?? [])))
                }
                items.append(SVGNode("text", [("x", Format.coordinate(x + 20)), ("y", Format.coordinate(y)), ("font-size", "11"), ("fill", Palette.ink)], text: entry.label))
            }
        }
        return .group([("class", "legend")], items)
    }
}
