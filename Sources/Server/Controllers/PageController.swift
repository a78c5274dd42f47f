import CaseStudy
import CommandCenter
import HTTPTypes
import Hummingbird

/// The browser pages: the desk (`/`), the coordinator's console (`/console`) and the wall
/// (`/wall`), plain HTML, CSS and JavaScript modules compiled into the binary (`Pages/`). They
/// need no token to load (they hold no data); every figure comes from the API with the token the
/// page keeps (session storage, or the wall's URL fragment), never in a URL the server sees.
/// A Content-Security-Policy allows scripts and styles from this server only, none inline.
struct PageController {
    static let securityHeaders: HTTPFields = [
        HTTPField.Name("Content-Security-Policy")!: "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        .cacheControl: "no-cache",
    ]

    var endpoints: RouteCollection<DeskRequestContext> {
        let routes = RouteCollection(context: DeskRequestContext.self)
        let files: [(String, [UInt8], String)] = [
            ("/", PackageResources.desk_html, "text/html; charset=utf-8"),
            ("/console", PackageResources.console_html, "text/html; charset=utf-8"),
            ("/wall", PackageResources.wall_html, "text/html; charset=utf-8"),
            ("/assets/app.css", PackageResources.app_css, "text/css; charset=utf-8"),
            ("/assets/palette.css", Array(Self.palette.utf8), "text/css; charset=utf-8"),
            ("/assets/api.js", PackageResources.api_js, "text/javascript; charset=utf-8"),
            ("/assets/desk.js", PackageResources.desk_js, "text/javascript; charset=utf-8"),
            ("/assets/console.js", PackageResources.console_js, "text/javascript; charset=utf-8"),
            ("/assets/wall.js", PackageResources.wall_js, "text/javascript; charset=utf-8"),
        ]
        for (path, bytes, type) in files {
            let buffer = ByteBuffer(bytes: bytes)
            routes.get(RouterPath(path)) { _, _ in
                var headers = Self.securityHeaders
                headers[.contentType] = type
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: buffer))
            }
        }
        return routes
    }

    /// The report's colours (`Palette`) as CSS custom properties and classes.
    static let palette: String = {
        var css = ":root {\n"
        for channel in Channel.allCases { css += "  --channel-\(channel.rawValue): \(Palette.color(channel));\n" }
        for role in Role.allCases { css += "  --role-\(role.rawValue): \(Palette.color(role));\n" }
        css += "}\n"
        for channel in Channel.allCases {
            css += ".channel-\(channel.rawValue), .channel-bg-\(channel.rawValue) { background: var(--channel-\(channel.rawValue)); }\n"
        }
        for role in Role.allCases { css += ".role-bg-\(role.rawValue) { background: var(--role-\(role.rawValue)); }\n" }
        return css
    }()
}
