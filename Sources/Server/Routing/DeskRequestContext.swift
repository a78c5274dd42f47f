import Hummingbird

/// The request context of every route: Hummingbird's core storage plus who the request's bearer
/// token speaks for, set once by ``AuthenticationMiddleware`` so no route reads tokens itself.
struct DeskRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The token's subject; `nil` when the request carried no token.
    var subject: TokenSubject?

    init(source: Source) {
        coreContext = .init(source: source)
    }

    /// No route takes a body larger than a command.
    var maxUploadSize: Int { RequestInput.maximumBodyBytes }
}
