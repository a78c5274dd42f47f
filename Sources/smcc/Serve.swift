import ArgumentParser
import Foundation
import Server

extension SMCC {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve the command center over HTTP: desk commands, queues, stats, audit, live events.",
            discussion: """
                The API is Schemas/openapi.yaml. Every request carries `Authorization: Bearer <token>`; \
                issue tokens with `smcc token issue` or `smcc volunteer add` (they take effect at once, \
                no restart). The server is the log's only writer while it runs: concurrent commands share \
                durable commits, and each is answered once on disk. SIGTERM or SIGINT drains in-flight \
                requests, commits what is queued and closes the log. Prints `listening on http://HOST:PORT` \
                when ready (--port 0 picks a free port). Idle and slow connections are closed \
                (--idle-timeout, --request-timeout); live streams carry keep-alive comments (--keep-alive), \
                at most 16 per volunteer. The desk is at /, the coordinator's console at /console, the wall \
                at /wall#token=TOKEN (a read-only token: smcc token issue LOG wall --read-only). With \
                --replay the server plays the log to them instead, read-only, on a virtual clock \
                (--speed, 60× by default), and takes no writer lock.
                """
        )

        @OptionGroup var target: LogArgument

        @Option(help: "The TCP port (0: any free port).")
        var port = 8080

        @Option(help: "The address to listen on. The default serves this machine only.")
        var host = "127.0.0.1"

        @Option(help: ArgumentHelp("Close a connection idle this long, or whose request headers take longer.", valueName: "SECONDS"))
        var idleTimeout = 60.0

        @Option(help: ArgumentHelp("Close a connection whose request body is not all there this long after its headers.", valueName: "SECONDS"))
        var requestTimeout = 30.0

        @Option(help: ArgumentHelp("A live stream with nothing to send writes a keep-alive comment this often.", valueName: "SECONDS"))
        var keepAlive = 15.0

        @Flag(help: "Replay the log to the desk and the wall, read-only, on a virtual clock (pause, speed and seek from the wall, or POST /v1/replay).")
        var replay = false

        @Option(help: ArgumentHelp("With --replay: how many times faster than the real pace, from 1 to 600.", valueName: "N"))
        var speed = 60.0

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
            guard (1...600).contains(speed) else { throw ValidationError("--speed must be from 1 to 600") }
            for (name, value) in [("--idle-timeout", idleTimeout), ("--request-timeout", requestTimeout), ("--keep-alive", keepAlive)] {
                guard value > 0, value <= 86_400 else { throw ValidationError("\(name) must be more than 0 and at most 86400 seconds") }
            }
        }

        func run() async throws {
            let host = host
            var limits = CommandCenterServer.Limits()
            limits.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
            limits.requestTimeout = .milliseconds(Int64(requestTimeout * 1000))
            limits.keepAlive = .milliseconds(Int64(keepAlive * 1000))
            try await CommandCenterServer(log: target.log, host: host, port: port, limits: limits, replaySpeed: replay ? speed : nil).run { port in
                // Unbuffered: scripts and tests wait for this line to know the port.
                FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
            }
        }
    }
}
