import Foundation

extension Timestamp {
    /// The current time, to the millisecond: the `at` of a live command.
    public static var now: Timestamp { Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))) }
}
