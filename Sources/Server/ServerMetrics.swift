import Foundation
import Synchronization

/// The few figures `/metrics` shows, in the Prometheus text format, kept by hand: a counter per
/// status, per command outcome, and histograms of request latency, commit time and batch size.
final class ServerMetrics: Sendable {
    struct Histogram {
        let bounds: [Double]
        var counts: [Int]
        var sum = 0.0
        var total = 0

        init(bounds: [Double]) {
            self.bounds = bounds
            counts = Array(repeating: 0, count: bounds.count)
        }

        mutating func observe(_ value: Double) {
            for index in bounds.indices where value <= bounds[index] { counts[index] += 1 }
            sum += value
            total += 1
        }

        func render(_ name: String, into out: inout String) {
            for (bound, count) in zip(bounds, counts) { out += "\(name)_bucket{le=\"\(bound)\"} \(count)\n" }
            out += "\(name)_bucket{le=\"+Inf\"} \(total)\n\(name)_sum \(sum)\n\(name)_count \(total)\n"
        }
    }

    private struct Figures {
        var responses: [Int: Int] = [:]
        var latency = Histogram(bounds: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1])
        var commit = Histogram(bounds: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1])
        var batch = Histogram(bounds: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048])
        var accepted = 0
        var rejected = 0
        var replayed = 0
        var events = 0
    }

    private let figures = Mutex(Figures())

    func answered(status: Int, seconds: Double) {
        figures.withLock {
            $0.responses[status, default: 0] += 1
            $0.latency.observe(seconds)
        }
    }

    func committed(commands: Int, events: Int, seconds: Double) {
        figures.withLock {
            $0.commit.observe(seconds)
            $0.batch.observe(Double(commands))
            $0.events += events
        }
    }

    func judged(_ results: [Result<CommandAnswer, any Error>]) {
        var accepted = 0, rejected = 0, replayed = 0
        for result in results {
            switch result {
            case .success(.replayed): replayed += 1
            case .success: accepted += 1
            case .failure: rejected += 1
            }
        }
        figures.withLock {
            $0.accepted += accepted
            $0.rejected += rejected
            $0.replayed += replayed
        }
    }

    /// The Prometheus text exposition (version 0.0.4).
    func render(head: UInt64, liveStreams: Int) -> String {
        let f = figures.withLock { $0 }
        var out = "# HELP smcc_http_responses_total HTTP responses by status code.\n# TYPE smcc_http_responses_total counter\n"
        for (status, count) in f.responses.sorted(by: { $0.key < $1.key }) {
            out += "smcc_http_responses_total{status=\"\(status)\"} \(count)\n"
        }
        out += "# HELP smcc_http_request_duration_seconds Time from request to response.\n# TYPE smcc_http_request_duration_seconds histogram\n"
        f.latency.render("smcc_http_request_duration_seconds", into: &out)
        out += "# HELP smcc_commands_total Desk commands by outcome.\n# TYPE smcc_commands_total counter\n"
        out += "smcc_commands_total{outcome=\"accepted\"} \(f.accepted)\n"
        out += "smcc_commands_total{outcome=\"rejected\"} \(f.rejected)\n"
        out += "smcc_commands_total{outcome=\"replayed\"} \(f.replayed)\n"
        out += "# HELP smcc_events_appended_total Events appended by this server.\n# TYPE smcc_events_appended_total counter\nsmcc_events_appended_total \(f.events)\n"
        out += "# HELP smcc_commit_duration_seconds Judging and durably appending one group commit.\n# TYPE smcc_commit_duration_seconds histogram\n"
        f.commit.render("smcc_commit_duration_seconds", into: &out)
        out += "# HELP smcc_commit_commands Commands per group commit.\n# TYPE smcc_commit_commands histogram\n"
        f.batch.render("smcc_commit_commands", into: &out)
        out += "# HELP smcc_log_head_seq The last sequence number of the log.\n# TYPE smcc_log_head_seq gauge\nsmcc_log_head_seq \(head)\n"
        out += "# HELP smcc_live_streams Open live event streams.\n# TYPE smcc_live_streams gauge\nsmcc_live_streams \(liveStreams)\n"
        return out
    }
}
