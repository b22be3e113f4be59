"""Hostile Word templates: code injection, size and time bombs, and failures while filling in.

Each template is a real .docx built with python-docx. An injection payload that would create a
marker file is first shown to work with plain Jinja (so the test proves something), then must be
refused by the document functions and the CLI with nothing run and nothing written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from docx_readback import open_docx, written_template
from jinja2 import Environment
from radsbot.data.access import audit_entries
from radsbot.data.agenda import find_case
from radsbot.data.meeting_refs import find_meeting
from radsbot.reports import formatting as fmt
from radsbot.reports.documents import TemplateProblem, render, template_source
from radsbot.reports.innkalling import innkalling_docx
from radsbot.reports.template_limits import LIMITS, Limits
from radsbot.reports.toppnotat import build_context, toppnotat_docx
from sqlalchemy.orm import Session

TODAY = dt.date(2026, 11, 22)
PAPER = "{{ sak.saksnummer }} {{ sak.tittel }}"  # the fields a toppnotat template must use
NOTICE = "{{ møte.nummer }}{% for s in saker %}{{ s.tittel }}{% endfor %}"
TOUCH = "'touch MARKER'"

# (id, payload, what the refusal names). MARKER becomes the path of a file the payload would make.
INJECTIONS = [
    ("lipsum", f"{{{{ lipsum.__globals__['os'].popen({TOUCH}).read() }}}}", "Ukjent felt «lipsum»"),
    (
        "mro",
        "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == 'Popen' %}"
        "{{ c(['touch', 'MARKER']).wait() }}{% endif %}{% endfor %}",
        "«''.__class__»: navn som begynner med «_»",
    ),
    ("cycler", f"{{{{ cycler.__init__.__globals__.os.popen({TOUCH}).read() }}}}", "Ukjent felt «cycler»"),
    ("joiner", f"{{{{ joiner.__init__.__globals__.os.popen({TOUCH}).read() }}}}", "Ukjent felt «joiner»"),
    (
        "namespace",
        f"{{{{ namespace.__init__.__globals__.os.popen({TOUCH}).read() }}}}",
        "Ukjent felt «namespace»",
    ),
    (
        "self",
        f"{{{{ self.__init__.__globals__.__builtins__.__import__('os').popen({TOUCH}).read() }}}}",
        "Ukjent felt «self»",
    ),
    (
        "attr-filter",
        f"{{{{ (sak|attr('__class__')|attr('__init__')|attr('__globals__'))['__builtins__']"
        f"['__import__']('os').popen({TOUCH}).read() }}}}",
        "filteret «attr» kan ikke brukes i maler",
    ),
    (
        "subscripts",
        f"{{{{ sak['__class__']['__init__']['__globals__']['__builtins__']['__import__']('os')"
        f".popen({TOUCH}).read() }}}}",
        "«sak['__class__']»: navn som begynner med «_»",
    ),
    (
        "set-alias",
        f"{{% set g = sak.__class__.__init__.__globals__ %}}{{% set o = g.__builtins__.__import__('os') %}}"
        f"{{{{ o.popen({TOUCH}).read() }}}}",
        "«sak.__class__»: navn som begynner med «_»",
    ),
    (
        "set-shadows-a-field",
        f"{{% set sak = joiner %}}{{{{ sak.__init__.__globals__.os.popen({TOUCH}).read() }}}}",
        "Ukjent felt «joiner»",
    ),
    (
        "dynamic-keys",
        "{% set u = '_' ~ '_' %}{{ sak[u ~ 'class' ~ u][u ~ 'init' ~ u][u ~ 'globals' ~ u]"
        f"[u ~ 'builtins' ~ u][u ~ 'import' ~ u]('os')[('po' ~ 'pen')]({TOUCH})[('re' ~ 'ad')]() }}}}",
        "«__class__» kan ikke brukes i maler",
    ),
    (
        "map-attr",
        f"{{{{ ([sak]|map('attr', '__class__')|map('attr', '__init__')|map('attr', '__globals__')|first)"
        f"['__builtins__']['__import__']('os').popen({TOUCH}).read() }}}}",
        "filteret «attr» kan ikke brukes i maler",
    ),
    (
        "macro",
        "{% macro m() %}{% endmacro %}{{ m._func.__globals__.environment.__class__.__init__"
        f".__globals__.os.popen({TOUCH}).read() }}}}",
        "«m._func»: navn som begynner med «_»",
    ),
    (
        "caller",
        "{% macro m() %}{{ caller._func.__globals__.environment.__class__.__init__.__globals__.os"
        f".popen({TOUCH}).read() }}}}{{% endmacro %}}{{% call m() %}}x{{% endcall %}}",
        "«caller._func»: navn som begynner med «_»",
    ),
    (
        "loop",
        "{% for x in [1] %}{{ loop.__class__.__init__.__globals__.__builtins__.__import__('os')"
        f".popen({TOUCH}).read() }}}}{{% endfor %}}",
        "«loop.__class__»: navn som begynner med «_»",
    ),
    (
        "macro-default",
        f"{{% macro m(x=joiner.__init__.__globals__.os.popen({TOUCH}).read()) %}}{{{{ x }}}}{{% endmacro %}}"
        "{{ m() }}",
        "Ukjent felt «joiner»",
    ),
]
# Refused too, but no file to prove it with: globals of other frameworks, format-string look-ups.
LEAKS = [
    ("request", "{{ request.application.__globals__ }}", "Ukjent felt «request»"),
    ("config", "{{ config.items() }}", "Ukjent felt «config»"),
    (
        "format-string",
        "{{ '{0.__class__.__init__.__globals__}'.format(sak) }}",
        "metoden «format» kan ikke brukes i maler",
    ),
    ("printf", "{{ '%s' % sak }}", "tekstformatering med % kan ikke brukes"),
    ("figur-template", "{{ figur.tpl.docx }}", "«tpl» er ikke et felt eller en metode i malspråket"),
    ("include", "{% include '/etc/passwd' %}", "«{% include %}» kan ikke brukes i maler"),
    ("import", "{% from 'os' import popen %}", "«{% from … import %}» kan ikke brukes i maler"),
    ("autoescape-off", "{% autoescape false %}{{ sak.tittel }}{% endautoescape %}", "«{% autoescape %}»"),
    ("namespace-set", "{% set sak.tittel = 'x' %}", "«{% set sak.tittel = … %}» kan ikke brukes i maler"),
]


@pytest.fixture
def case(session: Session):
    """Case 41/25 of NUIT, with a case paper."""
    return find_case(session, "41/25", "nuit")


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    """A file an injected command would create."""
    return tmp_path / "pwned"


def payload_for(text: str, marker: Path) -> str:
    return text.replace("MARKER", str(marker))


def plain_jinja(session: Session, case, text: str) -> str:
    """What the payload does in a plain Jinja environment, as templates were rendered before."""
    context = build_context(session, case, today=TODAY)
    values = {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
    return Environment().from_string(text).render(values)


@pytest.mark.slow
@pytest.mark.parametrize(("payload", "named"), [p[1:] for p in INJECTIONS], ids=[p[0] for p in INJECTIONS])
def test_injected_code_is_refused_and_nothing_runs(session: Session, case, tmp_path, marker, payload, named):
    text = payload_for(payload, marker)
    plain_jinja(session, case, text)
    assert marker.exists(), "the payload should run in a plain Jinja environment"
    marker.unlink()
    evil = written_template(tmp_path, PAPER, f"Notat: {text}")
    with pytest.raises(TemplateProblem) as caught:
        toppnotat_docx(session, case, today=TODAY, template=evil, chart=False)
    message = str(caught.value)
    assert named in message
    assert "Notat:" in message  # the visible text around the expression
    assert "Ingen fil er skrevet" in message
    assert not marker.exists()


@pytest.mark.slow
@pytest.mark.parametrize(("payload", "named"), [p[1:] for p in LEAKS], ids=[p[0] for p in LEAKS])
def test_reaching_outside_the_vocabulary_is_refused(session: Session, case, tmp_path, payload, named):
    evil = written_template(tmp_path, PAPER, payload)
    with pytest.raises(TemplateProblem) as caught:
        toppnotat_docx(session, case, today=TODAY, template=evil, chart=False)
    assert named in str(caught.value)


def test_format_string_look_up_leaks_without_the_sandbox(session: Session, case):
    leaked = plain_jinja(session, case, "{{ '{0.__init__.__globals__[os].environ}'.format(cycler) }}")
    assert "PATH" in leaked  # the environment, with any secret in it


@pytest.mark.parametrize("where", ["header", "title"])
def test_payload_in_the_page_header_or_the_document_title_is_found(
    session: Session, case, tmp_path, marker, where
):
    text = payload_for(INJECTIONS[0][1], marker)
    evil = written_template(tmp_path, PAPER, **{where: text})
    with pytest.raises(TemplateProblem) as caught:
        toppnotat_docx(session, case, today=TODAY, template=evil, chart=False)
    label = "toppteksten" if where == "header" else "dokumentegenskapen «title»"
    assert f"Ukjent felt «lipsum». (i {label}, ved «" in str(caught.value)
    assert not marker.exists()


@pytest.mark.slow
def test_cli_toppnotat_refuses_an_injecting_template(cli, session: Session, tmp_path, marker):
    evil = written_template(tmp_path, PAPER, payload_for(INJECTIONS[2][1], marker), name="evil.docx")
    out = tmp_path / "x.docx"
    code, stdout, stderr = cli(
        "toppnotat", "41/25", "--council", "nuit", "--template", str(evil), "--out", str(out)
    )
    assert code == 1, stdout
    assert "Ukjent felt «cycler»" in stderr and "Ingen fil er skrevet" in stderr
    assert "Traceback" not in stderr
    assert not out.exists() and not marker.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.docx"]
    entry = audit_entries(session, limit=1, action="toppnotat")[0]
    assert entry.outcome == "failed"


@pytest.mark.slow
def test_cli_innkalling_refuses_an_injecting_template(cli, session: Session, tmp_path, marker):
    payload = payload_for(INJECTIONS[1][1], marker)  # ''.__class__.__mro__ …
    evil = written_template(tmp_path, NOTICE, payload, name="evil.docx")
    out = tmp_path / "x.docx"
    code, _, stderr = cli(
        "innkalling", "4/2025", "--council", "nuit", "--template", str(evil), "--out", str(out)
    )
    assert code == 1
    assert "navn som begynner med «_» kan ikke brukes i maler" in stderr
    assert not out.exists() and not marker.exists()
    assert audit_entries(session, limit=1, action="innkalling")[0].outcome == "failed"


def test_notice_template_runs_in_the_sandbox_too(session: Session, tmp_path, marker):
    meeting = find_meeting(session, "4/2025", "nuit")
    evil = written_template(tmp_path, NOTICE, payload_for(INJECTIONS[7][1], marker))
    with pytest.raises(TemplateProblem, match="navn som begynner med «_»"):
        innkalling_docx(meeting, today=TODAY, template=evil)
    assert not marker.exists()


def limit(kind: str) -> str:
    """How a limit's number is written in messages ("2 000 000")."""
    return fmt.number(getattr(LIMITS, kind), decimals=0)


