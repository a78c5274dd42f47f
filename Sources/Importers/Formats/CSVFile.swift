import EventLog

/// A CSV file (RFC 4180 and what spreadsheets and pandas write) read row by row from 1 MiB
/// blocks: quoted fields may hold commas, doubled quotes and newlines; lines may end in `\r\n`;
/// a UTF-8 byte-order mark is ignored. Memory is bounded by the block and the longest row.
///
/// Hand-written over bytes because the importer's throughput is this loop: no `String` is made
/// until a caller asks for a field, and a field without doubled quotes is one slice.
final class CSVFile {
    /// Where a row's bytes are, to read it again (in time order) after a first pass.
    struct Span {
        var offset: Int
        var length: Int
        var line: Int
    }

    struct Field {
        var start: Int
        var end: Int
        var escaped: Bool
    }

    struct Problem: Error {
        var line: Int
        var message: String
    }

    static let blockSize = 1 << 20
    static let maximumRowBytes = 1 << 20
    /// The most and the least read past a row that follows the buffer (see ``reread(_:)``).
    static let maximumReadAhead = 64 << 10
    static let minimumReadAhead = 4 << 10

    let path: String
    private let file: ReadOnlyFile
    private var buffer: [UInt8] = []
    /// The file offset of `buffer[0]`.
    private var bufferOffset = 0
    private var position = 0
    private var atEndOfFile = false
    private var nextLine = 1
    private(set) var fields: [Field] = []
    /// The current row.
    private(set) var span = Span(offset: 0, length: 0, line: 0)
    /// What ``reread(_:)`` reads past a row that follows the buffer, halved each time that did
    /// not serve a second row, doubled each time it did.
    private var readAhead = CSVFile.maximumReadAhead
    /// Whether the buffer was read ahead, and how many rows it has served.
    private var bufferReadAhead = false
    private var rowsFromBuffer = 0

    init(path: String) throws {
        do {
            file = try ReadOnlyFile(path: path)
        } catch {
            throw ImportError("\(path): cannot be read (\(error.reason))")
        }
        self.path = path
    }

    /// Moves to the next row; `false` at the end of the file. Blank lines are skipped.
    func next() throws -> Bool {
        while true {
            if position >= buffer.count, atEndOfFile { return false }
            switch Self.scanRow(buffer, from: position, limit: buffer.count, atEnd: atEndOfFile, fields: &fields) {
            case .needMore:
                try readMore()
            case .unterminated:
                throw Problem(line: nextLine, message: "a quoted field is not closed before the end of the file (a truncated last row?)")
            case .badQuote(let field, let newlines):
                throw Problem(line: nextLine + newlines, message: "column \(field + 1): characters after the closing quote of a quoted field")
            case .row(let end, let next, let newlines):
                span = Span(offset: bufferOffset + position, length: next - position, line: nextLine)
                nextLine += newlines + 1
                let blank = end == position
                position = next
                if blank { continue }
                if span.offset == 0 { skipByteOrderMark() }
                return true
            }
        }
    }

    /// Reads the row at `span` again (after ``next()`` read past it): its fields are ``fields``.
    ///
    /// Rows in time order are often far apart in the file (TWCS interleaves conversations), so a
    /// row outside the buffer is read alone; only a row just past the buffer (the file read in
    /// order) reads ahead, and only as far as reading ahead has been paying: on the 300k-row
    /// benchmark file a fixed 64 KiB read ahead saved under 1% of the reads and read 14× the
    /// bytes of the rows (2 KiB per row; 4 KiB read ahead at most: 0.3 KiB). Reading a 1 MiB
    /// block per row made the import 20× slower.
    func reread(_ span: Span) throws {
        let bufferEnd = bufferOffset + buffer.count
        if span.offset < bufferOffset || span.offset + span.length > bufferEnd {
            if bufferReadAhead {
                readAhead = rowsFromBuffer > 1 ? min(readAhead * 2, Self.maximumReadAhead) : max(readAhead / 2, Self.minimumReadAhead)
            }
            let sequential = span.offset >= bufferEnd && span.offset - bufferEnd < 4096
            buffer.removeAll(keepingCapacity: true)
            bufferOffset = span.offset
            bufferReadAhead = sequential
            rowsFromBuffer = 0
            try read(at: span.offset, count: sequential ? max(readAhead, span.length) : span.length)
        }
        rowsFromBuffer += 1
        let start = span.offset - bufferOffset
        guard case .row = Self.scanRow(buffer, from: start, limit: start + span.length, atEnd: true, fields: &fields) else {
            throw ImportError("\(path):\(span.line): the row changed since it was first read")
        }
        self.span = span
        if span.offset == 0 { skipByteOrderMark() }
    }

    var count: Int { fields.count }

    /// The bytes of field `i`, quotes removed (doubled quotes still doubled: see ``string(_:)``).
    func bytes(_ i: Int) -> ArraySlice<UInt8> {
        buffer[fields[i].start..<fields[i].end]
    }

    func isEmpty(_ i: Int) -> Bool { fields[i].start == fields[i].end }

