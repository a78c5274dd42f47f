#if canImport(Glibc)
import CSystemRandom
import Glibc
#endif

/// The chunk framing of `Schemas/log-format.md` §3: up to 16 consecutive records per LMDB value,
/// compressed as one zstd frame.
///
/// Why chunks and not one frame per record: measured on this machine (STORAGE-NOTES.md and
/// `smcc bench`), a per-record frame costs ~58–62 bytes plus ~20 bytes of B-tree overhead per
/// record, over the 60-byte budget; 16 records per frame share the frame and B-tree overhead and
/// give zstd more context, at ~45 bytes per event, and decompress faster per record. The price is
/// that the last, unsealed chunk is rewritten by each append until it holds 16 records.
///
/// Format 2 gives each record an optional *personal part* beside its payload: bytes the layer above
/// may have to erase (a person's texts and handle). The chain covers a salted commitment to them
/// (§4), so erasing them — replacing the bytes and their salt by the commitment — leaves every
/// hash of the chain as it was.
enum ChunkFormat {
    static let version: UInt8 = 2
    /// Chunks of `smcc-log 1`, read only to upgrade such a log.
    static let legacyVersion: UInt8 = 1
    static let recordsPerChunk = 16
    static let maximumPayload = 65_536
    static let maximumBody = 2_097_152
    static let seedLength = 16
    static let saltLength = 16
    static let commitmentLength = 32

    /// The bytes of a chunk value before its zstd frame (§3): format, codec, dictionary id,
    /// `bodyLength`.
    static func header(bodyLength: Int, dictionary: ZstdDictionary?) -> [UInt8] {
        var value: [UInt8] = [version]
        if let dictionary {
            value.append(Codec.zstdWithDictionary.rawValue)
            Varint.append(UInt64(dictionary.id), to: &value)
        } else {
            value.append(Codec.zstd.rawValue)
        }
        Varint.append(UInt64(bodyLength), to: &value)
        return value
    }

    enum Codec: UInt8 {
        case zstd = 1
        case zstdWithDictionary = 2
    }
}

/// What a chunk keeps of a record's personal part (format 2, §3).
enum StoredPersonal: Equatable {
    /// The record has none.
    case none
    /// The bytes; the salt is derived from the chunk's seed and the record's seq.
    case seeded([UInt8])
    /// The bytes and their own salt (a chunk whose seed was dropped by an erasure).
    case salted(salt: [UInt8], bytes: [UInt8])
    /// Erased: only the commitment the chain covers is left.
    case erased(commitment: [UInt8])

    var code: UInt8 {
        switch self {
        case .none: 0
        case .seeded: 1
        case .salted: 2
        case .erased: 3
        }
    }
}

/// The salts and commitments of §4: a record's personal part is committed to as
/// `SHA-256(salt ‖ bytes)`, with a 16-byte salt so that the commitment left after an erasure
/// cannot confirm a guessed text.
enum Commitment {
    /// The salt of record `seq` in a chunk whose seed is `seed`:
    /// the first 16 bytes of `SHA-256("smcc-salt" ‖ seed ‖ BE64(seq))`.
    static func salt(seed: some Collection<UInt8>, seq: UInt64) -> [UInt8] {
        var digest: Digest32 = (0, 0, 0, 0)
        saltDigest(seed: seed, seq: seq, into: &digest)
        return withUnsafeBytes(of: &digest) { Array($0.prefix(ChunkFormat.saltLength)) }
    }

    static func of(salt: some Collection<UInt8>, bytes: some Collection<UInt8>) -> [UInt8] {
        var hasher = ChainDigest()
        hasher.update(salt)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Appends `SHA-256(salt ‖ bytes)` to `commitments`, the salt derived from `seed` and `seq`,
    /// with no array made on the way: an append commits to every new record's personal part, and
    /// the two arrays per record of `salt` and `of` showed in its profile.
    static func appendSeeded(seed: [UInt8], seq: UInt64, bytes: [UInt8], to commitments: inout [UInt8]) {
        var salt: Digest32 = (0, 0, 0, 0)
        saltDigest(seed: seed, seq: seq, into: &salt)
        var hasher = ChainDigest()
        withUnsafeBytes(of: &salt) { hasher.update(UnsafeRawBufferPointer(rebasing: $0.prefix(ChunkFormat.saltLength))) }
        bytes.withUnsafeBytes { hasher.update($0) }
        var digest: Digest32 = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digest) { hasher.finalize(into: $0) }
        withUnsafeBytes(of: &digest) { commitments.append(contentsOf: $0) }
    }

    /// 32 bytes on the stack.
    private typealias Digest32 = (UInt64, UInt64, UInt64, UInt64)

    /// `SHA-256("smcc-salt" ‖ seed ‖ BE64(seq))`, whose first 16 bytes are the salt.
    private static func saltDigest(seed: some Collection<UInt8>, seq: UInt64, into digest: inout Digest32) {
        var hasher = ChainDigest()
        saltDomain.withUnsafeBytes { hasher.update($0) }
        hasher.update(seed)
        withUnsafeBytes(of: seq.bigEndian) { hasher.update($0) }
        withUnsafeMutableBytes(of: &digest) { hasher.finalize(into: $0) }
    }

