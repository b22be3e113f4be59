"""Reply → Teams activities: every card the engine makes is a valid Adaptive Card 1.5 within 28 KB."""

from __future__ import annotations

import dataclasses
import io
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from radsbot.bot.replies import Attachment, Button, Fact, Reply, Section
from radsbot.bot.teams import cards
from radsbot.bot.teams.card_images import fit_png, uri_size
from radsbot.data.access import grant

from tests.fakes.engine import card, tiny_png
from tests.schemas.validate import card_validator, check_activity, errors, size, texts_of, walk

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def elements(activities: list[dict], kind: str) -> list[dict]:
    """Every element of a type in the activities' cards."""
    found = []
    for activity in activities:
        for card_ in check_activity(activity):
            found += [e for e in walk(card_["body"]) if e["type"] == kind]
    return found


def noise_png(width: int, height: int) -> bytes:
    """A PNG that does not compress (random pixels): far beyond what a card holds."""
    rng = random.Random(7)
    picture = Image.frombytes(
        "RGB", (width, height), bytes(rng.randrange(256) for _ in range(width * height * 3))
    )
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def test_the_schema_check_is_not_vacuous():
    """The vendored 1.5 schema refuses a misspelt type, a missing text, a wrong type, an unknown key."""
    good = cards.reply_card(card("PLL"), "nb")
    assert errors(card_validator(), good) == []
    bad_cards = []
    for change in (
        lambda c: c["body"][0].update(type="TextBlok"),
        lambda c: c["body"][0].pop("text"),
        lambda c: c["body"][0].update(wrap="yes"),
        lambda c: c["body"][0].update(colour="red"),
        lambda c: c.update(body={"type": "TextBlock"}),
    ):
        bad = json.loads(json.dumps(good))
        change(bad)
        bad_cards.append(bad)
    assert all(errors(card_validator(), bad) for bad in bad_cards)


def test_indicator_card_has_title_notice_facts_button_and_small_print():
    """The fake engine's card: heading, the notice in a warning box, a FactSet, Vis graf, the source."""
    (activity,) = cards.reply_activities(card("PLL"), "nb")
    (content,) = check_activity(activity)
    assert activity["text"] == "PLL: 27,4 % (3. kvartal 2026), på vei mot ambisjonen"
    body = content["body"]
    assert body[0]["text"] == "PLL: Pasientens legemiddelliste" and body[0]["style"] == "heading"
    assert body[1]["type"] == "Container" and body[1]["style"] == "warning"
    assert "eksempeldata" in body[1]["items"][0]["inlines"][0]["text"]
    (facts,) = [e for e in body if e["type"] == "FactSet"]
    assert facts["facts"][0] == {"title": "Siste verdi", "value": "27,4 % (3. kvartal 2026)"}
    (button,) = [a for e in body if e["type"] == "ActionSet" for a in e["actions"]]
    assert button == {
        "type": "Action.Execute",
        "title": "Vis graf",
        "verb": "show_chart",
        "data": {"action": "show_chart", "value": "PLL"},
        "style": "positive",
    }
    (small_print,) = body[-1]["inlines"]
    assert small_print == {
        "type": "TextRun",
        "text": "Kilde: Norsk helsenett & FHI <eksempeldata>",
        "size": "Small",
        "isSubtle": True,
    }
    assert content["lang"] == "nb" and content["fallbackText"] == activity["text"]


def test_a_reply_without_sections_shows_its_summary():
    """A refusal or an error says everything in its summary, so the card shows it."""
    reply = Reply(title="Ikke tilgang", summary="Toppnotat er bare for sekretariatet.", kind="refused")
    (activity,) = cards.reply_activities(reply, "nb")
    assert texts_of(check_activity(activity)) == ["Ikke tilgang", "Toppnotat er bare for sekretariatet."]
    (empty,) = cards.reply_activities(Reply(title="", summary=""), "en")
    assert (
        texts_of(check_activity(empty)) == ["Answer from Rådsbot"] and empty["text"] == "Answer from Rådsbot"
    )


@pytest.mark.slow
def test_rows_of_the_same_parts_become_a_table_and_others_a_list():
    """Items of three or more " · " parts each make a Table; mixed items stay bullet lines."""
    rows = tuple(f"Indikator {i} · {i},0 % · På sporet · +1" for i in range(30))
    reply = Reply(title="T", summary="s", sections=(Section(heading="Utvalgte", items=rows),))
    activities = cards.reply_activities(reply, "nb")
    tables = elements(activities, "Table")
    assert len(tables) >= 2 and all(len(t["rows"]) <= 25 and size(t) <= 12 * 1024 for t in tables)
    cells = [texts_of([{"body": row["cells"]}]) for t in tables for row in t["rows"]]
    assert cells == [row.split(" · ") for row in rows]
    mixed = Reply(title="T", summary="s", sections=(Section(items=("a · b · c", "bare tekst")),))
    texts = texts_of(check_activity(cards.reply_activities(mixed, "nb")[0]))
    assert texts[-2:] == ["• a · b · c", "• bare tekst"]


