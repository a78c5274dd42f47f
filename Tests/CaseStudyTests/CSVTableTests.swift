@testable import CaseStudy
import Testing

/// The CSV files of a report carry attacker-controlled text (post ids, account names, hashtags):
/// a comma, a quote or a line break in a field must not move the columns.
struct CSVTableTests {
    @Test func fieldsThatNeedQuotingAreQuotedAndTheRestAreNot() {
        let table = CSVTable(name: "t", header: ["post", "who, exactly"], rows: [
            ["twitter:1", "say \"hi\""],
            ["line\nbreak", "carriage\rreturn"],
            ["é,ü", ""],
            ["\"", "plain #tag @ünïcode"],
        ])
        let expected = [
            #"post,"who, exactly""#,
            #"twitter:1,"say ""hi""""#,
            "\"line\nbreak\",\"carriage\rreturn\"",
            #""é,ü","#,
            #""""",plain #tag @ünïcode"#,
        ].joined(separator: "\n") + "\n"
        #expect(table.text == expected)
        let parsed = ParsedCSV(table.text)
        #expect(parsed.header == table.header)
        #expect(parsed.rows == table.rows)
    }

    @Test func anEmptyTableIsItsHeader() {
        #expect(CSVTable(name: "t", header: ["a", "b"], rows: []).text == "a,b\n")
    }
}
