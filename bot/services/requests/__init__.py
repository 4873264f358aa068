"""Accompaniment requests, by sub-domain: `lifecycle` (create, claim, schedule, close …),
`rules` (who may do what, from which status), `queries` (reading and listing), `parsing`
(what the forms accept), `labels` (French names of kinds, modes, statuses), `settings`,
`jobs` (what the sweep finds to do), `retention`, `privacy` (the /mes-donnees hook) and
`figures` (the one implementation of the requests figures, used by the recap)."""
