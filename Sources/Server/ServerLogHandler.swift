import Logging

/// The server's log handler: `StreamLogHandler`'s lines on standard error, with the metadata
/// formatted when a line is written, not whenever it changes. Hummingbird gives every request's
/// logger a request id, and the stream handler formats all of its metadata on each change: the
/// profile of `Tools/bench-serve.sh` showed that at a twelfth of a command's CPU, for lines that a
/// server logging at `warning` almost never writes.
struct ServerLogHandler: LogHandler {
    private var stream: StreamLogHandler
    var metadata: Logger.Metadata = [:]

    init(label: String) {
        stream = StreamLogHandler.standardError(label: label)
    }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var stream = self.stream
        stream.metadata = metadata
        stream.log(event: event)
    }
}