    /// The first field of the current row holding a NUL byte or invalid UTF-8, with why: such a
    /// row is refused (or skipped) like any other bad row, as the NDJSON reader does, rather than
    /// repaired into a text the archive never had.
    func firstUnreadableField() -> (index: Int, reason: String)? {
        for (index, field) in fields.enumerated() {
            var ascii = true
            for byte in buffer[field.start..<field.end] {
                if byte == 0 { return (index, "a NUL byte in the field") }
                if byte >= 0x80 { ascii = false }
            }
            if !ascii, String(validating: buffer[field.start..<field.end], as: UTF8.self) == nil {
                return (index, "invalid UTF-8 in the field (is the file in another encoding? convert it with iconv)")
            }
        }
        return nil
    }

    /// Field `i` as text, doubled quotes made single.
    func string(_ i: Int) -> String {
        let field = fields[i]
        guard field.escaped else { return String(decoding: buffer[field.start..<field.end], as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(field.end - field.start)
        var j = field.start
        while j < field.end {
            out.append(buffer[j])
            j += buffer[j] == UInt8(ascii: "\"") ? 2 : 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func skipByteOrderMark() {
        guard let first = fields.first, first.end - first.start >= 3,
              buffer[first.start] == 0xEF, buffer[first.start + 1] == 0xBB, buffer[first.start + 2] == 0xBF
        else { return }
        fields[0].start += 3
    }

    private func readMore() throws {
        if position > 0 {
            buffer.removeSubrange(0..<position)
            bufferOffset += position
            position = 0
        }
        guard buffer.count <= Self.maximumRowBytes else {
            throw Problem(line: nextLine, message: "a row is longer than \(Self.maximumRowBytes) bytes (an unclosed quote?)")
        }
        if try read(at: bufferOffset + buffer.count, count: Self.blockSize) == 0 { atEndOfFile = true }
    }

    /// Appends the file's bytes from `offset` to the buffer; how many (0 at the end of the file).
    @discardableResult
    private func read(at offset: Int, count: Int) throws -> Int {
        do {
            return try file.read(at: offset, count: count, appendingTo: &buffer)
        } catch {
            throw ImportError("\(path): read failed: \(error.reason)")
        }
    }

    enum Scan {
        case row(end: Int, next: Int, newlines: Int)
        case needMore
        case unterminated
        case badQuote(field: Int, newlines: Int)
    }

    /// Splits the row starting at `start` into `fields`. `end` is where its content ends (before
    /// the line break), `next` where the next row starts, `newlines` how many line breaks its
    /// quoted fields hold.
    static func scanRow(_ b: [UInt8], from start: Int, limit: Int, atEnd: Bool, fields: inout [Field]) -> Scan {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        fields.removeAll(keepingCapacity: true)
        var i = start
        var newlines = 0
        while true {
            if i < limit, b[i] == quote {
                i += 1
                let fieldStart = i
                var escaped = false
                while true {
                    while i < limit, b[i] != quote {
                        if b[i] == newline { newlines += 1 }
                        i += 1
                    }
                    if i >= limit { return atEnd ? .unterminated : .needMore }
                    if i + 1 < limit {
                        if b[i + 1] == quote {
                            escaped = true
                            i += 2
                            continue
                        }
                    } else if !atEnd {
                        return .needMore
                    }
                    break
                }
                fields.append(Field(start: fieldStart, end: i, escaped: escaped))
                i += 1
                if i >= limit { return atEnd ? .row(end: i, next: i, newlines: newlines) : .needMore }
                switch b[i] {
                case comma:
                    i += 1
                    continue
                case newline:
                    return .row(end: i, next: i + 1, newlines: newlines)
                case carriageReturn:
                    if i + 1 < limit, b[i + 1] == newline { return .row(end: i, next: i + 2, newlines: newlines) }
                    if i + 1 >= limit { return atEnd ? .row(end: i, next: i + 1, newlines: newlines) : .needMore }
                    return .badQuote(field: fields.count - 1, newlines: newlines)
                default:
                    return .badQuote(field: fields.count - 1, newlines: newlines)
                }
            }
            let fieldStart = i
            while i < limit {
                let c = b[i]
                if c == comma || c == newline { break }
                i += 1
            }
            if i >= limit {
                guard atEnd else { return .needMore }
                var fieldEnd = i
                if fieldEnd > fieldStart, b[fieldEnd - 1] == carriageReturn { fieldEnd -= 1 }
                fields.append(Field(start: fieldStart, end: fieldEnd, escaped: false))
                return .row(end: fieldEnd, next: i, newlines: newlines)
            }
            if b[i] == comma {
                fields.append(Field(start: fieldStart, end: i, escaped: false))
                i += 1
                continue
            }
            var fieldEnd = i
            if fieldEnd > fieldStart, b[fieldEnd - 1] == carriageReturn { fieldEnd -= 1 }
            fields.append(Field(start: fieldStart, end: fieldEnd, escaped: false))
            return .row(end: fieldEnd, next: i + 1, newlines: newlines)
        }
    }
}
