/// One element of an SVG document: a name, attributes in the order given, children or text.
///
/// The only place that writes markup, so escaping and layout of the text are decided once: every
/// attribute value and text is escaped, attributes keep their order, each element is on its own
/// line (a report diffs line by line), and nothing depends on a dictionary's order.
struct SVGNode: Sendable {
    var name: String
    var attributes: [(String, String)]
    var children: [SVGNode]
    var text: String?

    init(_ name: String, _ attributes: [(String, String)] = [], children: [SVGNode] = [], text: String? = nil) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// A `<g>` holding `children`.
    static func group(_ attributes: [(String, String)] = [], _ children: [SVGNode]) -> SVGNode {
        SVGNode("g", attributes, children: children)
    }

    /// The markup, indented by `depth` levels.
    func render(depth: Int = 0) -> String {
        var out = ""
        render(into: &out, depth: depth)
        return out
    }

    func render(into out: inout String, depth: Int) {
        out += String(repeating: " ", count: depth)
        out += "<" + name
        for (key, value) in attributes { out += " \(key)=\"\(Self.escape(value))\"" }
        if let text {
            out += ">" + Self.escape(text) + "</\(name)>\n"
        } else if children.isEmpty {
            out += "/>\n"
        } else {
            out += ">\n"
            for child in children { child.render(into: &out, depth: depth + 1) }
            out += String(repeating: " ", count: depth) + "</\(name)>\n"
        }
    }

    /// `&`, `<`, `>`, `"` as entities; control characters XML 1.0 forbids dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