LOOP4 = "{% for a in X %}{% for b in X %}{% for c in X %}{% for d in X %}Y" + "{% endfor %}" * 4
BOMBS = [
    ("repeat-constant", "{{ 'x' * 300000000 }}", "value_size"),
    ("repeat-field", "{{ sak.tittel * 300000000 }}", "value_size"),
    ("power", "{{ 9 ** 999999 }}", "number_digits"),
    ("power-of-field", "{{ sak.tittel|length ** 99999999 }}", "number_digits"),
    ("nested-loops", LOOP4.replace("X", "sak.tittel").replace("Y", ""), "steps"),
    ("macro-recursion", "{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}", "call_depth"),
    (
        "macro-doubling",
        "{% macro m(s) %}{{ m(s ~ s ~ s ~ s) }}{% endmacro %}{{ m(sak.tittel) }}",
        "value_size",
    ),
    ("set-doubling", "{% set a = sak.tittel %}" + "{% set a = a ~ a %}" * 30 + "{{ a }}", "value_size"),
    (
        "filter-block",
        "{% filter upper %}"
        + LOOP4.replace("X", "sak.tittel").replace("Y", "{{ sak.tittel * 20000 }}")
        + "{% endfilter %}",
        "output_bytes",
    ),
    ("join", "{{ (sak.tittel * 20000)|list|join(sak.tittel * 20000) }}", "value_size"),
    (
        "replace",
        "{{ sak.tittel|replace('', sak.tittel * 100)|replace('', sak.tittel * 100) }}",
        "value_size",
    ),
    (
        "str-replace",
        "{{ sak.tittel.replace('', sak.tittel * 100).replace('', sak.tittel * 100) }}",
        "value_size",
    ),
    ("output", LOOP4.replace("X", "sak.tittel").replace("Y", "{{ sak.tittel * 20000 }}"), "output_bytes"),
    ("list-repetition", "{% set x = [sak.tittel * 60000] * 60000 %}{{ x|length }}", "value_size"),
    (
        "many-references",
        "{% set a = sak.tittel * 60000 %}{{ [a, a, a, a, a, a, a, a, a, a, a]|join }}",
        "value_size",
    ),
    (
        "concatenation",
        "{% set a = sak.tittel * 60000 %}{{ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a }}",
        "value_size",
    ),
    (
        "varargs",
        "{% macro m() %}{{ varargs }}{% endmacro %}{% set a = sak.tittel * 60000 %}{{ m(a, a, a, a, a) }}",
        "value_size",
    ),
    ("recursive-loop", "{% for x in [sak.tittel] recursive %}{{ loop(x) }}{% endfor %}", "call_depth"),
]