def test_buttons_of_every_style_and_many_of_them():
    """Seven buttons make two ActionSets (Teams shows six at most); styles map to Teams' names."""
    buttons = tuple(
        Button(f"B{i}", "show_chart", f"C{i}", ("", "primary", "danger")[i % 3]) for i in range(7)
    )
    activities = cards.reply_activities(
        Reply(title="T", summary="s", sections=(Section(buttons=buttons),)), "nb"
    )
    sets = elements(activities, "ActionSet")
    assert [len(s["actions"]) for s in sets] == [5, 2]
    actions = [a for s in sets for a in s["actions"]]
    assert [a.get("style") for a in actions[:3]] == [None, "positive", "destructive"]
    assert [a["data"]["value"] for a in actions] == [f"C{i}" for i in range(7)]


@pytest.mark.slow
def test_long_answers_continue_in_further_messages_without_losing_anything():
    """600 list items: several messages, each ≤ 28 KB, continued and numbered, every item once."""
    items = tuple(f"Sak {i}/26 Godkjenning av referatet fra møtet i rådet (Orientering)" for i in range(600))
    reply = Reply(title="Møter", summary="600 saker.", sections=(Section(heading="Saker", items=items),))
    activities = cards.reply_activities(reply, "nb")
    assert 1 < len(activities) <= cards.MAX_PAGES
    texts = [t for a in activities for t in texts_of(check_activity(a))]
    assert [t[2:] for t in texts if t.startswith("• ")] == list(items)
    assert activities[1]["text"] == f"Møter (forts. 2/{len(activities)})"
    assert texts.count("Svaret fortsetter i neste melding.") == len(activities) - 1
    assert cards.pages(reply, "nb") == len(activities)
    assert cards.page_activity(reply, "nb", 2) == activities[1]


@pytest.mark.slow
def test_what_does_not_fit_in_five_messages_is_named():
    """Far too much: five messages, the last saying how many parts were left out."""
    items = tuple(f"Punkt {i}: " + "tekst " * 40 for i in range(1500))
    activities = cards.reply_activities(
        Reply(title="Alt", summary="s", sections=(Section(items=items),)), "nb"
    )
    assert len(activities) == cards.MAX_PAGES
    for activity in activities:
        check_activity(activity)
    last = texts_of(check_activity(activities[-1]))[-1]
    left = int(last.split()[1])
    shown = sum(1 for a in activities for t in texts_of(check_activity(a)) if t.startswith("• "))
    assert last.startswith("… ") and "utelatt" in last and shown + left == len(items)


@pytest.mark.slow
def test_one_huge_text_and_fact_are_split_and_cut():
    """A 50,000-character text is split over messages; a 5,000-character fact is cut."""
    words = [f"ord{i}" for i in range(8000)]
    reply = Reply(
        title="T " * 200,
        summary="s",
        sections=(Section(text=" ".join(words), facts=(Fact("Lang", "v" * 5000),)),),
    )
    activities = cards.reply_activities(reply, "nb")
    texts = [t for a in activities for t in texts_of(check_activity(a))]
    assert " ".join(t for t in texts if t.startswith("ord")).split() == words
    (fact,) = [t for t in texts if t.startswith("Lang: ")]
    assert fact.endswith("…") and len(fact) < 1100
    assert len(texts[0]) <= 200 and texts[0].endswith("…")


def test_a_small_chart_goes_into_the_card_with_its_text_alternative():
    """A chart that fits stays in the answer's card, as a data: URI with altText."""
    reply = Reply(
        title="Graf: PLL",
        summary="Utviklingen for PLL.",
        sections=(Section(text="Med dagens trend anslås 32,9 %."),),
        attachments=(Attachment("pll.png", "Pasientens legemiddelliste", tiny_png()),),
    )
    (activity,) = cards.reply_activities(reply, "nb")
    (image,) = elements([activity], "Image")
    assert image["url"].startswith("data:image/png;base64,")
    assert image["altText"] == "Pasientens legemiddelliste. Med dagens trend anslås 32,9 %."
    described = Reply(
        title="G", summary="s", attachments=reply.attachments, meta={"alt:pll.png": "Beskrivelse"}
    )
    assert elements(cards.reply_activities(described, "nb"), "Image")[0]["altText"] == "Beskrivelse"
    assert elements(cards.reply_activities(reply, "nb", files=False), "Image") == []


