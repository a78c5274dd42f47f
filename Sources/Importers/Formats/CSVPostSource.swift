import CommandCenter

/// How one CSV dialect's rows become posts, once its header is known.
protocol CSVRowMapping {
    /// The mapping for a file whose header is `header` (names trimmed, lowercased).
    /// - Throws: `ImportError` when a needed column is missing.
    init(header: [String], file: String, options: ImportOptions) throws
    /// The post of the current row of `csv`. With `complete` false only what the first pass
    /// needs is filled (id, time, reply target, whether the team wrote it; text, hashtags and
    /// mentions left empty), but every check that can fail is made, so both passes agree.
    func post(_ csv: CSVFile, complete: Bool) throws(RowProblem) -> SourcePost
}

/// A CSV format: the header names the columns (so an extra index column or reordered columns
/// read the same); each later row is one post. The files stay open for the second pass, which
/// reads rows again by byte offset.
final class CSVPostSource<Mapping: CSVRowMapping>: PostSource {
    private let options: ImportOptions
    private var open: [String: OpenCSVFile] = [:]

    init(options: ImportOptions) {
        self.options = options
    }

    func forEachPost(in file: String, index: Int32, _ body: (PostLocation, Result<SourcePost, RowProblem>) throws -> Void) throws {
        let csv = try CSVFile(path: file)
        let mapping: Mapping
        do {
            guard try csv.next() else { throw ImportError("\(file):1: the file is empty; expected a header row") }
            let header = (0..<csv.count).map { csv.string($0).trimmingSpaces.lowercased() }
            mapping = try Mapping(header: header, file: file, options: options)
            open[file] = OpenCSVFile(csv: csv) { complete throws(RowProblem) in try mapping.post(csv, complete: complete) }
            // Rows are read and checked on a second thread while this one keeps what the import
            // needs of each: the first pass had a core to itself, the other one waiting.
            try StreamAhead<(PostLocation, Result<SourcePost, RowProblem>)>.forEach(produce: { yield in
                while try csv.next() {
                    let span = csv.span
                    let location = PostLocation(file: index, line: Int32(span.line), offset: span.offset, length: Int32(span.length))
                    if let unreadable = csv.firstUnreadableField() {
                        let column = unreadable.index < header.count ? header[unreadable.index] : "column \(unreadable.index + 1)"
                        try yield((location, .failure(RowProblem(line: span.line, field: column, message: unreadable.reason))))
                    } else {
                        let result: Result<SourcePost, RowProblem>
                        do throws(RowProblem) {
                            result = .success(try mapping.post(csv, complete: false))
                        } catch {
                            result = .failure(error)
                        }
                        try yield((location, result))
                    }
                }
            }) { location, result in
                try body(location, result)
            }
        } catch let problem as CSVFile.Problem {
            // The rows cannot be told apart past a broken quote: the rest of the file is one bad row.
            try body(PostLocation(file: index, line: Int32(problem.line), offset: 0, length: 0), .failure(RowProblem(line: problem.line, field: nil, message: problem.message)))
        }
    }

    func post(at location: PostLocation, in file: String) throws -> SourcePost {
        guard let opened = open[file] else { throw ImportError("\(file): was not read in the first pass") }
        try opened.csv.reread(CSVFile.Span(offset: location.offset, length: Int(location.length), line: Int(location.line)))
        do throws(RowProblem) {
            return try opened.post(true)
        } catch {
            throw ImportError(InputError(file: file, line: error.line, field: error.field, message: error.message).description)
        }
    }
}

/// A file the first pass read, kept open for the second with its mapping. Not generic, unlike
/// the tuple of file and mapping it replaces: looking that up per row built the tuple's type
/// metadata at run time (1.5% of an import's samples).
private final class OpenCSVFile {
    let csv: CSVFile
    /// The current row's post (``CSVRowMapping/post(_:complete:)``).
    let post: (_ complete: Bool) throws(RowProblem) -> SourcePost

    init(csv: CSVFile, post: @escaping (_ complete: Bool) throws(RowProblem) -> SourcePost) {
        self.csv = csv
        self.post = post
    }
}

