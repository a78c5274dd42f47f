import ArgumentParser
import Foundation
import Server

extension SMCC {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the command center over HTTP: desk commands, queues, stats, audit, live events.",
            discussion: """
                The API is Schemas/openapi.yaml. Every request carries `Authorization: Bearer <token>`; \
                issue tokens with `smcc token issue` or `smcc volunteer add` (they take effect at once, \
                no restart). The server is the log's only writer while it runs: concurrent commands share \
                durable commits, and each is answered once on disk. SIGTERM or SIGINT drains in-flight \
                requests, commits what is queued and closes the log. Prints `listening on http://HOST:PORT` \
                when ready (--port 0 picks a free port).
                """
        )

        @OptionGroup var target: LogArgument

        @Option(help: "The TCP port (0: any free port).")
        var port = 8080

        @Option(help: "The address to listen on. The default serves this machine only.")
        var host = "127.0.0.1"

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        }

        func run() async throws {
            let host = host
            try await CommandCenterServer(log: target.log, host: host, port: port).run { port in
                // Unbuffered: scripts and tests wait for this line to know the port.
                FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
            }
        }
    }
}
