"""Councils' destinations: (transport, address) rows, each transport checking its own addresses.

`radsbot council set --channel …` and `råd sett … --kanal …` keep meaning Slack; `slack:ID` and
`teams:ID` name the transport; a council may have a Slack and a Teams channel at once; the seed
sets channels only for a council it creates.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from radsbot.data.access import grant
from radsbot.data.councils import CouncilError, update_council
from radsbot.data.destinations import (
    Channel,
    channels,
    check_channel,
    details_of,
    register_address_rule,
    set_destination,
)
from radsbot.data.models import AuditLog, Council, CouncilDestination
from radsbot.data.seed import SEED_DIR, load_seed
from sqlalchemy import select

from tests.fakes.memory_transport import teams_address

TEAMS = "19:nuitkanal@thread.tacv2"


@pytest.fixture
def teams_rule():
    """Teams registers its own address rule (here the memory transport's), as its package will."""
    previous = register_address_rule("teams", teams_address)
    yield
    register_address_rule("teams", previous)


def nuit(session) -> Council:
    """NUIT as stored now."""
    session.expire_all()
    return session.scalar(select(Council).where(Council.code == "nuit"))


def destinations(session, code: str = "nuit") -> list[tuple[str, str, str]]:
    """(transport, purpose, address) of a council's destinations, as stored."""
    session.expire_all()
    rows = session.execute(
        select(CouncilDestination.transport, CouncilDestination.purpose, CouncilDestination.address)
        .join(Council)
        .where(Council.code == code)
        .order_by(CouncilDestination.transport, CouncilDestination.purpose)
    )
    return [tuple(r) for r in rows]


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("#nuit", Channel("slack", "#nuit")),
        ("C0123ABCD", Channel("slack", "C0123ABCD")),
        ("slack:C0123ABCD", Channel("slack", "C0123ABCD")),
        ("SLACK:#nuit", Channel("slack", "#nuit")),
        ("  #nuit  ", Channel("slack", "#nuit")),
    ],
)
def test_a_bare_channel_is_slack_and_a_prefix_names_the_transport(text, channel):
    assert check_channel(text) == channel


@pytest.mark.parametrize("text", ["nuit", "#NUIT", "slack:19:x@thread.tacv2", "C01", "#a b"])
def test_slack_refuses_what_is_not_a_slack_channel(text):
    with pytest.raises(ValueError, match="er ikke en kanal"):
        check_channel(text)


def test_a_transport_without_a_rule_takes_no_destination():
    previous = register_address_rule("teams", None)
    try:
        with pytest.raises(ValueError, match="kan ikke poste i Teams"):
            check_channel(f"teams:{TEAMS}")
    finally:
        register_address_rule("teams", previous)


def test_teams_checks_its_own_addresses(teams_rule):
    assert check_channel(f"teams:{TEAMS}") == Channel("teams", TEAMS)
    with pytest.raises(ValueError, match="er ikke en Teams-kanal"):
        check_channel("teams:#nuit")
    assert str(Channel("teams", TEAMS)) == f"{TEAMS} (Teams)" and str(Channel("slack", "#nuit")) == "#nuit"


def test_cli_sets_slack_as_before_and_teams_beside_it(cli, session, teams_rule):
    """The first release's command keeps setting the Slack channels; a Teams channel is added
    beside them, `council list` shows every destination, and "teams:" removes it again."""
    code, out, err = cli(
        "council", "set", "nuit", "--channel", "C0123ABCD", "--secretariat", "#radsbot-sekretariat"
    )
    assert code == 0, err
    assert destinations(session) == [
        ("slack", "council", "C0123ABCD"),
        ("slack", "secretariat", "#radsbot-sekretariat"),
    ]
    code, out, err = cli(
        "council", "set", "nuit", "--channel", f"teams:{TEAMS}", "--secretariat", "slack:#sek"
    )
    assert code == 0, err
    assert destinations(session) == [
        ("slack", "council", "C0123ABCD"),
        ("slack", "secretariat", "#sek"),
        ("teams", "council", TEAMS),
    ]
    code, out, _ = cli("council", "list")
    [line] = [line for line in out.splitlines() if "C0123ABCD" in line]
    assert f"kanal C0123ABCD, {TEAMS} (Teams), sekretariat #sek," in line
    code, out, _ = cli("council", "set", "nuit", "--channel", "teams:")
    assert code == 0 and destinations(session)[-1] == ("slack", "secretariat", "#sek")
    assert ("teams", "council", TEAMS) not in destinations(session)
    session.expire_all()
    changes = [
        a.details["changes"]
        for a in session.scalars(
            select(AuditLog).where(AuditLog.action == "council_set").order_by(AuditLog.id)
        )
    ]
    assert changes == [
        {"channel": ["#radsbot-nuit", "C0123ABCD"]},
        {"teams channel": ["", TEAMS], "secretariat": ["#radsbot-sekretariat", "#sek"]},
        {"teams channel": [TEAMS, ""]},
    ]


