/// What a mark stands for, written on it as `data-series`, `data-key` and `data-value` so a
/// reader (or a test) can take the plotted numbers back out of the SVG and compare them with the
/// CSV. Line and area marks carry one key and value per vertex, space-separated.
struct Datum: Sendable {
    var series: String
    var key: String
    var value: String

    var attributes: [(String, String)] {
        [("data-series", series), ("data-key", key), ("data-value", value)]
    }
}

/// Something drawn in the plot area.
protocol Mark: Sendable {
    var node: SVGNode { get }
}

/// A rectangle: one bar or one segment of a stacked bar.
struct BarMark: Mark {
    var x: Double, y: Double, width: Double, height: Double
    var fill: String
    var datum: Datum
    /// The tooltip (`<title>`), e.g. "twitter: 1,234 posts".
    var label: String
    /// Lighter segments of a stacked bar in one colour.
    var opacity: String?

    var node: SVGNode {
        SVGNode("rect", [
            ("x", Format.coordinate(x)), ("y", Format.coordinate(y)),
            ("width", Format.coordinate(max(width, 0))), ("height", Format.coordinate(max(height, 0))),
            ("fill", fill),
        ] + (opacity.map { [("fill-opacity", $0)] } ?? []) + datum.attributes, children: [SVGNode("title", text: label)])
    }

    /// This bar at `opacity` (`"1"`: unchanged).
    func withOpacity(_ opacity: String) -> BarMark {
        var bar = self
        bar.opacity = opacity == "1" ? nil : opacity
        return bar
    }
}

/// A band between an upper and a lower line (one layer of a stacked area).
struct AreaMark: Mark {
    /// Upper edge, left to right.
    var upper: [(x: Double, y: Double)]
    /// Lower edge, left to right.
    var lower: [(x: Double, y: Double)]
    var fill: String
    var series: String
    var keys: [String]
    var values: [String]

    var node: SVGNode {
        var d = ""
        for (i, p) in upper.enumerated() { d += (i == 0 ? "M" : "L") + Format.coordinate(p.x) + "," + Format.coordinate(p.y) }
        for p in lower.reversed() { d += "L" + Format.coordinate(p.x) + "," + Format.coordinate(p.y) }
        d += "Z"
        return SVGNode("path", [("d", d), ("fill", fill), ("fill-opacity", "0.85"), ("stroke", fill), ("stroke-width", "0.5")]
            + Datum(series: series, key: keys.joined(separator: " "), value: values.joined(separator: " ")).attributes,
            children: [SVGNode("title", text: series)])
    }
}

/// A polyline through points; `nil` breaks the line (a gap where there is no value).
struct LineMark: Mark {
    var points: [(x: Double, y: Double)?]
    var stroke: String
    var width = 2.0
    var dashed = false
    /// Step interpolation (horizontal then vertical), for cumulative distributions.
    var step = false
    var series: String
    var keys: [String]
    var values: [String]

    var node: SVGNode {
        var d = ""
        var pen = false
        var last: (x: Double, y: Double)?
        for point in points {
            guard let p = point else { pen = false; continue }
            if pen, step, let last { d += "L" + Format.coordinate(p.x) + "," + Format.coordinate(last.y) }
            d += (pen ? "L" : "M") + Format.coordinate(p.x) + "," + Format.coordinate(p.y)
            pen = true
            last = p
        }
        var attributes: [(String, String)] = [("d", d), ("fill", "none"), ("stroke", stroke), ("stroke-width", Format.coordinate(width)), ("stroke-linejoin", "round")]
        if dashed { attributes.append(("stroke-dasharray", "6 4")) }
        return SVGNode("path", attributes + Datum(series: series, key: keys.joined(separator: " "), value: values.joined(separator: " ")).attributes,
                       children: [SVGNode("title", text: series)])
    }
}