@pytest.mark.parametrize(("template", "kind"), [b[1:] for b in BOMBS], ids=[b[0] for b in BOMBS])
@pytest.mark.slow
def test_size_and_time_bombs_are_refused(session: Session, case, tmp_path, template, kind):
    evil = written_template(tmp_path, PAPER, f"Bombe: {template}")
    with pytest.raises(TemplateProblem) as caught:
        toppnotat_docx(session, case, today=TODAY, template=evil, chart=False)
    message = str(caught.value)
    assert f"grensen på {limit(kind)}" in message
    assert "Bombe:" in message


def test_huge_range_is_not_available(session: Session, case, tmp_path):
    evil = written_template(tmp_path, PAPER, "{% for i in range(10 ** 9) %}x{% endfor %}")
    with pytest.raises(TemplateProblem, match="Ukjent felt «range»"):
        toppnotat_docx(session, case, today=TODAY, template=evil, chart=False)


@pytest.mark.parametrize(
    "template",
    ["{{ " + "(" * 400 + "sak.tittel" + ")" * 400 + " }}", "{{ sak.tittel" + "|upper" * 3000 + " }}"],
    ids=["parentheses", "filter-chain"],
)
@pytest.mark.slow
def test_deeply_nested_code_is_refused(session: Session, case, tmp_path, template):
    evil = written_template(tmp_path, PAPER, template)
    with pytest.raises(TemplateProblem, match="Malkoden er nestet for dypt"):
        toppnotat_docx(session, case, today=TODAY, template=evil, chart=False)


