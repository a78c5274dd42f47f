// # CommandCenter
//
// The domain of `smcc`: the event catalogue and its codecs (`Catalogue/`, `Codec/` — the storage
// form of `Schemas/log-format.md` §6, each event's personal fields apart so they can be erased —
// and `Interchange/`, the NDJSON form of §7); the live desk (`Desk/`: state, rules, commands);
// the projections and their replay from the log, with snapshots (`Projections/`, `Replay/`,
// `Snapshot/`); the audit trail (`Audit/`); erasure (`Store/Erasure`); and the simulated conference
// (`Simulation/`). The module is pure Swift: no C, no unsafe pointers, and no Foundation in its
// public API. It reaches the log only through `EventStore` (`Store/`), which maps events to
// records and records to events; `RecordedHistoryCheck` holds the consistency rules of imported
// history.

/// The identity of the payload encoding this module reads and writes.
///
/// The event layer records it in the log's `meta` database under ``metaKey`` so that a future
/// encoding can be told apart from this one (`Schemas/log-format.md` §2).
public enum EventFormat {
    /// The value stored under ``metaKey``: ASCII `smcc-event 2` (`smcc-event 1`: the same
    /// payloads with the personal fields inside, in logs of format `smcc-log 1`).
    public static let identifier = "smcc-event 2"
    static let legacyIdentifier = "smcc-event 1"
    /// The `meta` key the event layer owns: `app:eventFormat`.
    public static let metaKey = "app:eventFormat"
}
