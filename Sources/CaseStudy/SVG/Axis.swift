/// An axis: its line, ticks, tick labels (one or more lines each) and its title with the unit.
///
/// A left axis also draws light grid lines across the plot, so values can be read off bars far
/// from it.
struct Axis: Sendable {
    enum Edge: Sendable { case bottom, left }
    var edge: Edge
    var ticks: [(position: Double, label: [String])]
    /// What the axis measures, with its unit: "first response (minutes)".
    var title: String

    /// A bottom axis of a time scale, titled with the zone its ticks are read in.
    static func time(_ scale: TimeScale, title: String? = nil) -> Axis {
        Axis(edge: .bottom, ticks: scale.ticks().map { (scale($0.at), $0.label) }, title: title ?? "time (\(scale.clock.zoneName))")
    }

    /// An axis of a linear scale, labels formatted by `label`.
    static func linear(_ scale: LinearScale, edge: Edge, title: String, count: Int = 5, label: (Double) -> String = { Format.grouped(Int($0.rounded())) }) -> Axis {
        Axis(edge: edge, ticks: scale.ticks(count: count).map { (scale($0), [label($0)]) }, title: title)
    }

    /// The axis drawn along `plot`.
    func node(in plot: PlotArea) -> SVGNode {
        var children: [SVGNode] = []
        switch edge {
        case .bottom:
            let y = plot.bottom
            children.append(SVGNode("line", [("x1", Format.coordinate(plot.left)), ("x2", Format.coordinate(plot.right)), ("y1", Format.coordinate(y)), ("y2", Format.coordinate(y)), ("stroke", Palette.ink)]))
            for tick in ticks {
                let x = Format.coordinate(tick.position)
                children.append(SVGNode("line", [("x1", x), ("x2", x), ("y1", Format.coordinate(y)), ("y2", Format.coordinate(y + 5)), ("stroke", Palette.ink)]))
                for (i, line) in tick.label.enumerated() {
                    children.append(SVGNode("text", [("x", x), ("y", Format.coordinate(y + 18 + Double(i) * 13)), ("text-anchor", "middle"), ("font-size", "11"), ("fill", i == 0 ? Palette.ink : Palette.muted)], text: line))
                }
            }
            if !title.isEmpty {
                children.append(SVGNode("text", [("x", Format.coordinate((plot.left + plot.right) / 2)), ("y", Format.coordinate(y + 48)), ("text-anchor", "middle"), ("font-size", "12"), ("fill", Palette.ink)], text: title))
            }
        case .left:
            let x = plot.left
            for tick in ticks {
                let y = Format.coordinate(tick.position)
                children.append(SVGNode("line", [("x1", Format.coordinate(x)), ("x2", Format.coordinate(plot.right)), ("y1", y), ("y2", y), ("stroke", Palette.grid)]))
                children.append(SVGNode("text", [("x", Format.coordinate(x - 6)), ("y", Format.coordinate(tick.position + 4)), ("text-anchor", "end"), ("font-size", "11"), ("fill", Palette.ink)], text: tick.label.first ?? ""))
            }
            children.append(SVGNode("line", [("x1", Format.coordinate(x)), ("x2", Format.coordinate(x)), ("y1", Format.coordinate(plot.top)), ("y2", Format.coordinate(plot.bottom)), ("stroke", Palette.ink)]))
            // A category axis (the channels, the roles) names its ticks; only a value axis has a title.
            if !title.isEmpty {
                let cy = Format.coordinate((plot.top + plot.bottom) / 2)
                children.append(SVGNode("text", [("x", "16"), ("y", cy), ("transform", "rotate(-90 16 \(cy))"), ("text-anchor", "middle"), ("font-size", "12"), ("fill", Palette.ink)], text: title))
            }
        }
        return .group([("class", edge == .bottom ? "axis x" : "axis y")], children)
    }
}
