"""Template field checks: attribute paths, loops, sets, filters and methods against the vocabulary."""

from __future__ import annotations

import pytest
from jinja2 import Environment
from radsbot.reports.innkalling import Innkalling
from radsbot.reports.template_fields import check, known_paths, schema
from radsbot.reports.toppnotat import Toppnotat


def findings(source: str, vocabulary: type = Toppnotat):
    """Check a Jinja text against a context dataclass."""
    return check(Environment().parse(source), schema(vocabulary))


@pytest.mark.parametrize(
    "source",
    [
        "{{ sak.tittel }} {{ sak.saksnummer|upper }} {{ sak.tittel.upper() }}",
        "{% for a in sak.bakgrunn %}{% if a.punkt %}{{ a.tekst }}{% endif %}{{ loop.index }}{% endfor %}",
        "{% for t in tidligere_vedtak %}{{ t['vedtak'] }} {{ t.møte_og_dato }}{% endfor %}",
        "{% set første = indikatorer[0] %}{{ første.vurdering }} {{ sak.vedlegg|join(', ') }}",
        "{% for v in sak.vedlegg %}{{ v.strip() }}{% else %}Ingen{% endfor %} {{ råd.kortnavn }} {{ figur }}",
        "{% with s = sak %}{{ s.tittel }}{% endwith %} {{ sak.vedlegg|list|length }}",
        "{% for a in sak.sammendrag|selectattr('punkt') %}{{ a.tekst|replace('_', ' ') }}{% endfor %}",
    ],
)
def test_known_fields_pass(source: str):
    found = findings(source)
    assert found.unknown == {}
    assert found.problems == []


def test_jinja_globals_are_not_vocabulary():
    found = findings("{{ range(3) }} {{ lipsum() }} {{ cycler }} {{ joiner }} {{ namespace }} {{ dict() }}")
    assert set(found.unknown) == {"range", "lipsum", "cycler", "joiner", "namespace", "dict"}


def test_unknown_paths_are_found_with_the_nearest_known_field():
    found = findings(
        "{{ sak.titel }} {% for t in tidligere_vedtak %}{{ t.vedtakk }}{% endfor %} "
        "{{ saak.tittel }} {{ sak.tittel.fnord }} {{ indikatorer[0].vurdring }}"
    )
    assert found.unknown == {
        "sak.titel": "sak.tittel",
        "t.vedtakk": "t.vedtak",
        "saak": "sak",
        "sak.tittel.fnord": "",
        "indikatorer[0].vurdring": "indikatorer[0].vurdering",
    }


def test_used_paths_cover_loops_and_nested_fields():
    found = findings("{% for s in saker %}{{ s.tittel }}{% endfor %}{{ møte.nummer }}", Innkalling)
    assert {"saker", "s.tittel", "møte.nummer"} <= found.used
    assert "møte.dato" not in found.used


def test_known_paths_list_the_vocabulary():
    paths = known_paths(schema(Toppnotat))
    assert {"sak.tittel", "sak.saksnummer", "tidligere_vedtak.vedtak", "råd.kortnavn", "figur"} <= set(paths)