    private static let saltDomain = Array("smcc-salt".utf8)

    /// `count` bytes from the system's CSPRNG (the kernel's `getrandom`), in as few calls as it
    /// allows: a call per byte, then per eight bytes, was the largest single cost of an append.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        #if canImport(Glibc)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { getrandom($0.baseAddress! + filled, count - filled, 0) }
            if got > 0 {
                filled += got
            } else if errno != EINTR {
                break
            }
        }
        guard filled < count else { return bytes }
        #endif
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        return bytes
    }
}

/// Records gathered for one chunk before it is written: the tail being extended, or a new chunk.
struct PendingChunk {
    var firstSeq: UInt64
    var times: [Int64] = []
    var payloads: [[UInt8]] = []
    var tags: [UInt8] = []
    var personal: [StoredPersonal] = []
    /// The seed of the `.seeded` records' salts: random, made with the chunk.
    var seed: [UInt8]
    /// True for the chunk that already exists in the log (it is rewritten, not appended).
    var isStored: Bool

    init(firstSeq: UInt64, isStored: Bool, seed: [UInt8] = Commitment.randomBytes(ChunkFormat.seedLength)) {
        self.firstSeq = firstSeq
        self.isStored = isStored
        self.seed = seed
    }

    var count: Int { payloads.count }

    mutating func reserveCapacity(_ records: Int) {
        times.reserveCapacity(records)
        payloads.reserveCapacity(records)
        tags.reserveCapacity(records)
        personal.reserveCapacity(records)
    }

    /// The commitment the chain covers for record `index`, `nil` when it has no personal part.
    func commitment(_ index: Int) -> [UInt8]? {
        var commitment: [UInt8] = []
        return appendCommitment(index, to: &commitment) ? commitment : nil
    }

    /// Appends the commitment the chain covers for record `index` to `commitments`; false, and
    /// nothing appended, when it has no personal part.
    func appendCommitment(_ index: Int, to commitments: inout [UInt8]) -> Bool {
        switch personal[index] {
        case .none: return false
        case .seeded(let bytes): Commitment.appendSeeded(seed: seed, seq: firstSeq + UInt64(index), bytes: bytes, to: &commitments)
        case .salted(let salt, let bytes): commitments.append(contentsOf: Commitment.of(salt: salt, bytes: bytes))
        case .erased(let commitment): commitments.append(contentsOf: commitment)
        }
        return true
    }

    /// The uncompressed body (§3, format 2): count, times, payload lengths, tags, personal states,
    /// the seed when a record uses it, personal lengths, explicit salts, commitments, payloads,
    /// personal bytes.
    func body() -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(payloads.reduce(64 + 6 * payloads.count) { $0 + $1.count })
        Varint.append(UInt64(count), to: &body)
        Varint.append(UInt64(times[0]), to: &body)
        for index in 1..<max(1, count) {
            Varint.append(UInt64(times[index] - times[index - 1]), to: &body)
        }
        for payload in payloads { Varint.append(UInt64(payload.count), to: &body) }
        body.append(contentsOf: tags)
        body.append(contentsOf: personal.map(\.code))
        if personal.contains(where: { if case .seeded = $0 { true } else { false } }) { body.append(contentsOf: seed) }
        for part in personal {
            switch part {
            case .seeded(let bytes), .salted(_, let bytes): Varint.append(UInt64(bytes.count), to: &body)
            default: break
            }
        }
        for case .salted(let salt, _) in personal { body.append(contentsOf: salt) }
        for case .erased(let commitment) in personal { body.append(contentsOf: commitment) }
        for payload in payloads { body.append(contentsOf: payload) }
        for part in personal {
            switch part {
            case .seeded(let bytes), .salted(_, let bytes): body.append(contentsOf: bytes)
            default: break
            }
        }
        return body
    }
}

/// The parsed header of a stored chunk value.
struct ChunkHeader {
    var version: UInt8
    var codec: ChunkFormat.Codec
    var dictionaryId: UInt32?
    var bodyLength: Int
    /// Where the zstd frame starts in the value.
    var frameOffset: Int

