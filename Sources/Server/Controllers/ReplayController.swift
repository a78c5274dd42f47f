import CommandCenter
import Hummingbird

/// `GET /v1/replay`, `POST /v1/replay`: where a replay stands and its controls (pause, speed from
/// 1× to 600×, seek to an instant). For any reader, the wall's read-only tokens included: watching
/// the retrospective together is not acting on the desk. 404 on a live server.
struct ReplayController {
    let driver: ReplayDriver?
    let access: Access

    var endpoints: RouteCollection<DeskRequestContext> {
        let routes = RouteCollection(context: DeskRequestContext.self)
        routes.get("/v1/replay") { _, context in
            _ = try access.viewer(context)
            return JSONWriting.response(try DeskDocuments.encode(try replaying().status()))
        }
        routes.post("/v1/replay") { request, context in
            _ = try access.viewer(context)
            let driver = try replaying()
            var request = request
            let body = try JSONBody(try await RequestInput.body(&request), fields: ["speed", "paused", "seek"])
            let speed = try body.optionalNumber("speed", in: ReplayDriver.speeds)
            let paused = try body.optionalBool("paused")
            var seek: Timestamp?
            if let text = try body.optionalString("seek", TextLimit(characters: 1...64)) {
                guard let instant = Timestamp(rfc3339: text) else {
                    throw Problem.badRequest("invalidField", "field 'seek': '\(text)' is not an RFC 3339 time")
                }
                seek = instant
            }
            driver.control(speed: speed, paused: paused, seek: seek)
            return JSONWriting.response(try DeskDocuments.encode(driver.status()))
        }
        return routes
    }

    private func replaying() throws(Problem) -> ReplayDriver {
        guard let driver else { throw Problem(.notFound, "notFound", "this server is live, not replaying a log (smcc serve --replay)") }
        return driver
    }
}
