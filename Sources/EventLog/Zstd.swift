import CZstd
import Foundation

/// zstd contexts and dictionaries for the chunk codec of `Schemas/log-format.md` §3: magicless
/// frames with a content checksum and neither content size nor dictionary id in the frame header
/// (the chunk header carries both), which saves ~10 bytes a frame.

@inline(__always)
private func zstdFailed(_ code: Int) -> Bool { ZSTD_isError(code) != 0 }

private func zstdMessage(_ code: Int) -> String { String(cString: ZSTD_getErrorName(code)) }

/// A digested dictionary, ready for both directions (`ZSTD_createCDict` / `ZSTD_createDDict` once).
final class ZstdDictionary: @unchecked Sendable {
    // Immutable after init; zstd documents CDict/DDict as read-only and shareable across threads.
    let id: UInt32
    let bytes: [UInt8]
    private let cdict: OpaquePointer
    private let ddict: OpaquePointer

    init(id: UInt32, bytes: [UInt8], level: Int32) throws(LogError) {
        let made = bytes.withUnsafeBytes { raw -> (OpaquePointer?, OpaquePointer?) in
            (ZSTD_createCDict(raw.baseAddress, raw.count, level), ZSTD_createDDict(raw.baseAddress, raw.count))
        }
        guard let cdict = made.0, let ddict = made.1 else {
            if let c = made.0 { ZSTD_freeCDict(c) }
            if let d = made.1 { ZSTD_freeDDict(d) }
            throw LogError(.corrupt, "zstd dictionary \(id) cannot be loaded")
        }
        self.id = id
        self.bytes = bytes
        self.cdict = cdict
        self.ddict = ddict
    }

    deinit {
        ZSTD_freeCDict(cdict)
        ZSTD_freeDDict(ddict)
    }

    fileprivate var compressionDictionary: OpaquePointer { cdict }
    fileprivate var decompressionDictionary: OpaquePointer { ddict }

    /// Trains a dictionary of at most `capacity` bytes on `samples`; `nil` when zstd finds too little
    /// to learn from (too few or too uniform samples), which only means "try again later".
    ///
    /// Implementation details: `ZDICT_trainFromBuffer_fastCover` with the parameters
    /// `ZDICT_trainFromBuffer` uses (d 8, f 20, accel 1) and one of the segment sizes it searches
    /// (k 1511), trained once instead of searched over five: 6–7× faster. The search stalled an
    /// import's appends for half a second at its first training (`perf` of `smcc import`); the
    /// log of a simulated conference and of 300,000 TWCS rows came out 0.8% and 1.8% smaller
    /// with k 1511 than with the search's dictionaries (k 50 and 1998 were 4–40% larger).
    static func train(samples: [[UInt8]], capacity: Int) -> [UInt8]? {
        guard samples.count >= 16 else { return nil }
        var concatenated: [UInt8] = []
        concatenated.reserveCapacity(samples.reduce(0) { $0 + $1.count })
        var sizes: [Int] = []
        sizes.reserveCapacity(samples.count)
        for sample in samples where !sample.isEmpty {
            concatenated.append(contentsOf: sample)
            sizes.append(sample.count)
        }
        var dictionary = [UInt8](repeating: 0, count: capacity)
        let produced = dictionary.withUnsafeMutableBytes { dict in
            concatenated.withUnsafeBytes { data in
                sizes.withUnsafeBufferPointer { sizePointer in
                    ZDICT_trainFromBuffer_fastCover(dict.baseAddress, dict.count, data.baseAddress, sizePointer.baseAddress, UInt32(sizePointer.count), trainingParameters)
                }
            }
        }
        guard ZDICT_isError(produced) == 0, produced > 0 else { return nil }
        dictionary.removeSubrange(produced...)
        return dictionary
    }

    private static var trainingParameters: ZDICT_fastCover_params_t {
        var parameters = ZDICT_fastCover_params_t()
        parameters.k = 1511
        parameters.d = 8
        parameters.f = 20
        parameters.accel = 1
        return parameters
    }
}

/// A compression context, reused across chunks. Not thread-safe: one per writer.
final class ZstdCompressor {
    private let context: OpaquePointer
    private var output: [UInt8] = []

