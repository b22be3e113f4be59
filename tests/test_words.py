"""The message catalogue: complete in both languages, exactly what the code says, and English answers
that are English.

What the code says is read the way `pybabel extract -F babel.cfg` reads it, so a message the
catalogues lack, a stale one, a translation with other fields than its msgid, and a message
extraction cannot see (a catalogue call inside an f-string) all fail here.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from radsbot.data.words import (
    LANGUAGES,
    N_n,
    N_p,
    Number,
    catalogue_path,
    did_you_mean,
    join,
    msg,
    msg_n,
    verbatim,
    words,
)
from sqlalchemy import JSON, String, Text, select

from tests.conftest import CHAT_TODAY

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("bot", "reports", "data")
POT = ROOT / "data" / "locale" / "radsbot.pot"
# The names messages are marked with (babel.cfg declares the deferred ones as keywords).
CATALOGUE_CALLS = {
    "_",
    "gettext",
    "ngettext",
    "pgettext",
    "npgettext",
    "msg",
    "msg_n",
    "msg_p",
    "N_",
    "N_p",
    "N_n",
}
# What users type, not what they read: the words and patterns the parser understands.
INPUT_VOCABULARY = frozenset({"bot/phrases.py", "bot/vocabulary.py"})
# Words of bokmål (and nynorsk) that English does not use: a sentence with one of them is Norwegian.
NORWEGIAN = frozenset(
    re.findall(
        r"\S+",
        """
        og ikke er til med som av det ingen har kan må skal fra etter før eller hvis når hva hvor
        hvilken finnes fant mangler skriv prøv igjen rett feil ugyldig filen verdien brukes mappen
        ble jeg ett én sak saker saken møte møter møtet mål målet siste verdi ambisjon ambisjonen
        vurdering kilde oppdatering eksempeldata kvartal innen dager dag prosentpoeng endring år
        ukjent gyldige mente disse ennå enda også kun alle nye endret uendret lagret råd rådet
        rådets kanal sekretariatet tilgang dokumentet innkalling toppnotat sammendrag graf januar
        februar mai juni juli oktober desember planlagt avholdt avlyst foreslått vedtatt klar årlig
        løpende
        """,
    )
)
# Commands the parser takes in either language, shown on a button's console line ("skriv «graf PLL»").
COMMANDS = frozenset({"graf"})


def extracted() -> dict[tuple[str, str], object]:
    """Every message the code marks, by (context, msgid), as `pybabel extract -F babel.cfg` finds it."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {}
    for layer in LAYERS:
        for _file, _line, message, _comments, context in extract_from_dir(
            str(ROOT / layer), method_map, options_map
        ):
            key = message if isinstance(message, str) else message[0]
            found[(context or "", key)] = message
    return found


def catalogue(lang: str):
    """A language's catalogue as Babel reads it."""
    with catalogue_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def entries(cat) -> dict[tuple[str, str], object]:
    """The catalogue's messages (not its header) by (context, msgid)."""
    return {(m.context or "", m.id if isinstance(m.id, str) else m.id[0]): m for m in cat if m.id}


