"""The statistics of the monthly summary and the year-end recap (DESIGN.md §3, docs/recap.md),
by sub-domain: `indicators` (names, labels, `Figure`), `members`, `activities`, `evaluation`
(the evaluation indicators), `history` (the import of past years), `year` (the year-end
recap), `month` (the monthly summary) and `asked` (the periods users ask for)."""
