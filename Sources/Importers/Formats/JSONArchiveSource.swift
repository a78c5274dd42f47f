import CommandCenter
import Foundation

/// The JSON archives: Twitter v1.1 statuses (`tweets`), Twitter v2 as twarc2 writes it
/// (`twarc`), Mastodon (`mastodon`). A file is either JSON Lines (its first line is a whole JSON
/// value: each line is one value, and a bad line is that line's problem) or one JSON document
/// (an array, a search result, a context), possibly pretty-printed.
///
/// The posts of a file are parsed whole and kept for the second pass: JSON archives are the size
/// of a capture (thousands to a few hundred thousand posts), not of a brand's years.
final class JSONArchiveSource: PostSource {
    static let maximumFileBytes = 1 << 30

    private let format: ImportFormat
    private let options: ImportOptions
    private var parsed: [String: [SourcePost]] = [:]

    init(format: ImportFormat, options: ImportOptions) {
        self.format = format
        self.options = options
    }

    func forEachPost(in file: String, index: Int32, _ body: (PostLocation, Result<SourcePost, RowProblem>) throws -> Void) throws {
        let bytes = try Self.read(file)
        var posts: [SourcePost] = []
        func emit(_ result: Result<SourcePost, RowProblem>, line: Int) throws {
            let location = PostLocation(file: index, line: Int32(line), offset: posts.count, length: 0)
            if case .success(let post) = result { posts.append(post) }
            try body(location, result)
        }
        func readValue(_ value: JSONValue, line: Int) throws {
            var mapper = JSONPostMapper(format: format, options: options, line: line)
            mapper.posts(in: value)
            for result in mapper.results { try emit(result, line: line) }
        }
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let firstLine = lines.firstIndex { !$0.allSatisfy(Self.isSpace) }
        guard let firstLine else { throw ImportError("\(file): the file is empty") }
        // A first line that is JSON by itself: one value per line. Kept, so it is parsed once.
        if let first = try? JSONParser.parse(lines[firstLine]) {
            try readValue(first, line: firstLine + 1)
            for (number, line) in lines.enumerated().dropFirst(firstLine + 1) where !line.allSatisfy(Self.isSpace) {
                let value: JSONValue
                do { value = try JSONParser.parse(line) } catch {
                    // A last line with no newline after it that is not JSON was most likely cut short.
                    let truncated = number == lines.count - 1 && bytes.last != UInt8(ascii: "\n")
                    try emit(.failure(RowProblem(line: number + 1, field: nil, message: error.message + (truncated ? " (a truncated last line?)" : ""))), line: number + 1)
                    continue
                }
                try readValue(value, line: number + 1)
            }
        } else {
            do {
                try readValue(try JSONParser.parse(bytes[...]), line: firstLine + 1)
            } catch let failure as JSONParser.Failure {
                let line = bytes[..<min(failure.offset, bytes.count)].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                let message = failure.message.replacingOccurrences(of: "at column \(failure.offset + 1)", with: "in the document")
                throw ImportError(InputError(file: file, line: line, message: message).description)
            }
        }
        parsed[file] = posts
    }

    func post(at location: PostLocation, in file: String) throws -> SourcePost {
        guard let posts = parsed[file], location.offset < posts.count else { throw ImportError("\(file): was not read in the first pass") }
        return posts[location.offset]
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }

    private static func read(_ file: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw ImportError("\(file): cannot be read (missing, or no permission)")
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.readToEnd() ?? Data() } catch {
            throw ImportError("\(file): read failed: \(error.localizedDescription)")
        }
        guard data.count <= maximumFileBytes else {
            throw ImportError("\(file): over \(maximumFileBytes >> 20) MiB; split it into JSON Lines files")
        }
        return [UInt8](data)
    }
}
