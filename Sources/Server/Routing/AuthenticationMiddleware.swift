import Hummingbird

/// Puts the subject of the request's bearer token in the context. A request without a token
/// passes on (the routes that need one refuse it); a token that is unknown or revoked is 401 here.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = DeskRequestContext
    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = try Authenticator.bearerToken(request) {
            context.subject = try authenticator.subject(token: token)
        }
        return try await next(request, context)
    }
}