def test_the_attachments_own_text_alternative_comes_first():
    """A chart that carries its description (Attachment.alt, from reports/chart_text.py) gets it."""
    if "alt" not in {f.name for f in dataclasses.fields(Attachment)}:
        pytest.skip("Attachment.alt comes with lead-a11y's branch")
    chart = Attachment("pll.png", "PLL", tiny_png(), alt="PLL har økt fra 0,3 % til 15 %.")
    reply = Reply(title="Graf", summary="s", sections=(Section(text="Vurdering."),), attachments=(chart,))
    assert (
        elements(cards.reply_activities(reply, "nb"), "Image")[0]["altText"]
        == "PLL har økt fra 0,3 % til 15 %."
    )


def test_a_chart_too_big_for_any_card_is_a_plain_image_message():
    """Random pixels compress to nothing: the picture goes as an image attachment of its own message."""
    png = noise_png(200, 200)
    assert len(png) > cards.MAX_ACTIVITY_BYTES
    reply = Reply(title="Graf", summary="s", attachments=(Attachment("x.png", "Støy", png),))
    first, second = cards.reply_activities(reply, "nb")
    check_activity(first)
    assert second["attachments"] == [
        {"contentType": "image/png", "contentUrl": cards.data_uri(png), "name": "x.png"}
    ]
    assert second["text"] == "Støy"


def test_a_hosted_chart_url_is_used_when_given():
    """With image_url the card links the picture instead of carrying it."""
    png = noise_png(200, 200)
    reply = Reply(title="Graf", summary="s", attachments=(Attachment("pll.png", "PLL", png),))
    url = "https://radsbot.example.no/indikator/PLL/graf.png"
    (activity,) = cards.reply_activities(reply, "nb", image_url=lambda a: url)
    (image,) = elements([activity], "Image")
    assert image["url"] == url and size(activity) < 2000


