// # CommandCenter
//
// The domain of `smcc`. For now it owns the **event catalogue** and its two codecs:
//
// - `Event`, `EventBody` and one struct per kind (`PostReceived`, `Replied`, …), with the enums
//   they use (`Channel`, `Role`, `Outcome`, `Priority`) and `Timestamp`;
// - `EventCodec`: the storage form, the payload bytes of one record (`Schemas/log-format.md` §6),
//   with `EventCodec.peek` as the allocation-free fast path for projections;
// - `InterchangeJSON` and `NDJSONEventReader`: the interchange form (§7) that `smcc export` writes
//   and `smcc import --format ndjson` reads, strict on input and byte-exact on output.
//
// Commands (validated against current state), projections and replay come later, on top of these.
// The module is pure Swift: no C, no unsafe pointers, and no Foundation in its public API. It
// reaches the log only through `EventStore` (Store/), which maps events to records and records to
// events; `RecordedHistoryCheck` holds the consistency rules of imported history.

/// The identity of the payload encoding this module reads and writes.
///
/// The event layer records it in the log's `meta` database under ``metaKey`` so that a future
/// encoding can be told apart from this one (`Schemas/log-format.md` §2).
public enum EventFormat {
    /// The value stored under ``metaKey``: ASCII `smcc-event 1`.
    public static let identifier = "smcc-event 1"
    /// The `meta` key the event layer owns: `app:eventFormat`.
    public static let metaKey = "app:eventFormat"
}