    /// Parses the header, or returns the reason it is not a chunk of this format (`legacy`: of
    /// format 1, which only an upgrade reads).
    static func parse<Bytes: RandomAccessCollection<UInt8>>(_ value: Bytes, legacy: Bool = false) -> Result<ChunkHeader, ChunkDamage> where Bytes.Index == Int {
        guard value.count >= 3 else { return .failure(ChunkDamage("chunk of \(value.count) bytes is too short")) }
        var index = value.startIndex
        let expected = legacy ? ChunkFormat.legacyVersion : ChunkFormat.version
        guard value[index] == expected else {
            return .failure(ChunkDamage("chunk format \(value[index]) is not \(expected)"))
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
        return .success(ChunkHeader(version: expected, codec: codec, dictionaryId: dictionaryId, bodyLength: Int(length), frameOffset: index - value.startIndex))
    }
}

/// Why a stored chunk cannot be read.
struct ChunkDamage: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// The layout of a decompressed body: where each record's time, tag, payload and personal part
/// are. Reused across chunks so a scan allocates nothing per chunk.
struct ChunkBody {
    var count = 0
    var times = [Int64](repeating: 0, count: ChunkFormat.recordsPerChunk)
    var tags = [UInt8](repeating: 0, count: ChunkFormat.recordsPerChunk)
    var payloadStarts = [Int](repeating: 0, count: ChunkFormat.recordsPerChunk + 1)
    /// Per record: its personal state code (0–3), and where its personal bytes, salt or commitment are.
    var states = [UInt8](repeating: 0, count: ChunkFormat.recordsPerChunk)
    var personalRanges = [Range<Int>](repeating: 0..<0, count: ChunkFormat.recordsPerChunk)
    var saltOrCommitment = [Range<Int>](repeating: 0..<0, count: ChunkFormat.recordsPerChunk)
    var seed: Range<Int>?

    /// Parses `body` (the first `length` bytes of a decompression buffer) of chunk format
    /// `version` (1: records without personal parts).
    mutating func parse(_ body: ArraySlice<UInt8>, version: UInt8 = ChunkFormat.version) -> ChunkDamage? {
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
        guard body.endIndex - index >= count else { return ChunkDamage("the body ends before its tags") }
        for record in 0..<count {
            tags[record] = body[index]
            index += 1
        }
        seed = nil
        var personalLengths = [Int](repeating: 0, count: count)
        var personalTotal = 0
        if version == ChunkFormat.legacyVersion {
            for record in 0..<count { states[record] = 0 }
        } else {
            guard body.endIndex - index >= count else { return ChunkDamage("the body ends before its personal states") }
            for record in 0..<count {
                guard body[index] <= 3 else { return ChunkDamage("personal state \(body[index]) is not 0–3") }
                states[record] = body[index]
                index += 1
            }
            if states[0..<count].contains(1) {
                guard body.endIndex - index >= ChunkFormat.seedLength else { return ChunkDamage("the body ends in its seed") }
                seed = index..<(index + ChunkFormat.seedLength)
                index += ChunkFormat.seedLength
            }
            for record in 0..<count where states[record] == 1 || states[record] == 2 {
                guard let length = Varint.read(body, at: &index), length <= UInt64(ChunkFormat.maximumPayload) else {
                    return ChunkDamage("bad personal length")
                }
                personalLengths[record] = Int(length)
                personalTotal += Int(length)
            }
            for state: UInt8 in [2, 3] {
                let width = state == 2 ? ChunkFormat.saltLength : ChunkFormat.commitmentLength
                for record in 0..<count where states[record] == state {
                    guard body.endIndex - index >= width else { return ChunkDamage("the body ends in a salt or commitment") }
                    saltOrCommitment[record] = index..<(index + width)
                    index += width
                }
            }
        }
        guard body.endIndex - index == lengths + personalTotal else {
            return ChunkDamage("body of \(body.count) bytes does not match its record lengths")
        }
        payloadStarts[0] = index
        for record in 0..<count {
            payloadStarts[record + 1] += payloadStarts[record]
        }
        var personalStart = payloadStarts[count]
        for record in 0..<count {
            personalRanges[record] = personalStart..<(personalStart + personalLengths[record])
            personalStart += personalLengths[record]
        }
        return nil
    }

    func payload(_ record: Int, in body: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        body[payloadStarts[record]..<payloadStarts[record + 1]]
    }

    /// The personal bytes of `record`, `nil` when it has none or they were erased.
    func personal(_ record: Int, in body: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        states[record] == 1 || states[record] == 2 ? body[personalRanges[record]] : nil
    }

    func isErased(_ record: Int) -> Bool { states[record] == 3 }

    /// The commitment the chain covers for `record` (the first record of the chunk has seq
    /// `firstSeq`), `nil` when it has no personal part.
    func commitment(_ record: Int, firstSeq: UInt64, in body: ArraySlice<UInt8>) -> [UInt8]? {
        switch states[record] {
        case 1: Commitment.of(salt: Commitment.salt(seed: body[seed!], seq: firstSeq + UInt64(record)), bytes: body[personalRanges[record]])
        case 2: Commitment.of(salt: body[saltOrCommitment[record]], bytes: body[personalRanges[record]])
        case 3: Array(body[saltOrCommitment[record]])
        default: nil
        }
    }

    /// Record `record` as a pending chunk keeps it (to extend the tail, or to rewrite it).
    func stored(_ record: Int, in body: ArraySlice<UInt8>) -> StoredPersonal {
        switch states[record] {
        case 1: .seeded(Array(body[personalRanges[record]]))
        case 2: .salted(salt: Array(body[saltOrCommitment[record]]), bytes: Array(body[personalRanges[record]]))
        case 3: .erased(commitment: Array(body[saltOrCommitment[record]]))
        default: .none
        }
    }
}
