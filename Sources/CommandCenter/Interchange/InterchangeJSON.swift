/// Writes the interchange form of events (`Schemas/log-format.md` §7): one JSON object per line,
/// byte for byte what Python's `json.dumps(obj, ensure_ascii=False, separators=(",", ":"))`
/// prints with the keys in spec order.
///
/// Hand-written rather than `JSONEncoder`: the key order is part of the contract, the escaping
/// must match Python exactly, and `smcc export` writes millions of lines.
public enum InterchangeJSON {
    /// Appends the line of `event` at sequence number `seq`, with its trailing `\n`.
    public static func write(_ event: Event, seq: UInt64, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: #"{"seq":"#.utf8)
        writeInteger(seq, into: &buffer)
        buffer.append(contentsOf: #","at":"#.utf8)
        writeTime(event.at, into: &buffer)
        buffer.append(contentsOf: #","actor":"#.utf8)
        writeString(event.actor, into: &buffer)
        buffer.append(contentsOf: #","kind":""#.utf8)
        buffer.append(contentsOf: event.kind.name.utf8)
        buffer.append(UInt8(ascii: "\""))
        if event.isErased {
            writeErasedFields(of: event, into: &buffer)
        } else {
            writeFields(of: event, into: &buffer)
        }
        buffer.append(contentsOf: "}\n".utf8)
    }

    /// An erased event: its fields without the personal ones (§7: they are left out), then
    /// `"erased":true`. Written as the event's fields, whose personal values an erased event has
    /// emptied, with those members taken out: inside a JSON string every `"` is escaped, so
    /// `,"text":""` can only be a member.
    static func writeErasedFields(of event: Event, into buffer: inout [UInt8]) {
        var fields: [UInt8] = []
        writeFields(of: PersonalFields.emptied(event), into: &fields)
        for name in PersonalFields.names(of: event.kind) {
            for empty in ["\"\"", "[]"] {
                let member = Array(",\"\(name)\":\(empty)".utf8)
                if let range = fields.firstRange(of: member) { fields.removeSubrange(range) }
            }
        }
        buffer.append(contentsOf: fields)
        buffer.append(contentsOf: #","erased":true"#.utf8)
    }

    /// The line of `event` at sequence number `seq`, without the trailing `\n`.
    public static func line(_ event: Event, seq: UInt64) -> String {
        var buffer: [UInt8] = []
        write(event, seq: seq, into: &buffer)
        buffer.removeLast()
        return String(decoding: buffer, as: UTF8.self)
    }

    static func writeInteger(_ value: UInt64, into buffer: inout [UInt8]) {
        // A UInt64 has at most 20 digits; find the largest power of ten not above it.
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    static func writeTime(_ time: Timestamp, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        time.appendRFC3339(to: &buffer)
        buffer.append(UInt8(ascii: "\""))
    }

    /// An enum value: its raw value needs no escaping.
    static func writeRaw(_ raw: String, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        buffer.append(contentsOf: raw.utf8)
        buffer.append(UInt8(ascii: "\""))
    }

    static func writeStrings(_ strings: [String], into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "["))
        for (i, string) in strings.enumerated() {
            if i > 0 { buffer.append(UInt8(ascii: ",")) }
            writeString(string, into: &buffer)
        }
        buffer.append(UInt8(ascii: "]"))
    }

    /// A JSON string escaped as Python's `json.dumps(..., ensure_ascii=False)` does: `"` and `\`
    /// with a backslash, `\b \t \n \f \r` by name, other bytes below 0x20 as `\u00xx` (lowercase
    /// hex), everything else (DEL, U+2028, emoji) as raw UTF-8.
    public static func writeString(_ string: String, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        let utf8 = string.utf8
        if !utf8.contains(where: needsEscape) {
            buffer.append(contentsOf: utf8)
        } else {
            for byte in utf8 {
                guard needsEscape(byte) else {
                    buffer.append(byte)
                    continue
                }
                buffer.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): buffer.append(byte)
                case 0x08: buffer.append(UInt8(ascii: "b"))
                case 0x09: buffer.append(UInt8(ascii: "t"))
                case 0x0A: buffer.append(UInt8(ascii: "n"))
                case 0x0C: buffer.append(UInt8(ascii: "f"))
                case 0x0D: buffer.append(UInt8(ascii: "r"))
                default:
                    buffer.append(contentsOf: "u00".utf8)
                    buffer.append(hexDigit(byte >> 4))
                    buffer.append(hexDigit(byte & 0x0F))
                }
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
