"""The plain-text renderer: headings, aligned facts, bullets, buttons as commands, no markup."""

from __future__ import annotations

from radsbot.bot.render.text import to_text
from radsbot.bot.replies import Attachment, Button, Fact, Reply, Section


def card() -> Reply:
    """A reply using every part of the neutral model."""
    return Reply(
        title="Pasientens legemiddelliste (PLL)",
        summary="PLL: 14,2 % (3. kvartal 2026) – På sporet.",
        notice="Eksempeldata: noen av tallene er eksempeldata.",
        sections=(
            Section(
                text="Innledning.",
                facts=(Fact("Siste verdi", "14,2 %"), Fact("Oppdatering", "Løpende")),
                context="Kilde: NHN",
            ),
            Section(heading="Vurdering", text="Med dagens trend anslås 37,2 %."),
            Section(heading="Delindikatorer", items=("DDFL – 75,5 %", "DIGIHELSE – ingen målinger")),
            Section(buttons=(Button("Vis graf", "show_chart", "PLL"),)),
        ),
        attachments=(Attachment("pll.png", "Pasientens legemiddelliste", b"\x89PNG"),),
    )


def test_every_part_is_shown_in_order():
    text = to_text(card())
    order = [
        "Pasientens legemiddelliste (PLL)",
        "PLL: 14,2 %",
        "! Eksempeldata",
        "Innledning.",
        "Siste verdi",
        "Kilde: NHN",
        "Vurdering",
        "Med dagens trend",
        "• DDFL – 75,5 %",
        "• DIGIHELSE",
        "Vis graf: skriv «graf PLL»",
        "[Pasientens legemiddelliste (pll.png)]",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)


def test_fact_values_are_aligned_in_one_column():
    lines = to_text(card()).splitlines()
    fact_lines = [line for line in lines if "Siste verdi" in line or "Oppdatering" in line]
    columns = {line.index("14,2 %") if "14,2" in line else line.index("Løpende") for line in fact_lines}
    assert len(columns) == 1


def test_headings_are_underlined_to_their_length():
    lines = to_text(card()).splitlines()
    i = lines.index("Vurdering")
    assert lines[i + 1] == "─" * len("Vurdering")
    assert lines[1] == "═" * len(lines[0])


def test_long_text_is_wrapped_to_the_width():
    reply = Reply(title="T", summary="ord " * 200, sections=(Section(items=("langt punkt " * 40,)),))
    lines = to_text(reply, width=60).splitlines()
    assert max(len(line) for line in lines) <= 60
    bullet = next(i for i, line in enumerate(lines) if line.startswith("  • "))
    assert lines[bullet + 1].startswith("    ")  # continuation lines hang under the bullet text


def test_saved_attachments_show_their_path():
    text = to_text(card(), saved={"pll.png": "/tmp/grafer/pll.png"})
    assert "/tmp/grafer/pll.png" in text


def test_english_button_hint():
    assert "type “graf PLL”" in to_text(card(), lang="en")


def test_no_slack_markup_in_the_output():
    text = to_text(card())
    for markup in ("*", "<", ">", "```", "&amp;"):
        assert markup not in text


def test_an_empty_reply_renders_without_error():
    assert to_text(Reply(title="", summary="")) == "\n"
