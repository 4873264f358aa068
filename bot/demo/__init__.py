"""`python -m bot demo`: the real bot against SimCord, with a demo network, in a local page.

No Discord account, token or network: SimCord simulates Discord in-process, its Preview
renders the real bot's messages, buttons, selects and modals in a browser page on 127.0.0.1,
and the visitor acts as the coordinator or as a Promeneur. The demo database is its own
SQLite file (`data/demo.db`), never the production one.
"""
