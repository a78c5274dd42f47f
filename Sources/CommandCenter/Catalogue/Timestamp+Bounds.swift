/// The times a log accepts, so that one bad clock cannot bend every figure after it: an archive
/// row dated 9999 would make every later live event 9999 (time never goes back in a log), and a
/// post dated year 1 would make a mean first response of 2,000 years.
extension Timestamp {
    /// How far ahead of this machine's clock an event may be dated: other machines' clocks drift.
    public static let maximumSkewMilliseconds: Int64 = 5 * 60 * 1000
    /// How long before it reached the desk a post may have been posted: a post older than a year
    /// is not a live post to answer, and its reaction time would swamp the statistics.
    public static let maximumPostAgeMilliseconds: Int64 = 366 * 24 * 3600 * 1000

    /// Why `self`, the time of an event about to be appended, is later than `now` allows, or `nil`.
    public func tooFarAhead(of now: Timestamp = .now) -> String? {
        guard milliseconds > now.milliseconds + Self.maximumSkewMilliseconds else { return nil }
        return "\(rfc3339) is in the future (now is \(now.rfc3339), allowing \(Self.maximumSkewMilliseconds / 60_000) minutes of clock skew)"
    }

    /// Why a post dated `self` cannot have been received at `received`, or `nil`.
    public func implausiblePostTime(receivedAt received: Timestamp) -> String? {
        if milliseconds > received.milliseconds + Self.maximumSkewMilliseconds {
            return "postedAt \(rfc3339) is after the post was received (\(received.rfc3339))"
        }
        if milliseconds < received.milliseconds - Self.maximumPostAgeMilliseconds {
            return "postedAt \(rfc3339) is more than a year before the post was received (\(received.rfc3339))"
        }
        return nil
    }
}
