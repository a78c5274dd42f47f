import HTTPTypes
import Hummingbird
import Synchronization

/// Adds routes to a router while remembering each path's methods, so that a request with another
/// method on a known path is answered 405 with `Allow` (RFC 9110) instead of the router's 404.
final class MethodTable: RouterMethods {
    typealias Context = DeskRequestContext

    private let router: Router<Context>
    /// Filled as routes are added; read by the error middleware, which wraps them all and so is
    /// added first.
    let allowed = AllowedMethods()

    init(router: Router<Context>) {
        self.router = router
    }

    @discardableResult
    func on<Responder: HTTPResponder>(_ path: RouterPath, method: HTTPRequest.Method, responder: Responder) -> Self where Responder.Context == Context {
        router.on(path, method: method, responder: responder)
        allowed.add(path.description, method)
        return self
    }

    @discardableResult
    func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> Self {
        router.add(middleware: middleware)
        return self
    }
}

/// Path templates (`/v1/posts/:post/assign`) and their methods.
final class AllowedMethods: Sendable {
    private let templates = Mutex<[(segments: [Substring], methods: [String])]>([])

    func add(_ template: String, _ method: HTTPRequest.Method) {
        let segments = template.split(separator: "/")
        templates.withLock { templates in
            if let index = templates.firstIndex(where: { $0.segments == segments }) {
                templates[index].methods.append(method.rawValue)
            } else {
                templates.append((segments, [method.rawValue]))
            }
        }
    }

    /// The `Allow` value of `path` when a template matches it (a `:name` segment matches any
    /// segment); `nil` for a path no route has.
    func allow(_ path: String) -> String? {
        let segments = path.split(separator: "/")
        let match = templates.withLock { $0 }.first { template in
            template.segments.count == segments.count
                && zip(template.segments, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
        }
        return match.map { $0.methods.joined(separator: ", ") }
    }
}
