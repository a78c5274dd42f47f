import Foundation
import Testing

/// `smcc bench --json` runs and reports positive figures (speeds are never asserted beyond > 0).
struct BenchTests {
    @Test func benchPrintsPositiveFigures() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let result = try runSmcc(["bench", "--events", "3000", "--runs", "1", "--json"], in: scratch)
        try #require(result.exited(0), "\(result)")
        let object = try JSONSerialization.jsonObject(with: result.stdoutData)
        let figures = try #require(object as? [String: Any], "bench --json did not print an object: \(result.stdout)")
        #expect((figures["events"] as? NSNumber)?.intValue == 3000)
        for key in ["appendEventsPerSecond", "storeFloorEventsPerSecond", "appendRatioToStoreFloor", "rawScanEventsPerSecond", "scanDecodeFieldsEventsPerSecond", "eventsBytesPerEvent"] {
            let value = (figures[key] as? NSNumber)?.doubleValue
            #expect(value.map { $0 > 0 && $0.isFinite } == true, "\(key) = \(String(describing: figures[key]))")
        }
    }
}
