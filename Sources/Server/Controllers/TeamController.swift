import CommandCenter
import Hummingbird

/// `/v1/volunteers`, `/v1/listening-rules`: who is on the desk, in which role and shift, and what
/// the listening picks up.
struct TeamController {
    let commands: CommandRunner

    var endpoints: RouteCollection<DeskRequestContext> {
        let routes = RouteCollection(context: DeskRequestContext.self)
        routes.post("/v1/volunteers") { request, context in
            try await commands.run(request, context, fields: ["volunteer", "name", "role", "team"]) { body throws(Problem) in
                .joinVolunteer(volunteer: try body.string("volunteer", .volunteerID), name: try body.string("name", .name),
                               role: try body.choice("role", Role.self), team: try body.optionalString("team", .team))
            }
        }
        routes.post("/v1/volunteers/:volunteer/leave") { request, context in
            try await commands.run(request, context, fields: []) { _ throws(Problem) in
                .leaveVolunteer(volunteer: try RequestInput.parameter(context, "volunteer"))
            }
        }
        routes.post("/v1/volunteers/:volunteer/role") { request, context in
            try await commands.run(request, context, fields: ["role"]) { body throws(Problem) in
                .changeRole(volunteer: try RequestInput.parameter(context, "volunteer"), to: try body.choice("role", Role.self))
            }
        }
        routes.post("/v1/volunteers/:volunteer/shift/start") { request, context in
            try await commands.run(request, context, fields: []) { _ throws(Problem) in
                .startShift(volunteer: try RequestInput.parameter(context, "volunteer"))
            }
        }
        routes.post("/v1/volunteers/:volunteer/shift/end") { request, context in
            try await commands.run(request, context, fields: []) { _ throws(Problem) in
                .endShift(volunteer: try RequestInput.parameter(context, "volunteer"))
            }
        }
        routes.post("/v1/listening-rules") { request, context in
            try await commands.run(request, context, fields: ["rule"]) { body throws(Problem) in .addListeningRule(try body.string("rule", .rule)) }
        }
        routes.post("/v1/listening-rules/remove") { request, context in
            try await commands.run(request, context, fields: ["rule"]) { body throws(Problem) in .removeListeningRule(try body.string("rule", .rule)) }
        }
        return routes
    }
}
