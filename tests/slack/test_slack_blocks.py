"""Reply → Block Kit: every message parses with slack_sdk's models and keeps Slack's limits."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from radsbot.bot.replies import Attachment, Button, Fact, Reply, Section
from radsbot.bot.slack.blocks import (
    MAX_BLOCKS,
    MAX_HOME_BLOCKS,
    action_name,
    asked_by,
    to_blocks,
    to_home_view,
    to_message,
    to_messages,
)
from radsbot.bot.slack.mrkdwn import escape, fit, size, split
from slack_sdk.models.blocks import Block

from tests.fakes.engine import card

ENTITY_OK = re.compile(r"&(?!amp;|lt;|gt;)")


def mrkdwn_texts(blocks: list[dict]) -> list[str]:
    """Every mrkdwn text in the blocks (section text, fields, context elements)."""
    out = []
    for block in blocks:
        if block.get("text", {}).get("type") == "mrkdwn":
            out.append(block["text"]["text"])
        out += [f["text"] for f in block.get("fields", [])]
        if block["type"] == "context":
            out += [e["text"] for e in block["elements"]]
    return out


def check_limits(message: dict, max_blocks: int = MAX_BLOCKS) -> None:
    """Slack's limits, including those slack_sdk's models do not check."""
    blocks = message["blocks"]
    assert message.get("text", "x").strip(), "a top-level text fallback is always present"
    assert 0 < len(blocks) <= max_blocks
    for parsed in Block.parse_all(blocks):
        parsed.to_dict()  # raises SlackObjectFormationError on a broken block
    action_ids: list[str] = []
    for block in blocks:
        if block["type"] == "header":
            assert size(block["text"]["text"]) <= 150
        if block["type"] == "section":
            assert "text" in block or "fields" in block
            if "text" in block:
                assert 0 < size(block["text"]["text"]) <= 3000
            assert len(block.get("fields", [])) <= 10
            assert all(size(f["text"]) <= 2000 for f in block.get("fields", []))
        if block["type"] == "context":
            assert 0 < len(block["elements"]) <= 10
            assert all(size(e["text"]) <= 2000 for e in block["elements"])
        if block["type"] == "actions":
            assert len(block["elements"]) <= 25
            for button in block["elements"]:
                assert size(button["text"]["text"]) <= 75
                assert len(button["value"]) <= 2000
                action_ids.append(button["action_id"])
    assert len(action_ids) == len(set(action_ids)), "action ids are unique within a message"
    for text in mrkdwn_texts(blocks):
        assert not ENTITY_OK.search(text), f"unescaped & in {text[:80]!r}"


def test_indicator_card_renders_header_facts_button_and_notice():
    """The card: header, the notice up front, facts as fields, the chart button, small print."""
    message = to_message(card("PLL"))
    check_limits(message)
    blocks = message["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "PLL: Pasientens legemiddelliste", "emoji": True},
    }
    assert "eksempeldata" in blocks[1]["text"]["text"]
    facts = next(b for b in blocks if "fields" in b)
    assert facts["text"]["text"] == "*Mål 2: Sammenhengende tjenester*"
    assert facts["fields"][0]["text"] == "*Siste verdi*\n27,4 % (3. kvartal 2026)"
    (button,) = next(b for b in blocks if b["type"] == "actions")["elements"]
    assert (button["action_id"], button["value"], button["style"]) == ("show_chart", "PLL", "primary")
    assert button["text"]["text"] == "Vis graf"
    context = blocks[-1]
    assert context["elements"][0]["text"] == "Kilde: Norsk helsenett &amp; FHI &lt;eksempeldata&gt;"
    assert message["text"] == "PLL: 27,4 % (3. kvartal 2026), på vei mot ambisjonen"


def test_slack_markup_in_text_is_escaped():
    """`<`, `>` and `&` in reply text are escaped, so `<@U123>` never pings anyone."""
    reply = Reply(
        title="T <x>", summary="a & b <@U123>", sections=(Section(text="<!channel> & <#C1|kanal>"),)
    )
    message = to_message(reply)
    check_limits(message)
    assert message["text"] == "a &amp; b &lt;@U123&gt;"
    assert message["blocks"][1]["text"]["text"] == "&lt;!channel&gt; &amp; &lt;#C1|kanal&gt;"
    assert message["blocks"][0]["text"]["text"] == "T <x>"  # plain_text is shown literally


def test_long_text_is_split_into_sections_without_losing_words():
    """10,000 characters become several sections of at most 3000, every word kept in order."""
    words = [f"ord{i}&" for i in range(2000)]
    message = to_message(Reply(title="", summary="s", sections=(Section(text=" ".join(words)),)))
    check_limits(message)
    texts = [b["text"]["text"] for b in message["blocks"]]
    assert len(texts) >= 4
    assert " ".join(texts).split() == [escape(w) for w in words]


def test_splitting_prefers_line_breaks():
    """A chunk ends at a line break rather than mid-line when one is near."""
    lines = [f"Linje {i}: " + "x" * 80 for i in range(100)]
    chunks = split("\n".join(lines), 3000)
    assert all(chunk.split("\n")[-1].startswith("Linje") for chunk in chunks)
    assert sum(len(c.split("\n")) for c in chunks) == 100


def test_many_facts_make_sections_of_ten_fields():
    """25 facts become fields in sections of 10, 10 and 5."""
    facts = tuple(Fact(f"Indikator {i}", f"{i},0 %") for i in range(25))
    blocks = to_blocks(Reply(title="Mål 1", summary="s", sections=(Section(facts=facts),)))
    assert [len(b["fields"]) for b in blocks if "fields" in b] == [10, 10, 5]
    check_limits({"text": "s", "blocks": blocks})


def test_long_fields_headers_and_buttons_are_cut_with_an_ellipsis():
    """A 5000-character fact, a 300-character title and a 100-character label are cut to fit."""
    reply = Reply(
        title="Tittel " * 50,
        summary="s",
        sections=(
            Section(facts=(Fact("Lang", "v" * 5000),), buttons=(Button("B" * 100, "show_chart", "PLL"),)),
        ),
    )
    blocks = to_blocks(reply)
    check_limits({"text": "s", "blocks": blocks})
    assert blocks[0]["text"]["text"].endswith("…") and size(blocks[0]["text"]["text"]) <= 150
    field = blocks[1]["fields"][0]["text"]
    assert field.endswith("…") and size(field) <= 2000
    button = blocks[2]["elements"][0]
    assert button["text"]["text"].endswith("…") and size(button["text"]["text"]) <= 75


def test_repeated_actions_get_unique_ids_that_map_back():
    """Two "Vis graf" buttons in one message get distinct ids; the action name survives."""
    buttons = (Button("Vis graf", "show_chart", "PLL"), Button("Vis graf", "show_chart", "DHO"))
    blocks = to_blocks(Reply(title="t", summary="s", sections=(Section(buttons=buttons),)))
    ids = [e["action_id"] for e in blocks[1]["elements"]]
    assert ids == ["show_chart", "show_chart#2"]
    assert {action_name(i) for i in ids} == {"show_chart"}


def big_reply(n: int = 120) -> Reply:
    return Reply(
        title="Stor oversikt",
        summary="Alt",
        sections=tuple(Section(heading=f"Mål {i}", text="tekst", items=(f"punkt {i}",)) for i in range(n)),
    )


def test_more_than_fifty_blocks_are_cut_with_a_note():
    """One message holds at most 50 blocks, the last saying how much was left out."""
    message = to_message(big_reply())
    check_limits(message)
    assert len(message["blocks"]) == MAX_BLOCKS
    note = message["blocks"][-1]["elements"][0]["text"]
    assert re.match(r"… \d+ flere avsnitt er utelatt", note)
    assert int(note.split()[1]) == 1 + 240 - (MAX_BLOCKS - 1)  # header + 2 blocks per section


def test_long_reply_continues_in_the_thread():
    """Split into pages of at most 50 blocks; the first says the rest is in the thread."""
    messages = to_messages(big_reply(60))
    assert len(messages) == 3
    for message in messages:
        check_limits(message)
    assert "står i tråden" in messages[0]["blocks"][-1]["elements"][0]["text"]
    headings = [t for m in messages for t in mrkdwn_texts(m["blocks"]) if t.startswith("*Mål")]
    assert len(headings) == 60
    assert "(forts. 2/3)" in messages[1]["text"]


def test_footer_closes_the_first_page():
    """The "asked by" note stays in the first message, also when the reply is paged."""
    footer = asked_by("U0MEMBER", "status <PLL>")
    messages = to_messages(big_reply(60), footer=footer)
    assert messages[0]["blocks"][-1] == footer
    assert footer["elements"][0]["text"] == "<@U0MEMBER> spurte: «status &lt;PLL&gt;»"
    assert to_messages(card("PLL"), footer=footer)[0]["blocks"][-1] == footer
    check_limits(messages[0])


def test_home_view_allows_a_hundred_blocks():
    """App Home takes up to 100 blocks before it is cut."""
    view = to_home_view(big_reply())
    assert view["type"] == "home"
    check_limits({"text": "home", "blocks": view["blocks"]}, max_blocks=MAX_HOME_BLOCKS)
    assert len(view["blocks"]) == MAX_HOME_BLOCKS


def test_empty_reply_still_has_text_and_a_block():
    """Nothing to show still gives Slack a fallback text and one block."""
    message = to_message(Reply(title="", summary=""))
    check_limits(message)
    assert message["text"] == "Svar fra Rådsbot"


def test_emoji_count_as_two_code_units():
    """Text of astral-plane emoji is measured as Slack may count it, in UTF-16 code units."""
    message = to_message(Reply(title="😀" * 200, summary="😀", sections=(Section(text="😀" * 4000),)))
    check_limits(message)
    assert all(size(t) <= 3000 for t in mrkdwn_texts(message["blocks"]))
    assert sum(t.count("😀") for t in mrkdwn_texts(message["blocks"])) == 4000


def test_fit_never_breaks_an_entity():
    """Cutting escaped text keeps whole entities."""
    for limit in range(2, 30):
        cut = fit("&" * 40, limit)
        assert size(cut) <= limit
        assert not ENTITY_OK.search(cut)


def test_attachments_do_not_become_blocks():
    """Files travel separately (files_upload_v2); the message has only the text."""
    reply = Reply(title="Graf", summary="g", attachments=(Attachment("a.png", "A", b"\x89PNG"),))
    assert to_blocks(reply) == [
        {"type": "header", "text": {"type": "plain_text", "text": "Graf", "emoji": True}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "g"}},
    ]


def test_a_reply_without_sections_shows_its_summary():
    """Refusals and errors carry their message in the summary; Slack must show it, not just the title."""
    reply = Reply(title="Ikke tilgang", summary="Bare sekretariatet kan lage toppnotat.", kind="refused")
    blocks = to_blocks(reply)
    assert blocks[1] == {"type": "section", "text": {"type": "mrkdwn", "text": reply.summary}}
    with_body = Reply(title="Kort", summary="én linje", sections=(Section(text="Brødtekst"),))
    assert "én linje" not in str(to_blocks(with_body))


# -- property-based ---------------------------------------------------------------------------

fragments = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["<", ">", "&", "<@U123>", "<#C1|kanal>", "😀", "👩‍⚕️", "\n", " ", "*", "\x00", "\t"]),
    st.integers(0, 3500).map(lambda n: "Lorem ipsum & dolor " * (n // 20) + "x" * (n % 20)),
)
texts = st.lists(fragments, max_size=12).map("".join)
short = st.text(max_size=200)
buttons = st.builds(
    Button, label=short, action=st.sampled_from(["show_chart", "x", "y"]), value=st.text(max_size=2500)
)
sections = st.builds(
    Section,
    heading=short,
    text=texts,
    facts=st.lists(st.builds(Fact, label=short, value=texts), max_size=25).map(tuple),
    items=st.lists(texts, max_size=30).map(tuple),
    buttons=st.lists(buttons, max_size=30).map(tuple),
    context=texts,
)
replies = st.builds(
    Reply,
    title=texts,
    summary=texts,
    sections=st.lists(sections, max_size=8).map(tuple),
    notice=texts,
    ephemeral=st.booleans(),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(replies)
@pytest.mark.slow
def test_any_reply_renders_within_slacks_limits(reply):
    """Random replies (long texts, many facts and items, emoji, markup) always fit Slack."""
    check_limits(to_message(reply))
    for message in to_messages(reply):
        check_limits(message)
    check_limits({"text": "home", "blocks": to_home_view(reply)["blocks"]}, max_blocks=MAX_HOME_BLOCKS)


@pytest.mark.slow
@pytest.mark.parametrize("limit", [5, 75, 2000])
@settings(max_examples=40, deadline=None)
@given(text=texts)
def test_split_chunks_fit_and_keep_all_text(limit, text):
    """Every chunk fits; together they hold all non-space characters, escaped, in order."""
    chunks = split(text, limit)
    assert all(0 < size(c) <= limit for c in chunks)
    assert "".join("".join(chunks).split()) == "".join(escape(text).split())


def test_only_the_bots_own_mention_is_stripped():
    """`<@BOT>` goes, other people's mentions stay, whitespace is tidied."""
    from radsbot.bot.slack.events import strip_mention

    assert strip_mention("<@U0BOT>  status   PLL", "U0BOT") == "status PLL"
    assert strip_mention("<@U0BOT|radsbot> hei <@U0ANNE>", "U0BOT") == "hei <@U0ANNE>"
    assert strip_mention("<@U0BOT> status", None) == "<@U0BOT> status"
