"""End-to-end: staff replace a section of a goal's status text in a Slack modal (views.open).

The real Bolt app over HTTP with the real engine, signed requests, the fake Slack Web API.
"""

from __future__ import annotations

import json

import pytest
from radsbot.data import queries
from radsbot.data.access import audit_entries, grant
from radsbot.data.db import transaction
from radsbot.data.lookups import goal_by_code
from radsbot.data.periods import quarter_of

from tests.fakes.slack_requests import direct_message
from tests.slack.messages import blocks_of

pytestmark = pytest.mark.e2e


def _edit_button(slack_api) -> dict:
    """The "Endre teksten" button of the answer posted last."""
    call = slack_api.wait_for("chat.postMessage")
    buttons = [e for b in blocks_of(call) if b.get("type") == "actions" for e in b["elements"]]
    return next(b for b in buttons if b["action_id"].startswith("edit_narrative"))


@pytest.mark.slow
def test_staff_replace_a_section_in_a_modal_and_it_is_stored_and_audited(real_app, slack_context, slack_api):
    with transaction(slack_context.sessions) as session:
        grant(session, "U0STAFF", "staff")
    real_app.slack.event(direct_message("hva er utfordringene i mål 4?", user="U0STAFF", channel="D0STAFF"))
    button = _edit_button(slack_api)
    assert button["value"] == "mal4:challenges"
    real_app.slack.action(
        button["action_id"], button["value"], user="U0STAFF", channel="D0STAFF", message_ts="1.2"
    )
    opened = slack_api.wait_for("views.open")
    view = (
        json.loads(opened.params["view"]) if isinstance(opened.params["view"], str) else opened.params["view"]
    )
    field = view["blocks"][1]["element"]
    assert view["type"] == "modal" and field["type"] == "plain_text_input" and field["multiline"]
    assert field["initial_value"].startswith("Usikkerhet rundt status på regionale/lokale planer")
    assert "de andre delene tas med derfra" in view["blocks"][0]["text"]["text"]

    empty = real_app.slack.submit(view, {"narrative_text": {"text": "  \n "}})
    assert json.loads(empty.body) == {
        "response_action": "errors",
        "errors": {"narrative_text": "Skriv minst ett punkt."},
    }

    assert (
        real_app.slack.submit(view, {"narrative_text": {"text": "- Ny utfordring\n2. Enda en"}}).status == 200
    )
    real_app.settle()
    told = slack_api.wait_for("chat.postMessage", lambda c: c.params["channel"] == "U0STAFF")
    assert (
        "«Utfordringer» for Mål 4: Tilgjengelig informasjon og styrket samhandling er lagret"
        in told.params["text"]
    )
    with slack_context.sessions() as session:
        goal = goal_by_code(session, "mal4")
        quarter = quarter_of(slack_context.today())
        stored = queries.narrative(session, goal.id, quarter)
        assert stored.challenges == ["Ny utfordring", "Enda en"] and stored.recorded_by == "U0STAFF"
        assert stored.overall_status[0].startswith("Bruken av dokumentdeling fra HF")  # taken over from Q2
        assert queries.narrative(session, goal.id, "2026-Q2").version == 0  # the seed's text is kept
        (entry,) = audit_entries(session, action="narrative_edit")
        assert entry.actor == "U0STAFF" and entry.outcome == "ok" and entry.details["section"] == "challenges"


@pytest.mark.slow
def test_a_member_gets_no_button_and_a_forged_submission_is_refused_and_audited(
    real_app, slack_context, slack_api
):
    real_app.slack.event(direct_message("hva er utfordringene i mål 4?", user="U0MEMBER", channel="D0MEMBER"))
    call = slack_api.wait_for("chat.postMessage")
    assert not any(b.get("type") == "actions" for b in blocks_of(call))
    view = {
        "type": "modal",
        "callback_id": "narrative_edit",
        "private_metadata": json.dumps({"goal": "mal4", "section": "challenges", "quarter": "2026-Q4"}),
    }
    assert (
        real_app.slack.submit(view, {"narrative_text": {"text": "Forfalsket"}}, user="U0MEMBER").status == 200
    )
    real_app.settle()
    told = slack_api.wait_for("chat.postMessage", lambda c: c.params["channel"] == "U0MEMBER")
    assert "Bare sekretariatet" in told.params["text"]
    with slack_context.sessions() as session:
        goal = goal_by_code(session, "mal4")
        assert queries.narrative(session, goal.id, "2026-Q4") is None
        (entry,) = audit_entries(session, action="narrative_edit")
        assert entry.outcome == "denied" and entry.actor == "U0MEMBER"
