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
// a byte-identical report. All times are UTC (the log has no time zone).
//
//     let facts = try EventFacts.replay(store, log: path, head: head)
//     try CaseStudyReport(facts, title: "PivotCon 2026").write(to: "report")
