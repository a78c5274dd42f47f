/// What `smcc stats --by` groups the duration metrics by.
///
/// `channel`, `hour`, `day` and `hashtag` are properties of the post (hour and day of its
/// `postedAt`, UTC). `role`, `volunteer` and `team` are those of the person whose action ended
/// the interval, as they were at that moment: the first responder (first response), the assignee
/// (time to assign), the resolver (time to resolve), the one who resolved the escalation.
public enum GroupingKey: String, CaseIterable, Hashable, Sendable {
    case channel, role, volunteer, team, hour, day, hashtag

    /// The group of an interval that has not ended, under `role`, `volunteer` and `team`.
    public static let unanswered = "unanswered"
    /// The `role` group of an actor the roster knew no role for.
    public static let unknownRole = "unknown"
    /// The `team` group of an actor in no team.
    public static let noTeam = "none"
}