def test_a_template_with_too_many_tags_is_refused_before_it_is_compiled(session: Session, case, tmp_path):
    evil = written_template(tmp_path, PAPER, "{{ sak.tittel }}" * LIMITS.template_tags)
    with pytest.raises(TemplateProblem) as caught:
        toppnotat_docx(session, case, today=TODAY, template=evil, chart=False)
    assert f"grensen på {limit('template_tags')} felt og koder" in str(caught.value)


@pytest.mark.slow
def test_the_wall_clock_limit_stops_a_slow_render(session: Session, case, tmp_path):
    slow = written_template(tmp_path, PAPER, LOOP4.replace("X", "sak.tittel").replace("Y", "{{ a }}"))
    source, name = template_source(slow, "toppnotat.docx")
    context = build_context(session, case, today=TODAY)
    with pytest.raises(TemplateProblem) as caught:
        render(source, context, name=name, limits=Limits(seconds=0.2, steps=10**12))
    assert "grensen på 0,2 sekunder for én utfylling er nådd" in str(caught.value)


@pytest.mark.slow
def test_a_zip_bomb_is_refused_before_it_is_unpacked(session: Session, case, tmp_path):
    bomb = tmp_path / "bomb.docx"
    base = written_template(tmp_path, PAPER).read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("word/padding.xml", b"\0" * (LIMITS.template_bytes + 1))
    bomb.write_bytes(buffer.getvalue())
    assert bomb.stat().st_size < LIMITS.template_bytes // 100
    with pytest.raises(TemplateProblem) as caught:
        toppnotat_docx(session, case, today=TODAY, template=bomb, chart=False)
    assert f"grensen på {limit('template_bytes')} byte for en utpakket mal" in str(caught.value)


