/// The chunk framing of `Schemas/log-format.md` §3: up to 16 consecutive records per LMDB value,
/// compressed as one zstd frame.
///
/// Why chunks and not one frame per record: measured on this machine (STORAGE-NOTES.md and
/// `smcc bench`), a per-record frame costs ~58–62 bytes plus ~20 bytes of B-tree overhead per
/// record, over the 60-byte budget; 16 records per frame share the frame and B-tree overhead and
/// give zstd more context, at ~45 bytes per event, and decompress faster per record. The price is
/// that the last, unsealed chunk is rewritten by each append until it holds 16 records.
enum ChunkFormat {
    static let version: UInt8 = 1
    static let recordsPerChunk = 16
    static let maximumPayload = 65_536
    static let maximumBody = 2_097_152

    enum Codec: UInt8 {
        case zstd = 1
        case zstdWithDictionary = 2
    }
}

/// Records gathered for one chunk before it is written: the tail being extended, or a new chunk.
struct PendingChunk {
    var firstSeq: UInt64
    var times: [Int64] = []
    var payloads: [[UInt8]] = []
    var tags: [UInt8] = []
    /// True for the chunk that already exists in the log (it is rewritten, not appended).
    var isStored: Bool

    var count: Int { payloads.count }
    var isFull: Bool { payloads.count >= ChunkFormat.recordsPerChunk }

    /// The uncompressed body: count, first time, time deltas, payload lengths, tags, payloads.
    func body() -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(payloads.reduce(8 + 5 * payloads.count) { $0 + $1.count })
        Varint.append(UInt64(count), to: &body)
        Varint.append(UInt64(times[0]), to: &body)
        for index in 1..<max(1, count) {
            Varint.append(UInt64(times[index] - times[index - 1]), to: &body)
        }
        for payload in payloads { Varint.append(UInt64(payload.count), to: &body) }
        body.append(contentsOf: tags)
        for payload in payloads { body.append(contentsOf: payload) }
        return body
    }
}

/// The parsed header of a stored chunk value.
struct ChunkHeader {
    var codec: ChunkFormat.Codec
    var dictionaryId: UInt32?
    var bodyLength: Int
    /// Where the zstd frame starts in the value.
    var frameOffset: Int

    /// Parses the header, or returns the reason it is not a chunk of this format.
    static func parse<Bytes: RandomAccessCollection<UInt8>>(_ value: Bytes) -> Result<ChunkHeader, ChunkDamage> where Bytes.Index == Int {
        guard value.count >= 3 else { return .failure(ChunkDamage("chunk of \(value.count) bytes is too short")) }
        var index = value.startIndex
        guard value[index] == ChunkFormat.version else {
            return .failure(ChunkDamage("chunk format \(value[index]) is not \(ChunkFormat.version)"))
        }
        index += 1
        guard let codec = ChunkFormat.Codec(rawValue: value[index]) else {
            return .failure(ChunkDamage("unknown codec \(value[index])"))
        }
        index += 1
        var dictionaryId: UInt32?
        if codec == .zstdWithDictionary {
            guard let id = Varint.read(value, at: &index), id > 0, id <= UInt64(UInt32.max) else {
                return .failure(ChunkDamage("bad dictionary id"))
            }
            dictionaryId = UInt32(id)
        }
        guard let length = Varint.read(value, at: &index), length > 0, length <= UInt64(ChunkFormat.maximumBody) else {
            return .failure(ChunkDamage("bad body length"))
        }
        return .success(ChunkHeader(codec: codec, dictionaryId: dictionaryId, bodyLength: Int(length), frameOffset: index - value.startIndex))
    }
}

/// Why a stored chunk cannot be read.
struct ChunkDamage: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// The layout of a decompressed body: where each record's time, tag and payload are. Reused across
/// chunks so a scan allocates nothing per chunk.
struct ChunkBody {
    var count = 0
    var times = [Int64](repeating: 0, count: ChunkFormat.recordsPerChunk)
    var tags = [UInt8](repeating: 0, count: ChunkFormat.recordsPerChunk)
    var payloadStarts = [Int](repeating: 0, count: ChunkFormat.recordsPerChunk + 1)

    /// Parses `body` (the first `length` bytes of a decompression buffer).
    mutating func parse(_ body: ArraySlice<UInt8>) -> ChunkDamage? {
        var index = body.startIndex
        guard let n = Varint.read(body, at: &index), n >= 1, n <= UInt64(ChunkFormat.recordsPerChunk) else {
            return ChunkDamage("bad record count")
        }
        count = Int(n)
        guard let first = Varint.read(body, at: &index), first <= UInt64(Int64.max) else { return ChunkDamage("bad first time") }
        times[0] = Int64(first)
        for record in 1..<count {
            guard let delta = Varint.read(body, at: &index), delta <= UInt64(Int64.max) - UInt64(times[record - 1]) else {
                return ChunkDamage("bad time delta")
            }
            times[record] = times[record - 1] + Int64(delta)
        }
        var lengths = 0
        for record in 0..<count {
            guard let length = Varint.read(body, at: &index), length <= UInt64(ChunkFormat.maximumPayload) else {
                return ChunkDamage("bad payload length")
            }
            payloadStarts[record + 1] = Int(length)
            lengths += Int(length)
        }
        guard body.endIndex - index == count + lengths else {
            return ChunkDamage("body of \(body.count) bytes does not match its record lengths")
        }
        for record in 0..<count {
            tags[record] = body[index]
            index += 1
        }
        payloadStarts[0] = index
        for record in 0..<count {
            payloadStarts[record + 1] += payloadStarts[record]
        }
        return nil
    }

    func payload(_ record: Int, in body: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        body[payloadStarts[record]..<payloadStarts[record + 1]]
    }
}
