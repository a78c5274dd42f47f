import Crypto

/// Snapshots: opaque state that a layer above derived from the records up to some sequence number
/// (whole, or as a change against an earlier snapshot: the log does not look inside), kept beside
/// the log so that a question about seq `s` need not replay from the start.
///
/// The log treats a snapshot as a cache. It is stored in the named database `snap` under
/// `name ‖ 0x00 ‖ BE64(seq)`, compressed with zstd, together with the chain checkpoint `H(seq)`
/// the snapshot was taken against and an HMAC-SHA256 of all that (the compressed frame, checked
/// before it is decompressed) under a key of this log
/// (`meta/snapshotKey`, random, made with the first snapshot); `seq` must be a multiple of the
/// checkpoint interval (1,024), so every snapshot is tied to a hash the chain already stores. A
/// snapshot whose hash no longer matches the chain, whose MAC fails (bytes changed, or moved in
/// from another log), or whose frame is damaged is skipped as if absent: the caller replays
/// instead. The MAC stops a changed byte or a transplanted snapshot; someone who can also read
/// the key can forge one, which is why `smcc verify` rebuilds every snapshot from the events and
/// compares, and why state that authorizes (the desk a server judges commands on) is never
/// loaded from one. Deleting them loses nothing but time.
extension EventLog {
    /// The sequence numbers a snapshot may be taken at are the multiples of this.
    public static let snapshotAlignment = HashChain.checkpointInterval

    /// A snapshot as stored: the sequence number of the last record it covers, and its bytes.
    public struct Snapshot: Sendable {
        /// The last sequence number whose record the snapshot includes.
        public var seq: UInt64
        /// The layer above's bytes, as given to ``saveSnapshot(_:seq:bytes:)``.
        public var bytes: [UInt8]

        public init(seq: UInt64, bytes: [UInt8]) {
            self.seq = seq
            self.bytes = bytes
        }
    }

    /// Stores `bytes` as snapshot `name` at `seq`, replacing one already there.
    ///
    /// - Throws: `.invalidRecord` when `seq` is not a multiple of ``snapshotAlignment`` or lies
    ///   past the head; `.readOnly` on a log opened read-only.
    public func saveSnapshot(_ name: String, seq: UInt64, bytes: [UInt8]) throws(LogError) {
        try saveSnapshots([Snapshot(seq: seq, bytes: bytes)], name: name)
    }

    /// Stores several snapshots `name` in one transaction (one sync instead of one each), all or
    /// none; each replaces one already at its seq.
    ///
    /// - Throws: as ``saveSnapshot(_:seq:bytes:)``, for the first snapshot that is refused.
    public func saveSnapshots(_ batch: [Snapshot], name: String) throws(LogError) {
        guard !batch.isEmpty else { return }
        for snapshot in batch where snapshot.seq == 0 || snapshot.seq % Self.snapshotAlignment != 0 {
            throw LogError(.invalidRecord, "snapshot \(name): seq \(snapshot.seq) is not a multiple of \(Self.snapshotAlignment)")
        }
        guard let snapshots = self.snapshots, !isReadOnly else { throw LogError(.readOnly, "\(path) is open read-only") }
        let compressor = try ZstdCompressor(level: Self.snapshotCompressionLevel)
        let chain = self.chain
        try environment.write { txn throws(LogError) in
            let key = try self.snapshotKey(txn, creating: true)!
            let head = try self.readHead(txn)?.seq ?? 0
            for snapshot in batch {
                guard snapshot.seq <= head else {
                    throw LogError(.invalidRecord, "snapshot \(name): seq \(snapshot.seq) is past the head of the log")
                }
                guard let checkpoint = try txn.get(chain, BigEndian.bytes(snapshot.seq)) else {
                    throw LogError(.corrupt, "the chain has no checkpoint at \(snapshot.seq)", seq: snapshot.seq)
                }
                let length = BigEndian.bytes(UInt64(snapshot.bytes.count))
                var frame: [UInt8] = []
                try compressor.compress(snapshot.bytes, dictionary: nil, appendingTo: &frame)
                let mac = frame.withUnsafeBytes {
                    Self.snapshotMAC(key: key, name: name, seq: snapshot.seq, checkpoint: checkpoint[...], length: length, frame: $0)
                }
                try txn.put(snapshots, Self.snapshotKey(name, snapshot.seq), length + checkpoint + mac + frame)
            }
        }
    }

    /// Every usable snapshot `name` at or before `seq`, in ascending order of seq.
    ///
    /// Snapshots that fail their checks (chain hash, checksum, length) are left out: the layer
    /// above sees a gap, exactly as if they had never been stored.
    public func snapshots(_ name: String, through seq: UInt64) throws(LogError) -> [Snapshot] {
        guard let snapshots = self.snapshots, seq >= Self.snapshotAlignment else { return [] }
        let chain = self.chain
        let prefix = Array(name.utf8) + [0]
        let decompressor = try ZstdDecompressor()
        return try environment.read { txn throws(LogError) -> [Snapshot] in
            guard let macKey = try self.snapshotKey(txn, creating: false) else { return [] }
            return try txn.withCursor(snapshots) { cursor throws(LogError) -> [Snapshot] in
                var found: [Snapshot] = []
                var entry = try cursor.move(.atOrAfter(prefix))
                while let (key, value) = entry, key.count == prefix.count + 8, key.starts(with: prefix) {
                    let at = BigEndian.uint64(key[prefix.count...]) ?? 0
                    guard at <= seq else { break }
                    // Authenticated before it is decompressed: a changed frame never reaches zstd,
                    // and the MAC hashes the compressed bytes, a fraction of the state.
                    if value.count > 72,
                       let checkpoint = try txn.get(chain, BigEndian.bytes(at)),
                       checkpoint.elementsEqual(value[8..<40]),
                       Self.snapshotMAC(key: macKey, name: name, seq: at, checkpoint: checkpoint[...], length: Array(value[0..<8]),
                                        frame: UnsafeRawBufferPointer(rebasing: value[72...])).elementsEqual(value[40..<72]),
                       let bytes = Self.openSnapshot(value, decompressor: decompressor) {
                        found.append(Snapshot(seq: at, bytes: bytes))
                    }
                    entry = try cursor.move(.next)
                }
                return found
            }
        }
    }