FAILURES = [
    ("division", "Sum: {{ 1/0 }}", "«{{ 1 / 0 }}» kunne ikke fylles ut: deling på null", "Sum:"),
    (
        "empty-list",
        "Første: {{ tidligere_vedtak[99].tittel.upper() }}",
        "«{{ tidligere_vedtak[99].tittel.upper() }}» kunne ikke fylles ut: verdien finnes ikke",
        "Første:",
    ),
    (
        "method-on-none",
        "Verdi: {{ (tidligere_vedtak[99]|default(none)).tittel.upper() }}",
        "«{{ (tidligere_vedtak[99] | default(none)).tittel.upper() }}» kunne ikke fylles ut: "
        "verdien finnes ikke",
        "Verdi:",
    ),
    (
        "bad-index",
        "Plass: {{ sak.vedlegg.index('finnes ikke') }}",
        "«{{ sak.vedlegg.index('finnes ikke') }}» kunne ikke fylles ut: verdien har feil type eller form",
        "Plass:",
    ),
    (
        "in-if",
        "{% if sak.tittel > 3 %}Stor{% endif %}",
        "«{% if sak.tittel > 3 %}» kunne ikke fylles ut",
        "Stor",
    ),
]


@pytest.mark.parametrize(
    ("template", "named", "near"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES]
)
def test_a_failure_while_filling_in_names_the_expression_and_its_place(
    session: Session, case, tmp_path, template, named, near
):
    broken = written_template(tmp_path, PAPER, template)
    with pytest.raises(TemplateProblem) as caught:
        toppnotat_docx(session, case, today=TODAY, template=broken, chart=False)
    message = str(caught.value)
    assert named in message
    assert near in message.split("(ved «", 1)[1]
    assert "Traceback" not in message


@pytest.mark.slow
def test_a_template_filled_in_again_is_explained_the_same_way(session: Session, case, tmp_path):
    # The second time, the compiled template is reused; its places must still be right.
    broken = written_template(tmp_path, PAPER, "Sum: {{ 1/0 }}")
    messages = []
    for _ in range(2):
        with pytest.raises(TemplateProblem) as caught:
            toppnotat_docx(session, case, today=TODAY, template=broken, chart=False)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "«{{ 1 / 0 }}» kunne ikke fylles ut: deling på null (ved «Sum: {{ 1/0 }}»)." in messages[0]


def test_cli_writes_nothing_when_a_template_fails_while_filling_in(cli, tmp_path):
    broken = written_template(tmp_path, PAPER, "Sum: {{ 1/0 }}", name="mal.docx")
    out = tmp_path / "x.docx"
    code, _, stderr = cli(
        "toppnotat", "41/25", "--council", "nuit", "--template", str(broken), "--out", str(out)
    )
    assert code == 1 and "deling på null" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mal.docx"]