    init(level: Int32) throws(LogError) {
        guard let context = ZSTD_createCCtx() else { throw LogError(.storage, "ZSTD_createCCtx failed") }
        self.context = context
        let settings: [(ZSTD_cParameter, Int32)] = [
            (ZSTD_c_compressionLevel, level),
            (ZSTD_c_checksumFlag, 1),
            (ZSTD_c_contentSizeFlag, 0),
            (ZSTD_c_dictIDFlag, 0),
            // ZSTD_c_format: Swift cannot see the macro alias.
            (ZSTD_c_experimentalParam2, Int32(ZSTD_f_zstd1_magicless.rawValue)),
            // ZSTD_c_forceAttachDict: never copy the dictionary's tables into the context. A chunk
            // is ~1.6 KB; copying a 64 KB dictionary's tables per frame cost more than compressing.
            (ZSTD_c_experimentalParam4, Int32(ZSTD_dictForceAttach.rawValue)),
        ]
        for (parameter, value) in settings {
            let rc = ZSTD_CCtx_setParameter(context, parameter, value)
            if zstdFailed(rc) {
                ZSTD_freeCCtx(context)
                throw LogError(.storage, "ZSTD_CCtx_setParameter: \(zstdMessage(rc))")
            }
        }
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Compresses `input` as one frame, appending it to `destination`.
    ///
    /// Implementation details: `ZSTD_CCtx_refCDict` + `ZSTD_compress2` (`ZSTD_compress_usingCDict`
    /// would ignore the frame parameters set on the context).
    func compress(_ input: [UInt8], dictionary: ZstdDictionary?, appendingTo destination: inout [UInt8]) throws(LogError) {
        let refCode = ZSTD_CCtx_refCDict(context, dictionary?.compressionDictionary)
        if zstdFailed(refCode) { throw LogError(.storage, "ZSTD_CCtx_refCDict: \(zstdMessage(refCode))") }
        let bound = ZSTD_compressBound(input.count)
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        let written = output.withUnsafeMutableBytes { out in
            input.withUnsafeBytes { source in
                ZSTD_compress2(context, out.baseAddress, out.count, source.baseAddress, source.count)
            }
        }
        if zstdFailed(written) { throw LogError(.storage, "ZSTD_compress2: \(zstdMessage(written))") }
        destination.append(contentsOf: output[0..<written])
    }
}

/// zstd compression contexts for concurrent sealing: a context is not thread-safe, so each task
/// borrows one for its whole slice and gives it back; the pool never holds more than ran at once.
final class CompressorPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [ZstdCompressor]
    private let level: Int32

    init(level: Int32) throws(LogError) {
        self.level = level
        idle = [try ZstdCompressor(level: level)]
    }

    func withCompressor<T>(_ body: (ZstdCompressor) throws(LogError) -> T) throws(LogError) -> T {
        lock.lock()
        let borrowed = idle.popLast()
        lock.unlock()
        let compressor: ZstdCompressor
        if let borrowed { compressor = borrowed } else { compressor = try ZstdCompressor(level: level) }
        defer {
            lock.lock()
            idle.append(compressor)
            lock.unlock()
        }
        return try body(compressor)
    }
}

/// A decompression context, reused across chunks. Not thread-safe: one per reader.
final class ZstdDecompressor {
    private let context: OpaquePointer

    init() throws(LogError) {
        guard let context = ZSTD_createDCtx() else { throw LogError(.storage, "ZSTD_createDCtx failed") }
        self.context = context
        // ZSTD_d_format: Swift cannot see the macro alias.
        let rc = ZSTD_DCtx_setParameter(context, ZSTD_d_experimentalParam1, Int32(ZSTD_f_zstd1_magicless.rawValue))
        if zstdFailed(rc) {
            ZSTD_freeDCtx(context)
            throw LogError(.storage, "ZSTD_DCtx_setParameter: \(zstdMessage(rc))")
        }
    }

    deinit { ZSTD_freeDCtx(context) }

    /// Decompresses one frame into `output`, which must come out exactly `expectedLength` long: the
    /// length is the decompressed-size limit, so a damaged frame can never make us allocate more.
    /// Returns `nil` with the reason when the frame is damaged (bad checksum, wrong length, garbage).
    ///
    /// Implementation details: `ZSTD_DCtx_refDDict` + `ZSTD_decompressDCtx`.
    func decompress(
        _ frame: UnsafeRawBufferPointer,
        dictionary: ZstdDictionary?,
        expectedLength: Int,
        into output: inout [UInt8]
    ) -> String? {
        let refCode = ZSTD_DCtx_refDDict(context, dictionary?.decompressionDictionary)
        if zstdFailed(refCode) { return "ZSTD_DCtx_refDDict: \(zstdMessage(refCode))" }
        // One spare byte: a frame that would decompress to more than announced fails visibly.
        let capacity = expectedLength + 1
        if output.count < capacity { output = [UInt8](repeating: 0, count: max(capacity, output.count * 2)) }
        let produced = output.withUnsafeMutableBytes { out in
            ZSTD_decompressDCtx(context, out.baseAddress, capacity, frame.baseAddress, frame.count)
        }
        if zstdFailed(produced) { return "zstd: \(zstdMessage(produced))" }
        if produced != expectedLength { return "decompressed to \(produced) bytes, the header says \(expectedLength)" }
        return nil
    }
}
