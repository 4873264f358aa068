"""The shared watch (veille): members' links gathered in a draft, published as numbered
digests by the outbox, feeds that propose links, the figures of the recap.

Modules: `urls` (validating and matching links), `trackers`, `fetch` (pages and feeds, with
`feed_memory` and `html_text`), `draft` (the draft, settings, a digest's content), `items`,
`digests`, `feeds`, `figures`, `privacy`.
"""
