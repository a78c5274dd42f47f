/// Text as the platforms deliver it, made plain: HTML entities decoded (Twitter's `&amp;`),
/// Mastodon's HTML turned into lines, and hashtags and mentions found in the text when the
/// platform gave no entities.
enum PostText {
    /// Decodes the HTML character references (`&amp;`, `&#39;`, `&#x1F600;`, the common named
    /// ones); anything that is not a reference is left as written.
    static func decodingEntities(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(12).firstIndex(of: ";"), let decoded = reference(after[..<semi]) {
                out += decoded
                rest = after[after.index(after: semi)...]
            } else {
                out += "&"
                rest = after
            }
        }
        out += rest
        return out
    }

    private static let named: [Substring: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
        "hellip": "…", "mdash": "—", "ndash": "–", "rsquo": "’", "lsquo": "‘", "rdquo": "”", "ldquo": "“",
    ]

    private static func reference(_ name: Substring) -> String? {
        if name.first == "#" {
            let digits = name.dropFirst()
            let value: UInt32?
            if digits.first == "x" || digits.first == "X" {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
        return named[name]
    }

    /// Mastodon's status HTML as plain text: `<br>` ends a line, a paragraph ends with a blank
    /// line, other tags are dropped (a link keeps its visible text), entities are decoded.
    static func plainText(fromHTML html: String) -> String {
        var out = ""
        out.reserveCapacity(html.utf8.count)
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: ">") else {
                out += rest[open...]
                rest = rest[rest.endIndex...]
                break
            }
            let tag = rest[rest.index(after: open)..<close].lowercased()
            let name = tag.prefix { $0 != " " && $0 != "/" && $0 != "\t" }
            if name == "br" || tag.hasPrefix("br/") || tag.hasPrefix("br ") {
                out += "\n"
            } else if tag == "/p" {
                out += "\n\n"
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        while out.hasSuffix("\n") { out.removeLast() }
        return decodingEntities(out)
    }

    /// The hashtags of `text` (`#` then letters, digits, marks or `_`, not all digits, not right
    /// after a letter or digit), lowercased, without `#`, each once, in order of appearance.
    static func hashtags(in text: String) -> [String] {
        hashtagsAndMentions(in: text).hashtags
    }

    /// The accounts `@mentioned` in `text`, each once, in order of appearance.
    static func mentions(in text: String) -> [String] {
        hashtagsAndMentions(in: text).mentions
    }

    /// ``hashtags(in:)`` and ``mentions(in:)`` in one walk over the text: an import asks for both
    /// of every post, and the `Character` walk of a text that is not ASCII was an eighth of an
    /// archive import's instructions (callgrind of `smcc import`). One walk finds what two would:
    /// neither marker is a word character, so a word after one never hides the other.
    static func hashtagsAndMentions(in text: String) -> (hashtags: [String], mentions: [String]) {
        let (tags, accounts) = words(after: "#", and: "@", in: text)
        return (tags.filter { !$0.allSatisfy(\.isNumber) }.map { $0.lowercased() }.uniqued(), accounts.uniqued())
    }

    /// The words after `first` and after `second` (each not right after a letter, digit or `_`).
    static func words(after first: Character, and second: Character, in text: String) -> ([String], [String]) {
        let firstByte = first.asciiValue!, secondByte = second.asciiValue!
        guard text.utf8.contains(where: { $0 == firstByte || $0 == secondByte }) else { return ([], []) }
        if let found = byteWords(after: firstByte, and: secondByte, in: text) { return found }
        var found: ([String], [String]) = ([], [])
        var previous: Character = " "
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if c == first || c == second, !(previous.isLetter || previous.isNumber || previous == "_") {
                var end = text.index(after: index)
                while end < text.endIndex, isWordCharacter(text[end]) { end = text.index(after: end) }
                let word = text[text.index(after: index)..<end]
                if !word.isEmpty {
                    if c == first { found.0.append(String(word)) } else { found.1.append(String(word)) }
                }
                previous = word.last ?? c
                index = end
                continue
            }
            previous = c
            index = text.index(after: index)
        }
        return found
    }

    /// The same as the `Character` walk, over bytes, for the text whose markers and words stand
    /// among ASCII: there each byte of a marker or a word is a `Character` of its own, so the
    /// bytes answer as the `Character`s would. Most posts are ASCII, or ASCII around their tags
    /// with an emoji elsewhere, and the `Character` walk of a text that was not all ASCII was
    /// most of an archive import's text work (`perf` of `Tools/bench-import.sh`).
    ///
    /// `nil` when a marker or the end of its word touches a non-ASCII byte: a scalar there could
    /// join the marker or the word's last letter into one `Character` (a combining mark, a
    /// keycap, a prepended sign) or go on with the word (`é`). The `Character` walk answers then.
    private static func byteWords(after first: UInt8, and second: UInt8, in text: String) -> ([String], [String])? {
        var found: ([String], [String]) = ([], [])
        let bytes = Array(text.utf8)
        func isWord(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
        }
        func isASCII(at position: Int) -> Bool { position < 0 || position >= bytes.count || bytes[position] < 0x80 }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            guard b == first || b == second else {
                i += 1
                continue
            }
            // Only a non-ASCII scalar can join an ASCII byte to the one before (a prepended sign), so
            // with an ASCII byte before the marker, the marker starts a `Character`.
            guard isASCII(at: i - 1) else { return nil }
            if i > 0 {
                // That byte alone is the `Character` before the marker when the byte before it is
                // ASCII too; otherwise ask the `Character`s (it may end a cluster that began with a
                // prepended letter, whose properties are the cluster's).
                let previousIsWord = isASCII(at: i - 2)
                    ? isWord(bytes[i - 1])
                    : text[..<text.utf8.index(text.utf8.startIndex, offsetBy: i)].last.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false
                if previousIsWord {
                    i += 1
                    continue
                }
            }
            var end = i + 1
            while end < bytes.count, isWord(bytes[end]) { end += 1 }
            guard isASCII(at: end) else { return nil }
            if end > i + 1 {
                let word = String(decoding: bytes[(i + 1)..<end], as: UTF8.self)
                if b == first { found.0.append(word) } else { found.1.append(word) }
            }
            i = end
        }
        return found
    }

    private static func isWordCharacter(_ c: Character) -> Bool {
        c == "_" || c.isLetter || c.isNumber || c.unicodeScalars.allSatisfy { $0.properties.generalCategory == .nonspacingMark || $0.properties.generalCategory == .spacingMark }
    }

    /// The agent's sign-off at the end of a brand's tweet (`^JK`, `-Becky`, `*TJ`, on the last
    /// line or after a space), or `nil` when the tweet is unsigned.
    static func signOff(of text: String) -> String? {
        asciiSignOff(of: text) ?? signOffByCharacters(of: text)
    }

    /// ``signOff(of:)`` over the last bytes of the text when what it looks at is ASCII, where a byte
    /// is a `Character` and `isLetter`/`isWhitespace` keep their meaning. `.some(nil)` is "no
    /// sign-off"; `nil` is "not ASCII there: ask the `Character` walk". The walk cost a tenth of an
    /// archive import (`perf` of `Tools/bench-import.sh`), for brands' posts that are nearly all ASCII.
    static func asciiSignOff(of text: String) -> String?? {
        let window = 64
        let whole = text.utf8.count <= window
        let tail = Array(text.utf8.suffix(window))
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
        // The answer holds if the walk looked only at ASCII from `first` on and the byte before
        // cannot join `first` into one Character: only a non-ASCII scalar can (a prepended mark).
        func settled(from first: Int, _ answer: String?) -> String?? {
            if first > 0 { return tail[first - 1] < 0x80 ? .some(answer) : nil }
            return whole ? .some(answer) : nil
        }
        var end = tail.count
        while end > 0, isSpace(tail[end - 1]) { end -= 1 }
        guard end > 0 else { return settled(from: 0, nil) }
        guard tail[end - 1] < 0x80 else { return nil }
        var start = end
        while start > 0, isLetter(tail[start - 1]) { start -= 1 }
        guard start > 0 else { return settled(from: 0, nil) }
        let marker = tail[start - 1]
        guard marker < 0x80 else { return nil }
        let length = end - start
        guard (1...20).contains(length), [UInt8(ascii: "^"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "~")].contains(marker) else {
            return settled(from: start - 1, nil)
        }
        let name = String(decoding: tail[start..<end], as: UTF8.self)
        guard start > 1 else { return settled(from: 0, name) }
        let beforeMarker = tail[start - 2]
        guard beforeMarker < 0x80 else { return nil }
        return settled(from: start - 2, isSpace(beforeMarker) ? name : nil)
    }

    /// ``signOff(of:)`` over `Character`s, for any text.
    static func signOffByCharacters(of text: String) -> String? {
        var trimmed = Substring(text)
        while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
        let name = trimmed.reversed().prefix { $0.isLetter }
        guard (1...20).contains(name.count) else { return nil }
        let beforeName = trimmed.dropLast(name.count)
        guard let marker = beforeName.last, marker == "^" || marker == "-" || marker == "*" || marker == "~" else { return nil }
        let beforeMarker = beforeName.dropLast()
        guard beforeMarker.isEmpty || beforeMarker.last!.isWhitespace else { return nil }
        return String(name.reversed())
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        // A post names a handful of hashtags and accounts: compared pairwise, without the set
        // (1.6% of an archive import) that a long list still gets.
        if count <= 1 { return self }
        if count <= 16 {
            var kept: [Element] = []
            kept.reserveCapacity(count)
            for element in self where !kept.contains(element) { kept.append(element) }
            return kept
        }
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