def fields(text: str) -> set[str]:
    """The names of a message's {fields}."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


# --- the catalogue ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_catalogues_hold_exactly_the_messages_the_code_marks():
    found = set(extracted())
    for lang in LANGUAGES:
        held = set(entries(catalogue(lang)))
        missing, stale = sorted(found - held), sorted(held - found)
        assert not missing, (
            f"messages missing in {lang}; extract, update and translate them (README): {missing}"
        )
        assert not stale, f"stale messages in {lang} (the code no longer says them): {stale}"
    with POT.open("rb") as handle:
        template = set(entries(read_po(handle)))
    assert template == found, "data/locale/radsbot.pot is not what pybabel extract gives; extract it again"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated_with_exactly_its_fields(lang):
    for (context, msgid), message in entries(catalogue(lang)).items():
        where = f"{lang}: {context + ' | ' if context else ''}{msgid!r}"
        if isinstance(message.id, str):
            assert message.string.strip(), f"{where} has no translation"
            assert fields(message.string) == fields(message.id), (
                f"{where}: other fields in {message.string!r}"
            )
        else:
            forms = message.string
            assert len(forms) == 2 and all(f.strip() for f in forms), f"{where} lacks a plural form"
            wanted = fields(message.id[0]) | fields(message.id[1])
            assert all(fields(f) <= wanted for f in forms), f"{where}: unknown fields in {forms}"
            assert set().union(*(fields(f) for f in forms)) == wanted, f"{where}: a field is never shown"


@pytest.mark.slow
def test_the_documented_pybabel_commands_find_the_catalogues_up_to_date(tmp_path):
    """README's workflow: extract to a template, then `pybabel update --check` changes nothing."""
    pybabel = Path(sys.executable).with_name("pybabel")
    pot = tmp_path / "radsbot.pot"
    extract = [
        str(pybabel),
        "-q",
        "extract",
        "-F",
        "babel.cfg",
        "--no-location",
        "--sort-output",
        "-o",
        str(pot),
    ]
    subprocess.run([*extract, *LAYERS], cwd=ROOT, check=True, capture_output=True, timeout=120)
    check = [str(pybabel), "-q", "update", "--check", "-i", str(pot), "-d", "data/locale", "-D", "radsbot"]
    flags = ["--ignore-obsolete", "--no-fuzzy-matching", "--ignore-pot-creation-date"]
    out = subprocess.run([*check, *flags], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr


# --- the code --------------------------------------------------------------------------------------


def modules() -> list[tuple[str, ast.Module]]:
    """Every module of the three layers that users' words can come from, parsed."""
    found = []
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith(("data/templates/", "data/migrations/")):
                continue  # a development tool, and the schema's history
            found.append((rel, ast.parse(path.read_text(encoding="utf-8"))))
    assert "bot/engine.py" in dict(found), "the scan found no code: every check would pass"
    return found


def called(node: ast.AST) -> str:
    """The name a call calls: `_` for `req._(…)`, `msg` for `msg(…)`."""
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


@pytest.mark.slow
def test_every_catalogue_call_is_seen_by_extraction():
    """A call inside an f-string is not extracted; a msgid built at run time cannot be translated."""
    problems = []
    for rel, tree in modules():
        in_fstrings = {id(n) for j in ast.walk(tree) if isinstance(j, ast.JoinedStr) for n in ast.walk(j)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or called(node) not in CATALOGUE_CALLS or not node.args:
                continue
            if id(node) in in_fstrings:
                problems.append(f"{rel}:{node.lineno}: {called(node)}(…) inside an f-string")
            msgid = (
                node.args[1] if called(node) in ("pgettext", "npgettext", "msg_p", "N_p") else node.args[0]
            )
            if isinstance(msgid, ast.JoinedStr | ast.BinOp | ast.Call):
                problems.append(f"{rel}:{node.lineno}: the msgid of {called(node)}(…) is built at run time")
    assert not problems, "\n".join(problems)


def norwegian(text: str) -> bool:
    """Whether a text reads as bokmål: its letters æ, ø, å, or a word English does not have."""
    found = re.findall(r"[a-zæøå]+", text.replace("Rådsbot", "").lower())
    return bool(re.search(r"[æøå]", "".join(found))) or any(w in NORWEGIAN for w in found)


@pytest.mark.slow
def test_no_sentence_for_users_is_written_outside_the_catalogue():
    """Texts users read are catalogue messages; a bokmål sentence anywhere else is one that is not."""
    problems = []
    for rel, tree in modules():
        if rel in INPUT_VOCABULARY:
            continue
        allowed: set[int] = set()
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
                allowed.add(id(body[0].value))  # docstrings are for developers
            if isinstance(node, ast.Dict):
                allowed |= {id(k) for k in node.keys if k is not None}  # keys of stored or typed values
            if isinstance(node, ast.Set):
                allowed |= {id(e) for e in node.elts}  # words users type
            if isinstance(node, ast.Call):
                ignored = list(node.args) if called(node) in CATALOGUE_CALLS | {"compile"} else []
                # click's --help texts and metavars are bokmål by design (bot/cli/__init__.py).
                ignored += [k.value for k in node.keywords if k.arg in ("help", "metavar")]
                allowed |= {id(n) for arg in ignored for n in ast.walk(arg)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or id(node) in allowed:
                continue
            if " " in node.value.strip() and norwegian(node.value):
                problems.append(f"{rel}:{node.lineno}: {node.value[:80]!r}")
    assert not problems, "bokmål outside the catalogue:\n" + "\n".join(problems)


# --- the words -------------------------------------------------------------------------------------


def test_messages_are_put_into_each_language_when_shown():
    day = msg_n("{value} day", "{value} days", 1, value="1")
    assert (day.text("nb"), day.text("en")) == ("1 dag", "1 day")
    days = N_n("{value} day", "{value} days").fill(2, value="2")
    assert (days.text("nb"), days.text("en")) == ("2 dager", "2 days")
    status = N_p("meeting status", "planned")
    assert (status.text("nb"), status.text("en")) == ("planlagt", "planned")
    nested = msg(
        "No meeting is planned{where} after {day}.",
        where=msg(" in {council}", council="X"),
        day=dt.date(2026, 1, 2),
    )
    assert nested.text("nb") == "Det er ikke planlagt noe møte i X etter 02.01.2026."
    assert nested.text("en") == "No meeting is planned in X after 02/01/2026."
    choices = did_you_mean(["a", "b", "c"])
    assert (choices.text("nb"), choices.text("en")) == (
        "Mente du «a», «b» eller «c»?",
        "Did you mean «a», «b» or «c»?",
    )
    size = join(verbatim("{size} MB").fill(size=Number(20.5, 1)), msg("Cancelled."))
    assert (size.text("nb"), size.text("en")) == ("20,5 MB Avbrutt.", "20.5 MB Cancelled.")
    assert str(day) == "1 dag"  # the default language, for logs and the audit log
    assert words("de") is words("nb")  # a language the catalogue lacks gets bokmål


def test_a_domain_error_is_told_in_the_readers_language(session):
    from radsbot.data.agenda import AgendaError, find_case

    with pytest.raises(AgendaError) as caught:
        find_case(session, "99/25")
    assert str(caught.value) == "Fant ingen sak med nummer 99/25."
    assert caught.value.text("en") == "Found no case numbered 99/25."


# --- English answers -------------------------------------------------------------------------------


def stored_texts(session) -> list[str]:
    """Every text stored in the database (names, narratives, case texts …), longest first."""
    from radsbot.data.models import Base

    texts: set[str] = set()
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        for row in session.execute(select(*columns)) if columns else ():
            for value in row:
                items = value if isinstance(value, list) else [value]
                for item in items:
                    for text in _strings(item):
                        texts |= {t for t in (text, *re.split(r"\n|(?<=\.) ", text)) if _shown_as_stored(t)}
    return sorted((" ".join(t.split()) for t in texts), key=len, reverse=True)


def _shown_as_stored(text: str) -> bool:
    """Texts readers see as stored: names and sentences; not codes of stored values ("foreslått",
    "klar"), which every surface puts into the reader's language."""
    text = text.strip()
    return len(text) > 1 and (" " in text or text[0].isupper())


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def nb_only_phrases() -> list[str]:
    """Runs of words of the bokmål catalogue that the English one does not have (four words or more)."""
    english = " ".join(
        " ".join(m.string) if isinstance(m.string, tuple) else m.string
        for m in entries(catalogue("en")).values()
    )
    phrases = set()
    for m in entries(catalogue("nb")).values():
        for text in m.string if isinstance(m.string, tuple) else (m.string,):
            for piece in re.split(r"\{[^}]*\}|[«»“”()\n]", text):
                piece = " ".join(piece.split()).strip(" .,:;–")
                if len(piece.split()) >= 4 and piece not in english:
                    phrases.add(piece)
    return sorted(phrases)


def examples(cli, lang: str) -> list[str]:
    """The example questions the help text lists in a language."""
    code, out, _ = cli("ask", "help", RADSBOT_LANGUAGE=lang)
    assert code == 0
    return [line.strip()[3:-1] for line in out.splitlines() if line.strip().startswith("• ")]


@pytest.mark.slow
def test_english_answers_to_every_kind_of_question_are_english(cli, session):
    """RADSBOT_LANGUAGE=en: no bokmål reaches the reader but the stored texts, shown as stored.

    Every example of the help text (asked in English and in bokmål), and answers that are errors.
    """
    assert cli("access", "grant", "U_STAFF", "staff")[0] == 0
    questions = examples(cli, "en") + examples(cli, "nb")
    assert len(questions) >= 40
    questions += ["toppnotat 99/25", "innkalling 9/2031", "sak 99/25", "mål 9", "xyzzy", "hvilken kilde har"]
    stored = stored_texts(session)
    leaks = nb_only_phrases()
    found = []
    for question in questions:
        code, out, err = cli(
            "ask", "--as", "U_STAFF", "--today", CHAT_TODAY.isoformat(), question, RADSBOT_LANGUAGE="en"
        )
        assert code == 0 and not err, (question, out, err)
        text = " ".join(out.split())
        # What the asker wrote, when an answer quotes it ("“xyzzy” not found").
        text = re.sub(
            r"“([^”]*)”", lambda m, q=question: " " if m[1].casefold() in q.casefold() else m[0], text
        )
        for shown in stored:
            text = text.replace(shown, " ")
        text = re.sub(r"\S+\.(docx|png)\b", " ", text)  # file names
        said = [w for w in re.findall(r"[A-Za-zÆØÅæøå]+", text) if w.lower() not in COMMANDS]
        words_found = [w for w in said if norwegian(w)]
        phrases = [p for p in leaks if p in text]
        if words_found or phrases:
            found.append(f"{question!r}: {sorted(set(words_found))} {phrases} in {text[:300]!r}")
    assert not found, "\n".join(found)
