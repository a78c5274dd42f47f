import CommandCenter
import Foundation
import Testing

/// ``Percentiles/linear(sorted:_:)`` against numpy's `np.percentile` (default method), bit for bit.
struct StatsPercentileTests {
    static let arrays: [[Double]] = [
        [42],
        [1, 2],
        [0, 70, 995],
        [3, 1, 2, 10],
        [0.001, 0.002, 1e6, 7.5, 7.5, 7.5, 12.25, 0, 3600, 86_400.5],
        (0..<1000).map { Double(($0 * 7919) % 1009) / 8 },
        (0..<37).map { Double($0 * $0) * 0.1 },
    ]
    static let qs: [Double] = [50, 90, 99, 0, 100, 25, 33.3]

    /// What numpy 2.4.6 printed for these arrays once, used when python3 or numpy is missing:
    /// `np.percentile([0, 70, 995], [50, 90, 99])` and `np.percentile([3, 1, 2, 10], [50, 90, 99])`.
    static let recorded: [([Double], [Double])] = [
        ([0, 70, 995], [70, 810, 976.5]),
        ([3, 1, 2, 10], [2.5, 7.900000000000001, 9.79]),
    ]

    static func numpy(_ arrays: [[Double]], _ qs: [Double]) -> [[Double]]? {
        let script = """
        import json, sys, numpy as np
        data = json.load(sys.stdin)
        print(json.dumps([[repr(float(v)) for v in np.percentile(np.array(a, dtype=float), data["q"])] for a in data["arrays"]]))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let payload = try! JSONSerialization.data(withJSONObject: ["arrays": arrays, "q": qs])
        input.fileHandleForWriting.write(payload)
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let rows = try? JSONSerialization.jsonObject(with: data) as? [[String]]
        else { return nil }
        return rows.map { $0.map { Double($0)! } }
    }

    @Test func matchesRecordedNumpy() {
        for (values, expected) in Self.recorded {
            let sorted = values.sorted()
            let got = [0.5, 0.9, 0.99].map { Percentiles.linear(sorted: sorted, $0)! }
            #expect(got == expected)
        }
    }

    @Test func matchesLiveNumpy() throws {
        guard let expected = Self.numpy(Self.arrays, Self.qs) else {
            print("python3 with numpy not available: only the recorded outputs were checked")
            return
        }
        for (values, row) in zip(Self.arrays, expected) {
            let sorted = values.sorted()
            for (q, want) in zip(Self.qs, row) {
                #expect(Percentiles.linear(sorted: sorted, q / 100) == want, "q=\(q) n=\(values.count)")
            }
        }
    }

    @Test func emptyIsNil() {
        #expect(Percentiles.linear(sorted: [], 0.5) == nil)
    }
}
