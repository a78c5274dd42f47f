// # CaseStudy
//
// The retrospective of a past event as a publishable case study: figures (SVG) and a report
// (HTML, Markdown, CSV) from one replay of a log. Owns the SVG module (`SVG/`: nodes, scales,
// axes, marks, the chart frame, the palette), the figures (`Figures/`: what each one draws from
// which projection, and what it says when the log lacks the data), and the report (`Report/`:
// `EventFacts` — the replay —, `KeyFigures`, `CaseStudyReport` — the files — and `Page`).
//
// Every number comes from CommandCenter's projections with the definitions of
// `Schemas/cli/stats.md`; nothing here reads the clock or the environment, so the same log gives
// a byte-identical report. Times are read on one `ReportClock`: the event's time zone (its
// `eventDescribed`), `--time-zone`, or UTC. The conversation (every post, reposts included) comes
// first; the desk's figures only when the log holds desk work; other editions side by side.
//
//     let facts = try EventFacts.replay(store, log: path, head: head)
//     try CaseStudyReport(facts, compare: [lastYear], title: "PivotCon 2026").write(to: "report")
