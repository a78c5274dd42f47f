import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The one place errors become answers: every error a handler throws (and the router's own 404)
/// becomes a problem document, and each answer is counted for `/metrics`. An error that is not a
/// `Problem` is the server's fault: the caller gets a bare 500, the operator's log the details
/// (which may name files the caller must not learn about).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    let logger: Logger
    /// The methods of each route, for a 405 with `Allow` where the router found no route.
    let allowed: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let problem as Problem {
            response = try problem.response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound && allowed.allow(request.uri.path) != nil {
            let allow = allowed.allow(request.uri.path)!
            var problem = Problem(.methodNotAllowed, "methodNotAllowed", "\(request.method) is not allowed on \(request.uri.path); it takes \(allow)")
            problem.headers[.allow] = allow
            response = try problem.response(from: request, context: context)
        } catch let error as HTTPError {
            let code = switch error.status {
            case .notFound: "routeNotFound"
            case .methodNotAllowed: "methodNotAllowed"
            case .contentTooLarge: "bodyTooLarge"
            default: "badRequest"
            }
            let detail = error.status == .notFound
                ? "no endpoint \(request.method) \(request.uri.path); see Schemas/openapi.yaml"
                : (error.body ?? error.status.reasonPhrase)
            response = try Problem(error.status, code, detail).response(from: request, context: context)
        } catch {
            logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            response = try Problem(.internalServerError, "internal", "the server failed; its operator has the details").response(from: request, context: context)
        }
        metrics.answered(status: response.status.code, seconds: (ContinuousClock.now - started).seconds)
        return response
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