@pytest.mark.parametrize(
    ("template", "named"),
    [
        ("{{ sak.tittel | nosuchfilter }}", "Ukjent filter «nosuchfilter» i «sak.tittel | nosuchfilter»."),
        ("{{ sak.tittel | uper }}", "Ukjent filter «uper» i «sak.tittel | uper». Mente du «upper»?"),
        ("{% if sak.tittel is nosuchtest %}x{% endif %}", "Ukjent test «nosuchtest»"),
        ("{{ sak.tittel | center(300000000) }}", "filteret «center» kan ikke brukes i maler"),
        ("{{ sak.tittel | safe }}", "filteret «safe» kan ikke brukes i maler"),
        ("{{ sak.tittel.center(300000000) }}", "metoden «center» kan ikke brukes i maler"),
        ("{{ sak.vedlegg.append(1) }}", "metoden «append» kan ikke brukes i maler"),
        ("{{ sak.vedlegg|select('callable')|list }}", "testen «callable» kan ikke brukes i maler"),
        ("{{ sak.vedlegg|sort(attribute='__class__') }}", "navn som begynner med «_»"),
        ("{{ loop.indeks }}", "Ukjent felt «loop»"),
        ("{% for a in sak.bakgrunn %}{{ loop.indeks }}{% endfor %}", "Mente du «loop.index»?"),
    ],
)
@pytest.mark.slow
def test_unknown_or_forbidden_filters_tests_and_methods_are_refused(
    session: Session, case, tmp_path, template, named
):
    evil = written_template(tmp_path, PAPER, template)
    with pytest.raises(TemplateProblem) as caught:
        toppnotat_docx(session, case, today=TODAY, template=evil, chart=False)
    assert named in str(caught.value)


def test_a_template_using_the_allowed_language_renders(session: Session, case, tmp_path):
    good = written_template(
        tmp_path,
        PAPER,
        "Tittel: {{ sak.tittel | upper }} ({{ sak.tittel | length }} tegn)",
        "{% for a in sak.forslag_til_vedtak if not a.punkt %}{{ loop.index }}. {{ a.tekst|trim }}"
        "{% endfor %}",
        "{% macro rad(t) %}[{{ t }}]{% endmacro %}{{ rad(sak.saksnummer) }} "
        "{{ råd.kortnavn ~ '/' ~ sak.saksnummer }}",
        "{% filter upper %}{{ sak.saksnummer }} nuit{% endfilter %}",
        "{{ sak.vedlegg | map('upper') | join('; ') }}",
    )
    doc = open_docx(toppnotat_docx(session, case, today=TODAY, template=good, chart=False))
    lines = [p.text for p in doc.paragraphs]
    assert lines[1] == f"Tittel: {case.title.upper()} ({len(case.title)} tegn)"
    assert lines[3] == f"[{case.number}] {case.council.display_name}/{case.number}"
    assert lines[4] == f"{case.number} NUIT"


def plain_docx(name: str, context: object) -> bytes:
    """A shipped template rendered as before the sandbox: docxtpl with a plain Jinja environment."""
    from docxtpl import DocxTemplate
    from radsbot.reports.documents import TEMPLATES

    tpl = DocxTemplate(str(TEMPLATES / name))
    values = {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
    tpl.render(values, jinja_env=Environment(autoescape=True), autoescape=True)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return buffer.getvalue()


def same_document(ours: bytes, plain: bytes, title: str) -> None:
    """The same body and header; the title is the generated one (the shipped title has no code)."""
    a, b = open_docx(ours), open_docx(plain)
    assert a.element.body.xml == b.element.body.xml
    assert a.sections[0].header._element.xml == b.sections[0].header._element.xml
    assert b.core_properties.title in ("Toppnotat", "Innkalling")
    assert a.core_properties.title == title


@pytest.mark.slow
@pytest.mark.parametrize("number", ["41/25", "40/25"])
def test_shipped_case_paper_renders_exactly_as_with_plain_jinja(session: Session, number):
    case = find_case(session, number, "nuit")
    context = build_context(session, case, today=TODAY)
    same_document(
        toppnotat_docx(session, case, today=TODAY, chart=False),
        plain_docx("toppnotat.docx", context),
        f"Toppnotat {number}: {case.title}",
    )


def test_shipped_notice_renders_exactly_as_with_plain_jinja(session: Session):
    from radsbot.reports.innkalling import build_context as notice_context

    meeting = find_meeting(session, "4/2025", "nuit")
    plain = plain_docx("innkalling.docx", notice_context(meeting, today=TODAY))
    title = f"Innkalling til møte 4/2025 i {meeting.council.short_name}"
    same_document(innkalling_docx(meeting, today=TODAY), plain, title)