/// A dot at one value.
struct PointMark: Mark {
    var x: Double, y: Double
    var radius = 3.5
    var fill: String
    var datum: Datum
    var label: String

    var node: SVGNode {
        SVGNode("circle", [("cx", Format.coordinate(x)), ("cy", Format.coordinate(y)), ("r", Format.coordinate(radius)), ("fill", fill)]
            + datum.attributes, children: [SVGNode("title", text: label)])
    }
}

/// A reference line across the plot (a percentile, the target, the moment a rule was added),
/// labelled at its end.
struct RuleMark: Mark {
    enum Orientation: Sendable { case vertical, horizontal }
    var orientation: Orientation
    /// x of a vertical rule, y of a horizontal one.
    var position: Double
    /// The span it crosses: y range of a vertical rule, x range of a horizontal one.
    var from: Double, to: Double
    var stroke: String
    var dashed = true
    var label: String
    /// Where the label sits along the rule: the `from` end or the `to` end.
    var labelAtFrom = true
    /// Shifts the label by this many pixels along the rule, away from its end (to keep the labels
    /// of close rules apart).
    var labelOffset = 0.0
    /// Puts a vertical rule's label on its left (a rule near the right edge).
    var labelOnLeft = false
    var datum: Datum

    var node: SVGNode {
        let p = Format.coordinate(position)
        var line: [(String, String)] = orientation == .vertical
            ? [("x1", p), ("x2", p), ("y1", Format.coordinate(from)), ("y2", Format.coordinate(to))]
            : [("x1", Format.coordinate(from)), ("x2", Format.coordinate(to)), ("y1", p), ("y2", p)]
        line += [("stroke", stroke), ("stroke-width", "1.5")]
        if dashed { line.append(("stroke-dasharray", "4 3")) }
        let at = labelAtFrom ? from : to
        let text: SVGNode
        switch orientation {
        case .vertical:
            let y = labelAtFrom ? at + 12 + labelOffset : at - 6 - labelOffset
            text = SVGNode("text", [("x", Format.coordinate(position + (labelOnLeft ? -4 : 4))), ("y", Format.coordinate(y)),
                                    ("fill", stroke), ("font-size", "11"), ("text-anchor", labelOnLeft ? "end" : "start")] + Self.halo, text: label)
        case .horizontal:
            text = SVGNode("text", [("x", Format.coordinate(at)), ("y", Format.coordinate(position - 4 + labelOffset)),
                                    ("fill", stroke), ("font-size", "11"), ("text-anchor", labelAtFrom ? "start" : "end")] + Self.halo, text: label)
        }
        return .group([("class", "rule")] + datum.attributes, [SVGNode("line", line), text])
    }

    /// A white outline under the label's letters, so it stays readable over lines and areas.
    static let halo: [(String, String)] = [("stroke", "#FFFFFF"), ("stroke-width", "3"), ("paint-order", "stroke")]
}

/// Text in the plot (a value at the end of a bar, a note).
struct TextMark: Mark {
    var x: Double, y: Double
    var text: String
    var anchor = "start"
    var size = 11.0
    var fill = Palette.ink

    var node: SVGNode {
        SVGNode("text", [("x", Format.coordinate(x)), ("y", Format.coordinate(y)), ("font-size", Format.coordinate(size)),
                         ("text-anchor", anchor), ("fill", fill)], text: text)
    }
}

/// A shaded span of the plot behind the data (the event's days), with what it stands for as its
/// tooltip; it carries no value.
struct ShadeMark: Mark {
    var x: Double, y: Double, width: Double, height: Double
    var fill: String
    var label: String

    var node: SVGNode {
        SVGNode("rect", [("x", Format.coordinate(x)), ("y", Format.coordinate(y)), ("width", Format.coordinate(max(width, 0))),
                         ("height", Format.coordinate(max(height, 0))), ("fill", fill), ("class", "shade")],
                children: [SVGNode("title", text: label)])
    }
}
