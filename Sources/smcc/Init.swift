import ArgumentParser
import CommandCenter

extension SMCC {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create an empty log.",
            discussion: "Makes the directory LOG (and its parents) if missing, and an empty log in it. Refuses a directory that already holds a log. For a postgresql://…?log=NAME URL, makes the schema NAME and its tables in that database (which must exist), and refuses a schema that already holds a log."
        )

        @OptionGroup var target: LogArgument

        func run() throws {
            _ = try EventStore.create(at: target.log)
            print("created an empty log in \(target.log)")
        }
    }
}