    /// The sequence numbers at which snapshot `name` exists, ascending.
    public func snapshotSequences(_ name: String) throws(LogError) -> [UInt64] {
        guard let snapshots = self.snapshots else { return [] }
        let prefix = Array(name.utf8) + [0]
        return try environment.read { txn throws(LogError) -> [UInt64] in
            try txn.withCursor(snapshots) { cursor throws(LogError) -> [UInt64] in
                var found: [UInt64] = []
                var entry = try cursor.move(.atOrAfter(prefix))
                while let (key, _) = entry, key.count == prefix.count + 8, key.starts(with: prefix) {
                    found.append(BigEndian.uint64(key[prefix.count...]) ?? 0)
                    entry = try cursor.move(.next)
                }
                return found
            }
        }
    }

    /// The names under which snapshots are stored, each once, ascending.
    public func snapshotNames() throws(LogError) -> [String] {
        guard let snapshots = self.snapshots else { return [] }
        return try environment.read { txn throws(LogError) -> [String] in
            try txn.withCursor(snapshots) { cursor throws(LogError) -> [String] in
                var names: [String] = []
                var entry = try cursor.move(.first)
                while let (key, _) = entry {
                    // `name ‖ 0x00 ‖ BE64(seq)`: the next name starts after every `name ‖ 0x00 ‖ …`.
                    guard key.count > 9 else { break }
                    let name = Array(key[..<(key.count - 9)])
                    names.append(String(decoding: name, as: UTF8.self))
                    entry = try cursor.move(.atOrAfter(name + [1]))
                }
                return names
            }
        }
    }

    /// Deletes every snapshot stored under one of `names`, in one transaction; returns how many.
    @discardableResult
    public func dropSnapshots(named names: [String]) throws(LogError) -> Int {
        guard let snapshots = self.snapshots, !names.isEmpty else { return 0 }
        guard !isReadOnly else { throw LogError(.readOnly, "\(path) is open read-only") }
        return try environment.write { txn throws(LogError) -> Int in
            var keys: [[UInt8]] = []
            try txn.withCursor(snapshots) { cursor throws(LogError) in
                for name in names {
                    let prefix = Array(name.utf8) + [0]
                    var entry = try cursor.move(.atOrAfter(prefix))
                    while let (key, _) = entry, key.count == prefix.count + 8, key.starts(with: prefix) {
                        keys.append(Array(key))
                        entry = try cursor.move(.next)
                    }
                }
            }
            for key in keys { try txn.delete(snapshots, key) }
            return keys.count
        }
    }

    /// Deletes every snapshot (all names) in one transaction; returns how many there were.
    public func dropSnapshots() throws(LogError) -> Int {
        guard let snapshots = self.snapshots, !isReadOnly else { throw LogError(.readOnly, "\(path) is open read-only") }
        return try environment.write { txn throws(LogError) -> Int in
            let count = try txn.statistics(snapshots).entries
            try txn.empty(snapshots)
            return count
        }
    }

    // Fast enough to run at every snapshot of a first replay; level 3 gained 10% size for 3× time.
    static let snapshotCompressionLevel: Int32 = 1

    static func snapshotKey(_ name: String, _ seq: UInt64) -> [UInt8] {
        Array(name.utf8) + [0] + BigEndian.bytes(seq)
    }

    /// The log's snapshot key (`meta/snapshotKey`, 32 random bytes), made when `creating` and absent.
    private func snapshotKey(_ txn: any Transaction, creating: Bool) throws(LogError) -> [UInt8]? {
        let name = Array("snapshotKey".utf8)
        if let key = try txn.get(meta, name), key.count == 32 { return key }
        guard creating else { return nil }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try txn.put(meta, name, key)
        return key
    }

    /// HMAC-SHA256 under the log's key of
    /// `BE64(length of name) ‖ name ‖ BE64(seq) ‖ H(seq) ‖ BE64(n) ‖ frame`, `n` being the length
    /// of the snapshot's bytes and `frame` their zstd frame as stored.
    static func snapshotMAC(key: [UInt8], name: String, seq: UInt64, checkpoint: ArraySlice<UInt8>, length: [UInt8],
                            frame: UnsafeRawBufferPointer) -> [UInt8] {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: key))
        let nameBytes = Array(name.utf8)
        mac.update(data: BigEndian.bytes(UInt64(nameBytes.count)) + nameBytes + BigEndian.bytes(seq) + Array(checkpoint) + length)
        mac.update(data: frame)
        return Array(mac.finalize())
    }

    /// The bytes of a stored value: BE64 length ‖ 32-byte chain hash ‖ 32-byte MAC ‖ zstd frame;
    /// `nil` if damaged.
    private static func openSnapshot(_ value: UnsafeRawBufferPointer, decompressor: ZstdDecompressor) -> [UInt8]? {
        guard value.count > 72, let length = BigEndian.uint64(value[0..<8]), length < UInt64(Int.max / 2) else { return nil }
        var output: [UInt8] = []
        let frame = UnsafeRawBufferPointer(rebasing: value[72...])
        guard decompressor.decompress(frame, dictionary: nil, expectedLength: Int(length), into: &output) == nil else { return nil }
        output.removeSubrange(Int(length)...)
        return output
    }
}
