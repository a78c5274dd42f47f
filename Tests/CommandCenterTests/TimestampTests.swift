import CommandCenter
import Testing

struct TimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (1_435_032_589_000, "2015-06-23T04:09:49.000Z"),
        (1_349_186_587_123, "2012-10-02T14:03:07.123Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
        (4_107_542_399_001, "2100-02-28T23:59:59.001Z"),
    ])
    func formatsAndParses(milliseconds: Int64, text: String) {
        #expect(Timestamp(milliseconds: milliseconds).rfc3339 == text)
        #expect(Timestamp(rfc3339: text) == Timestamp(milliseconds: milliseconds))
    }

    @Test(arguments: [
        ("2015-06-23T04:09:49Z", Int64(1_435_032_589_000)),
        ("2015-06-23t04:09:49z", 1_435_032_589_000),
        ("2015-06-23T06:09:49+02:00", 1_435_032_589_000),
        ("2015-06-22T23:39:49-04:30", 1_435_032_589_000),
        ("2015-06-23T04:09:49-00:00", 1_435_032_589_000),
        ("2015-06-23T04:09:49.5Z", 1_435_032_589_500),
        ("2015-06-23T04:09:49.12Z", 1_435_032_589_120),
        ("2015-06-23T04:09:49.123999999Z", 1_435_032_589_123),
        ("2015-06-23T04:09:49.1239999999999Z", 1_435_032_589_123),
        ("1970-01-01T00:00:00.000+00:01", -60_000),
        ("0000-01-01T00:00:00Z", -62_167_219_200_000),
    ])
    func parsesAnyRFC3339(text: String, milliseconds: Int64) {
        #expect(Timestamp(rfc3339: text)?.milliseconds == milliseconds)
    }

    @Test(arguments: [
        "", "yesterday", "2015-06-23", "2015-06-23T04:09:49", "2015-06-23 04:09:49Z",
        "2015-06-23T04:09:49.Z", "2015-06-23T04:09:49.000", "2015-13-01T00:00:00Z",
        "2015-00-01T00:00:00Z", "2015-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2015-04-31T00:00:00Z",
        "2015-06-23T24:00:00Z", "2015-06-23T23:60:00Z", "2015-06-23T23:59:60Z",
        "2015-06-23T04:09:49+0200", "2015-06-23T04:09:49+24:00", "2015-06-23T04:09:49+02:60",
        "2015-06-23T04:09:49Zjunk", "+2015-06-23T04:09:49Z", "15-06-23T04:09:49Z", "2015-6-23T04:09:49Z",
        "２０15-06-23T04:09:49Z", "2015-06-23T04:09:49.000ZZ", "2015-06-23T04:09:49 Z",
    ])
    func refusesNonRFC3339(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test func leapYearsAndEveryDayRoundTrip() {
        // Every day boundary from 1969 to 2401 and a few ms inside each day.
        var ms: Int64 = -86_400_000 * 400
        while ms < 13_600_000_000_000 {
            let t = Timestamp(milliseconds: ms + 12_345_678)
            #expect(Timestamp(rfc3339: t.rfc3339) == t)
            ms += 86_400_000
        }
        #expect(Timestamp(rfc3339: "2000-02-29T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2400-02-29T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2100-02-29T00:00:00Z") == nil)
    }

    @Test func ordersByTime() {
        #expect(Timestamp(milliseconds: -5) < Timestamp(milliseconds: 3))
        #expect(Timestamp(milliseconds: 3).description == "1970-01-01T00:00:00.003Z")
    }
}