/// Field readers shared by the CSV dialects.
enum CSVFields {
    /// An id written as digits, or as a spreadsheet's float (`848.0`); `nil` for anything else.
    static func id(_ bytes: ArraySlice<UInt8>) -> String? {
        var end = bytes.endIndex
        if let dot = bytes.firstIndex(of: UInt8(ascii: ".")) {
            guard bytes[(dot + 1)...].allSatisfy({ $0 == UInt8(ascii: "0") }) else { return nil }
            end = dot
        }
        let digits = bytes[bytes.startIndex..<end]
        guard !digits.isEmpty, digits.count <= 20, digits.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) else { return nil }
        return String(decoding: digits, as: UTF8.self)
    }

    /// The post id a platform URL ends with: `…/status/<digits>` (Twitter, X), `…/statuses/<digits>`,
    /// `…/@user/<digits>` (Mastodon); `nil` for another URL.
    static func postID(inURL url: String) -> String? {
        var path = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        while path.hasSuffix("/") { path.removeLast() }
        let parts = path.split(separator: "/")
        guard parts.count >= 2, let last = parts.last, let previous = parts.dropLast().last,
              previous == "status" || previous == "statuses" || previous.hasPrefix("@") else { return nil }
        return id(Array(last.utf8)[...])
    }

    /// Whether `column` is `exact` with its last digits lost: the same number of digits, the
    /// column's trailing ones zero, and the rest `exact`'s leading digits, cut or rounded (an id
    /// that went through a 64-bit float and was printed with 15 or 16 significant digits).
    static func isRounding(_ column: String, of exact: String) -> Bool {
        guard column.count == exact.count, column != exact else { return false }
        let zeros = column.reversed().prefix { $0 == "0" }.count
        guard zeros >= 1, zeros < column.count else { return false }
        let kept = column.count - zeros
        if column.prefix(kept) == exact.prefix(kept) { return true }
        // Rounded up: the kept digits are exact's plus one in the last place.
        guard let lead = UInt64(exact.prefix(kept)), let columnLead = UInt64(column.prefix(kept)), let next = exact.dropFirst(kept).first else { return false }
        return next >= "5" && columnLead == lead + 1
    }

    /// `True`/`TRUE`/`true`/`1`/`yes` or their opposites; `nil` for anything else.
    static func bool(_ bytes: ArraySlice<UInt8>) -> Bool? {
        // The bytes, ASCII letters folded, packed big-endian after a leading 1 (so that a NUL
        // byte still counts): one integer compared, where a lowercased `String` showed in the profile.
        guard bytes.count <= 5 else { return nil }
        var packed: UInt64 = 1
        for byte in bytes { packed = packed << 8 | UInt64(byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte) }
        switch packed {
        case 0x01_74_72_75_65, 0x01_31, 0x01_79_65_73, 0x01_74, 0x01_31_2E_30: return true // true 1 yes t 1.0
        case 0x01_66_61_6C_73_65, 0x01_30, 0x01_6E_6F, 0x01_66, 0x01_30_2E_30: return false // false 0 no f 0.0
        default: return nil
        }
    }

    /// Field `index` of the row, or the problem naming `name` when the row is too short.
    static func require(_ csv: CSVFile, _ index: Int, _ name: String) throws(RowProblem) {
        guard index < csv.count else {
            throw RowProblem(line: csv.span.line, field: name, message: "missing column (the row has \(csv.count) fields)")
        }
    }

    /// The longest text kept, in UTF-8 bytes: a post must fit in one record with room to spare.
    static let maximumTextBytes = 32 * 1024

    static func text(_ text: String, line: Int, field: String) throws(RowProblem) -> String {
        try checkLength(text.utf8.count, line: line, field: field)
        return text
    }

    /// The text of field `index` (entities decoded) when `complete`, else only its length checked.
    static func text(_ csv: CSVFile, _ index: Int, complete: Bool, field: String) throws(RowProblem) -> String {
        guard complete else {
            try checkLength(csv.bytes(index).count, line: csv.span.line, field: field)
            return ""
        }
        // Most texts have no entity: asked of the row's bytes, not of the `String` (whose
        // `utf8.contains` walks it byte by byte through the view, 1.4% of an import).
        let raw = csv.string(index)
        let decoded = csv.bytes(index).contains(UInt8(ascii: "&")) ? PostText.decodingEntities(raw) : raw
        return try text(decoded, line: csv.span.line, field: field)
    }

    private static func checkLength(_ length: Int, line: Int, field: String) throws(RowProblem) {
        guard length <= maximumTextBytes else {
            throw RowProblem(line: line, field: field, message: "a text of \(length) bytes is over the \(maximumTextBytes)-byte limit")
        }
    }

    /// The handle as an id: non-empty and short enough for the indexes.
    static func handle(_ handle: String, line: Int, field: String) throws(RowProblem) -> String {
        guard !handle.isEmpty, handle.utf8.count <= 100 else {
            throw RowProblem(line: line, field: field, message: handle.isEmpty ? "empty" : "longer than 100 bytes")
        }
        return handle
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace || f == "\u{FEFF}" { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
