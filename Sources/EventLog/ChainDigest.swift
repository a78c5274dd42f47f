#if canImport(CLibCrypto)
import CLibCrypto
#else
import Crypto
#endif

/// SHA-256 for the hash chain and the commitments of personal parts: an append hashes every
/// record once for the chain and twice more for a personal part, so the per-hash cost counts.
///
/// Why not swift-crypto's `SHA256` here: each one allocates its context and copies it again to
/// finalize; `perf` of `smcc bench` put that overhead at ~2.4 ms of the sealing threads' ~15 ms
/// per batch of 10,000, beside ~2.2 ms for the hashing itself. On Linux this is OpenSSL's
/// `SHA256_Init/Update/Final` with the context on the stack (the same SHA-NI block function);
/// elsewhere it falls back to swift-crypto. The digests are the same SHA-256 either way.
struct ChainDigest {
    #if canImport(CLibCrypto)
    private var context = SHA256_CTX()

    init() { SHA256_Init(&context) }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        SHA256_Update(&context, base, bytes.count)
    }

    /// The 32-byte digest, written to the start of `digest` (which must hold 32 bytes).
    mutating func finalize(into digest: UnsafeMutableRawBufferPointer) {
        precondition(digest.count >= 32)
        SHA256_Final(digest.baseAddress!.assumingMemoryBound(to: UInt8.self), &context)
    }
    #else
    private var hasher = SHA256()

    init() {}

    mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }

    mutating func finalize(into digest: UnsafeMutableRawBufferPointer) {
        precondition(digest.count >= 32)
        hasher.finalize().withUnsafeBytes { digest.copyMemory(from: $0) }
    }
    #endif

    mutating func update(_ bytes: some Collection<UInt8>) {
        let hashed: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if hashed == nil { Array(bytes).withUnsafeBytes { update($0) } }
    }

    /// The digest as a new array.
    mutating func finalize() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { bytes, initialized in
            finalize(into: UnsafeMutableRawBufferPointer(bytes))
            initialized = 32
        }
    }
}