def test_a_word_document_is_left_to_the_file_consent_card():
    """A .docx is never in a reply's messages; its consent card names it, its size and the context."""
    doc = Attachment("toppnotat-40-25.docx", "Toppnotat 40/25", b"PK" + b"x" * 5000, DOCX)
    reply = Reply(title="Toppnotat 40/25", summary="Her er toppnotatet.", attachments=(doc,))
    (activity,) = cards.reply_activities(reply, "nb")
    assert "Image" not in json.dumps(activity)
    consent = cards.file_consent_activity(doc, "nb", {"key": "abc"})
    (attachment,) = consent["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.teams.card.file.consent"
    assert attachment["name"] == "toppnotat-40-25.docx"
    assert attachment["content"]["sizeInBytes"] == 5002
    assert attachment["content"]["acceptContext"] == {"key": "abc", "filename": "toppnotat-40-25.docx"}
    assert consent["text"] == "Toppnotat 40/25: godta for å lagre filen i OneDrive."
    with pytest.raises(ValueError):
        cards.file_activity(doc, "nb")
    info = cards.file_info_activity("a.docx", "https://x/a.docx", "u1", "docx")["attachments"][0]
    assert info["contentType"] == "application/vnd.microsoft.teams.card.file.info"
    assert info["content"] == {"uniqueId": "u1", "fileType": "docx"}


def test_button_presses_are_read_back_from_invokes_and_submits():
    """Action.Execute's invoke value and an Action.Submit's data give (action, value); junk gives None."""
    action = cards.reply_card(card("PLL"), "nb")["body"][4]["actions"][0]
    invoke_value = {"action": {"type": "Action.Execute", "verb": action["verb"], "data": action["data"]}}
    assert cards.button_of(invoke_value) == ("show_chart", "PLL")
    assert cards.button_of({"action": "publish_digest", "value": 12}) == ("publish_digest", "12")
    for junk in (None, {}, {"action": {"verb": "x"}}, {"action": 3}, "text", {"action": {"data": "x"}}):
        assert cards.button_of(junk) is None


def test_the_invoke_response_carries_the_replacement_card():
    """An adaptiveCard/action is answered with 200 and the new card."""
    response = cards.card_response(card("PLL"), "nb")
    assert response["statusCode"] == 200 and response["type"] == cards.CARD_TYPE
    assert errors(card_validator(), response["value"]) == []


@pytest.mark.slow
def test_fit_png_makes_a_chart_smaller_but_not_too_small():
    """A chart is re-encoded to fit (fewer colours, then fewer pixels, not below the minimum width);
    a picture that fits is kept as it is, and bytes that are no picture give None."""
    picture = Image.new("RGBA", (1200, 800), (255, 255, 255, 0))
    rng = random.Random(3)
    for _ in range(4000):
        picture.putpixel((rng.randrange(1200), rng.randrange(800)), (0, 114, 178, 255))
    out = io.BytesIO()
    picture.save(out, "PNG")
    png = out.getvalue()
    assert fit_png(png, uri_size(png), 600) == png
    smaller = fit_png(png, uri_size(png) // 2, 300)
    assert smaller is not None and uri_size(smaller) <= uri_size(png) // 2
    assert 300 <= Image.open(io.BytesIO(smaller)).size[0] <= 1200
    assert fit_png(png, 2000, 600) is None
    assert fit_png(b"not a png", 10, 600) is None


# The real engine over the seeded database: every kind of question in the help text, and more.

QUESTIONS = (
    "status PLL",
    "hvordan går det med velferdsteknologi?",
    "hva er ambisjonen for innbyggers tillit?",
    "hvilken kilde har digital dialog med fastlege?",
    "hvor mange kommuner har digital hjemmeoppfølging?",
    "graf PLL",
    "graf mål 3",
    "vis utvikling for digital hjemmeoppfølging",
    "indikator 2.3",
    "oversikt",
    "dashbord",
    "mål 3",
    "overordnet mål bærekraftig helse- og omsorgssektor",
    "hvilke indikatorer hører til mål 1?",
    "neste møte",
    "neste møte i NUIT",
    "neste fagrådsmøte",
    "møter i 2026",
    "møte 20.11.2025",
    "sak 40/25",
    "sak 6/26 i fagrådet",
    "saker på neste møte",
    "saker til NUIT 4/2025",
    "neste sammendrag",
    "råd",
    "råd vis nuit",
    "hjelp",
    "takk",
    "PLX",
    "status EPJ",
    "xyzzy",
    "sak 99/19",
    "next meeting in the strategy council",
)
STAFF_ONLY = ("toppnotat 40/25", "innkalling neste NUIT-møte", "sammendrag nuit")


@pytest.fixture
def staff(session) -> str:
    """A chat user with the staff role."""
    grant(session, "U_STAFF", "staff")
    session.commit()
    return "U_STAFF"


@pytest.mark.slow
def test_every_answer_of_the_engine_is_a_valid_card(chat, staff):
    """Every kind of question (as a member and as staff), the buttons, the error: valid and ≤ 28 KB."""
    replies = [chat.answer(q, user="U_MEMBER") for q in (*QUESTIONS, *STAFF_ONLY)]
    replies += [chat.answer(q, user=staff) for q in STAFF_ONLY]
    replies += [chat.action("show_chart", "PLL"), chat.action("show_goal_chart", "mal3"), chat._error()]
    replies.append(chat.home())
    kinds = {r.kind for r in replies}
    assert {"answer", "not_found", "ambiguous", "refused", "error", "help"} <= kinds
    for reply in replies:
        activities = cards.reply_activities(reply, "nb")
        for activity in activities:
            check_activity(activity)
        shown = json.dumps(activities, ensure_ascii=False)
        assert reply.title.split()[0] in shown, reply.title
        for button in (b for s in reply.sections for b in s.buttons):
            assert f'"verb": "{button.action}"' in json.dumps(activities)
    charts = [r for r in replies if any(a.is_image for a in r.attachments)]
    assert len(charts) >= 4
    for reply in charts:
        images = elements(cards.reply_activities(reply, "nb"), "Image")
        (chart,) = reply.attachments
        described = getattr(chart, "alt", "")  # Attachment.alt: on main, not yet on this branch
        assert images and all(i["altText"].startswith((described or chart.title)[:60]) for i in images)


@pytest.mark.slow
def test_english_answers_are_valid_cards_too(db_url):
    """The same questions with RADSBOT_LANGUAGE=en."""
    from radsbot.bot.bootstrap import Context
    from radsbot.bot.engine import Engine
    from radsbot.bot.settings import Settings

    from tests.conftest import CHAT_TODAY

    context = Context(Settings(DATABASE_URL=db_url, RADSBOT_LANGUAGE="en"))
    try:
        engine = Engine(context, today=lambda: CHAT_TODAY)
        for question in ("help", "status PLL", "overview", "next meeting", "chart PLL", "case 40/25"):
            for activity in cards.reply_activities(engine.answer(question), "en"):
                (content,) = check_activity(activity)
                assert content["lang"] == "en"
    finally:
        context.close()


@pytest.mark.slow
def test_digest_overview_goal_replies_and_preview_are_valid_cards(session):
    """A council's digest with its real charts: the overview, each goal with its chart (altText),
    and the preview's Publiser / Avbryt as Action.Execute carrying verb and ledger id."""
    from radsbot.bot.digest_replies import digest_replies
    from radsbot.bot.digest_thread import preview_replies
    from radsbot.data.councils import council_by_name
    from radsbot.reports.digest import build_digest

    from tests.conftest import CHAT_TODAY

    digest = build_digest(session, council_by_name(session, "nuit"), None, today=CHAT_TODAY)
    replies = digest_replies(digest, "nb")
    threads = cards.digest_activities(replies, "nb")
    assert len(threads) == len(replies)
    for reply, activities in zip(replies, threads, strict=True):
        shown = texts_of([c for a in activities for c in check_activity(a)])
        assert shown[0] == reply.title
        for attachment in reply.attachments:
            images = elements(activities, "Image")
            described = getattr(attachment, "alt", "") or attachment.title
            assert len(images) == 1 and images[0]["altText"].startswith(described[:60])
    goals = [r for r in replies if r.meta.get("digest") == "goal" and r.attachments]
    assert len(goals) == len(digest.goals)
    preview = cards.digest_activities(preview_replies(replies, 42, "nb"), "nb")[0]
    buttons = [a for s in elements(preview, "ActionSet") for a in s["actions"]]
    assert [(b["title"], b["verb"], b["data"], b["style"]) for b in buttons] == [
        ("Publiser", "publish_digest", {"action": "publish_digest", "value": "42"}, "positive"),
        ("Avbryt", "cancel_digest", {"action": "cancel_digest", "value": "42"}, "destructive"),
    ]
    assert "Forhåndsvisning" in texts_of(check_activity(preview[0]))[:4]


def test_stored_text_is_shown_literally_not_as_markdown():
    """Codes with underscores, asterisks and numbered lines go into TextRuns, which take no markdown."""
    text = "DHO_KOMMUNE og KI_LOSNINGER_SPESIALIST: *ikke* kursiv\n1. ikke en liste"
    reply = Reply(title="T", summary="s", sections=(Section(text=text, items=("P23_2_3 – __x__",)),))
    (activity,) = cards.reply_activities(reply, "nb")
    runs = [r for e in elements([activity], "RichTextBlock") for r in e["inlines"]]
    assert [r["text"] for r in runs] == [
        "DHO_KOMMUNE og KI_LOSNINGER_SPESIALIST: *ikke* kursiv",
        "1. ikke en liste",
        "• P23_2_3 – __x__",
    ]
    assert [e["text"] for e in elements([activity], "TextBlock")] == ["T"]


def test_the_worst_case_for_size_still_fits():
    """Emoji everywhere (12 bytes each in \\u escapes): long title, notice, facts, items, buttons."""
    emoji = "😀"
    reply = Reply(
        title=emoji * 300,
        summary=emoji * 2000,
        notice=emoji * 3000,
        sections=tuple(
            Section(
                heading=emoji * 300,
                text=emoji * 2500,
                facts=tuple(Fact(emoji * 200, emoji * 1500) for _ in range(20)),
                items=tuple(emoji * 1200 for _ in range(5)),
                buttons=tuple(Button(emoji * 100, "show_chart", emoji * 600) for _ in range(8)),
                context=emoji * 1500,
            )
            for _ in range(3)
        ),
    )
    activities = cards.reply_activities(reply, "nb")
    assert len(activities) == cards.MAX_PAGES
    for activity in activities:
        check_activity(activity)


reply_texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=reply_texts,
    summary=reply_texts,
    notice=reply_texts,
    sections=st.lists(
        st.builds(
            Section,
            heading=reply_texts,
            text=st.text(max_size=3000),
            facts=st.lists(st.builds(Fact, reply_texts, reply_texts), max_size=20).map(tuple),
            items=st.lists(reply_texts, max_size=40).map(tuple),
            buttons=st.lists(
                st.builds(Button, reply_texts, st.just("show_chart"), reply_texts), max_size=8
            ).map(tuple),
            context=reply_texts,
        ),
        max_size=6,
    ),
)
@pytest.mark.slow
def test_any_reply_makes_valid_cards_within_the_limit(title, summary, notice, sections):
    """Whatever a Reply holds, its activities are valid 1.5 cards of at most 28 KB with a text."""
    reply = Reply(title=title, summary=summary, notice=notice, sections=tuple(sections))
    activities = cards.reply_activities(reply, "nb")
    assert 1 <= len(activities) <= cards.MAX_PAGES
    for activity in activities:
        check_activity(activity)
