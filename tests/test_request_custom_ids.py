"""The request's buttons and forms follow the custom_id scheme (`requests:<action>[:<id>]`,
bot/ui/custom_ids.py), and the ids already posted in threads keep routing to them."""

from __future__ import annotations

import re

from cogs.requests._modals import CloseModal, RequestModal, ScheduleModal
from cogs.requests._views import RequestButton

# custom_ids posted by earlier versions (Discord keeps them on the messages)
POSTED_BUTTONS = ("requests:claim:7", "requests:cancelok:7", "requests:keep:7", "requests:reopen:7", "requests:rate3:7")
POSTED_FORMS = (
    (RequestModal, "requests:new"),
    (ScheduleModal, "requests:schedule-form:7"),
    (CloseModal, "requests:close-form:7"),
)


def test_posted_request_ids_still_route() -> None:
    pattern = RequestButton.__discord_ui_compiled_template__
    for posted in POSTED_BUTTONS:
        match = pattern.fullmatch(posted)
        assert match is not None and match["id"] == "7", posted
        assert RequestButton(match["action"], 7).item.custom_id == posted  # built again the same
    for form, posted in POSTED_FORMS:
        assert re.fullmatch(form.template, posted), posted
    assert pattern.fullmatch("events:claim:7") is None