def test_an_invalid_destination_changes_nothing(cli, session, teams_rule):
    before = destinations(session), nuit(session).digest_hour
    code, _, err = cli("council", "set", "nuit", "--hour", "9", "--channel", "teams:#nuit")
    assert code == 1 and "er ikke en Teams-kanal" in err
    code, _, err = cli("council", "set", "nuit", "--hour", "9", "--secretariat", "irc:#nuit")
    assert code == 1 and "er ikke en kanal" in err  # not a transport: a Slack address, and not one
    assert (destinations(session), nuit(session).digest_hour) == before


def test_chat_sets_a_teams_channel_beside_slacks(chat, session, teams_rule):
    grant(session, "U0ADMIN", "admin")
    session.commit()
    reply = chat.answer(f"råd sett nuit --kanal teams:{TEAMS}", user="U0ADMIN")
    assert reply.kind == "answer" and "endret" in reply.title
    facts = {f.label: f.value for f in reply.sections[0].facts}
    assert facts["Kanal"] == f"#radsbot-nuit, {TEAMS} (Teams)"
    assert channels(nuit(session)) == [Channel("slack", "#radsbot-nuit"), Channel("teams", TEAMS)]


def test_a_transport_keeps_what_it_needs_beside_an_address(session, teams_rule):
    """A Teams channel is reached through a stored conversation reference: its service URL and
    tenant are kept with the destination, for the publisher to read when it posts."""
    reference = {"service_url": "https://smba.trafficmanager.net/emea/", "tenant_id": "tenant-1"}
    council = nuit(session)
    set_destination(session, council, "council", check_channel(f"teams:{TEAMS}"), details=reference)
    session.commit()
    assert details_of(session, Channel("teams", TEAMS)) == reference
    assert details_of(session, Channel("slack", "#radsbot-nuit")) == {}
    assert details_of(session, Channel("teams", "19:annen@thread.tacv2")) == {}


def test_update_council_validates_every_destination_before_changing_any(session, teams_rule):
    council = nuit(session)
    before = destinations(session)
    with pytest.raises(CouncilError, match="er ikke en kanal"):
        update_council(session, council, channel=f"teams:{TEAMS}", secretariat="ikke-en-kanal")
    assert destinations(session) == before


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    """An editable copy of the seed files."""
    copy = tmp_path / "seed"
    shutil.copytree(SEED_DIR, copy)
    return copy


@pytest.mark.slow
def test_seed_again_keeps_the_destinations_an_admin_set(session, seed, teams_rule):
    """`radsbot db seed` sets channels only for a council it creates: an admin's Slack and Teams
    channels stay, also when the seed file names other channels."""
    council = nuit(session)
    update_council(session, council, channel=f"teams:{TEAMS}", secretariat="C0SEKRETAR")
    update_council(session, council, channel="#nytt")
    session.commit()
    before = destinations(session)
    path = seed / "councils.yaml"
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    content["councils"][0]["slack_channel"] = "#fra-seed"
    content["councils"].append(
        {"code": "ny", "name": "Nytt råd", "short_name": "Nytt", "slack_channel": "#radsbot-ny"}
    )
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    load_seed(session, seed)
    session.commit()
    assert (
        destinations(session)
        == before
        == [
            ("slack", "council", "#nytt"),
            ("slack", "secretariat", "C0SEKRETAR"),
            ("teams", "council", TEAMS),
        ]
    )
    assert destinations(session, "ny") == [("slack", "council", "#radsbot-ny")]


@pytest.mark.slow
def test_a_seed_channel_slack_refuses_names_the_entry(session, seed):
    path = seed / "councils.yaml"
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    content["councils"].append(
        {"code": "ny", "name": "Nytt råd", "short_name": "Nytt", "slack_channel": "ny"}
    )
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    from radsbot.data.seed_files import SeedError

    expected = "councils.yaml, råd nr. 4: «slack_channel»: «ny» er ikke en kanal"
    with pytest.raises(SeedError, match=re.escape(expected)):
        load_seed(session, seed)
