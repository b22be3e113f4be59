"""The seed catalogue and measurements: facts transcribed from the source documents, flags,
verdict variety, idempotent reloads and Norwegian errors for broken indicator files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from radsbot.data.db import session_factory, transaction
from radsbot.data.importer import import_file
from radsbot.data.models import Base, ImportBatch, Indicator, Measurement
from radsbot.data.seed import SEED_DIR, SeedError, load_seed
from radsbot.reports.analytics import Verdict
from radsbot.reports.status import indicator_status
from sqlalchemy import select
from sqlalchemy.orm import Session

TODAY = dt.date(2026, 11, 22)
D = dt.date

# (document, place in the document, indicator code, field, expected value).
# Fields: an Indicator attribute; "amb.<attr>" for the indicator's (single) ambition; "m:<period>"
# for the national value; "m:<period>:<fordeling>=<gruppe>" for a breakdown value;
# "example:<period>" for the eksempeldata flag of a national value; "alias" for one alias;
# "children" for the children's numbers.
FACTS = [
    ("002", "Mål 2, Om indikatoren PLL: Kilde", "PLL", "source", "NHN / Reseptformidleren"),
    ("002", "Mål 2, Om indikatoren PLL: Løpende oppdatering", "PLL", "frequency", "lopende"),
    ("002", "Mål 2, PLL: Foreslått ambisjon 30%", "PLL", "amb.target_value", 30),
    ("002", "Mål 2, PLL: i desember 2029", "PLL", "amb.target_date", D(2029, 12, 31)),
    (
        "002",
        "Mål 2, PLL: Foreslått ambisjon (ordlyd)",
        "PLL",
        "amb.wording",
        "30% av norske innbyggere i desember 2029",
    ),
    ("002", "Mål 1, velferdsteknologi: Årlig oppdatering", "VFT", "frequency", "arlig"),
    ("002", "Mål 1, velferdsteknologi: Kilde SSB/KPR", "VFT", "source", "SSB/KPR"),
    ("002", "Mål 1, velferdsteknologi: 100 % innen 2030", "VFT", "amb.target_value", 100),
    ("002", "Mål 1, velferdsteknologi: foreslått", "VFT", "amb.status", "foreslått"),
    ("002", "Mål 4, tillit: Foreslått ambisjon 75 % i 2030", "TILLIT", "amb.wording", "75 % i 2030"),
    (
        "002",
        "Mål 4, tillit: Kilde Innbyggerundersøkelsen",
        "TILLIT",
        "source",
        "Innbyggerundersøkelsen om digitalisering i helse- og omsorgstjenesten",
    ),
    (
        "002",
        "Mål 3, søknader til Helsedataservice: Kvartalsvis oppdatering",
        "HDS_SOKNADER",
        "frequency",
        "kvartalsvis",
    ),
    (
        "002",
        "Mål 3, søknader til Helsedataservice: ikke foreslått ambisjonsnivå",
        "HDS_SOKNADER",
        "amb.wording",
        "Ikke foreslått ambisjonsnivå, kun illustrert framskrivning",
    ),
    (
        "002",
        "Mål 3, søknader til Helsedataservice: ambisjonsstatus",
        "HDS_SOKNADER",
        "amb.status",
        "ikke_foreslått",
    ),
    ("002", "Mål 3, positive hendelser 3: snitt 2024 159 dager", "HDS_TID", "m:2024", 159),
    ("002", "Mål 3, positive hendelser 3: snitt 2025 106 dager", "HDS_TID", "m:2025", 106),
    ("002", "Mål 3, positive hendelser 3: kortere tid er bedre", "HDS_TID", "direction", "down"),
    ("002", "Mål 3, overordnet status: beslutningsstøtte 10% 2024", "KI_BESLUTNINGSSTOTTE", "m:2024", 10),
    ("002", "Mål 3, overordnet status: beslutningsstøtte 14% i 2025", "KI_BESLUTNINGSSTOTTE", "m:2025", 14),
    ("002", "Mål 3, overordnet status: 4 av 10 fastleger", "KI_TALE", "m:2025:yrkesgruppe=Fastleger", 40),
    ("002", "Mål 5, Effekt av Helseteknologiordningen: antall kommuner", "HTO", "unit", "kommuner"),
    ("002", "Mål 5, Effekt av HTO: ikke hensiktsmessig med måltall", "HTO", "amb.status", "ikke_foreslått"),
    ("002", "Mål 5, Effekt av HTO – EPJ: andel av kommuner", "HTO_EPJ", "unit", "%"),
    ("002", "Mål 5, Effekt av HTO – EPJ: Årlig oppdatering", "HTO_EPJ", "frequency", "arlig"),
    ("003", "Sak 6/26, DDFL: Foreslått ambisjon 100 % i Q4 2027", "DDFL", "amb.target_date", D(2027, 12, 31)),
    ("003", "Sak 6/26, DDFL: Foreslått ambisjon 100 %", "DDFL", "amb.target_value", 100),
    ("003", "Sak 6/26, DDFL: Kilde NHN og FLR/FLO", "DDFL", "source", "NHN og FLR/FLO"),
    (
        "003",
        "Sak 6/26, Digihelsestasjon: Kvartalsvis oppdatering",
        "DIGIHELSESTASJON",
        "frequency",
        "kvartalsvis",
    ),
    (
        "003",
        "Sak 6/26, Digihelsestasjon: Ikke foreslått ambisjonsnivå",
        "DIGIHELSESTASJON",
        "amb.status",
        "ikke_foreslått",
    ),
    ("003", "Sak 6/26, DHO kommune: 90 kommuner per 1.11.25", "DHO_KOMMUNE", "m:2025-11-01", 90),
    ("003", "Sak 6/26, DHO kommune: ekte tall", "DHO_KOMMUNE", "example:2025-11-01", False),
    ("003", "Sak 6/26, DHO kommune: Årlig oppdatering", "DHO_KOMMUNE", "frequency", "arlig"),
    (
        "003",
        "Sak 4/26, DHO status for spredning: ca. 2150 aktive",
        "DHO_KOMMUNE_PASIENTER",
        "m:2025-11-01",
        2150,
    ),
    ("003", "Sak 4/26, utviklingstrekk: 174 kommuner i 2025", "DHO_KOMMUNE_PROSJEKT", "m:2025", 174),
    (
        "003",
        "Sak 4/26, utviklingstrekk: 190 kommuner i søknader for 2026",
        "DHO_KOMMUNE_PROSJEKT",
        "m:2026",
        190,
    ),
    (
        "003",
        "Sak 6/26, EPJ effektivt: Foreslått ambisjon 68 % i 2030",
        "EPJ_EFFEKTIV",
        "amb.target_value",
        68,
    ),
    (
        "003",
        "Sak 6/26, EPJ effektivt: Foreslått ambisjon (ordlyd)",
        "EPJ_EFFEKTIV",
        "amb.wording",
        "68 % i 2030",
    ),
    ("003", "Sak 6/26, EPJ effektivt: Helse Vest 63 %", "EPJ_EFFEKTIV", "m:2025:region=Helse Vest", 63),
    (
        "003",
        "Sak 6/26, EPJ effektivt: Helse Midt-Norge 27 %",
        "EPJ_EFFEKTIV",
        "m:2025:region=Helse Midt-Norge",
        27,
    ),
    ("003", "Sak 6/26, EPJ effektivt: kommunene 44 %", "EPJ_EFFEKTIV", "m:2025:sektor=Kommuner", 44),
    ("001", "Mål 2, 2.2 del 2.2: 56 % (2021)", "EPJ_EFFEKTIV", "m:2021", 56),
    (
        "003",
        "Utkast til dashbord v.0.95: Digital plunder og heft",
        "DIGITAL_PLUNDER",
        "alias",
        "Digitale hygienefaktorer",
    ),
    (
        "003",
        "Forslag til fremtidige indikatorer v.0.95: utdaterte (EOL) EPJ-systemer",
        "EPJ_EOL",
        "dashboard_versions",
        ["v0.95"],
    ),
    (
        "003",
        "Utkast til dashbord v.0.95: Helsedata til sekundærbruk",
        "HELSEDATA_SEKUNDAER",
        "dashboard_versions",
        ["v0.95"],
    ),
    (
        "000",
        "v0.7 og v0.95: Innbyggers tillit i begge utkast",
        "TILLIT",
        "dashboard_versions",
        ["v0.7", "v0.95"],
    ),
    (
        "000",
        "Detaljering Mål 4: EHDS-indikator (My Health@EU), Avvent",
        "EHDS_MYHEALTH",
        "readiness",
        "fremtidig",
    ),
    (
        "000",
        "Detaljering Overordnede mål: Behovsstyrt poliklinikk, Avvent",
        "BEHOVSSTYRT",
        "readiness",
        "fremtidig",
    ),
    (
        "000",
        "Detaljering Overordnede mål: Digitale samhandlingsløsninger, sammensatt",
        "SAMHANDLING",
        "composite",
        True,
    ),
    (
        "000",
        "Detaljering Overordnede mål: personellbesparende KI, delindikatorer 1)-3)",
        "KI_TIDSBESPARENDE",
        "children",
        ["1", "2", "3"],
    ),
    (
        "000",
        "Detaljering Mål 4: Overgang til ICD11, Kilde",
        "ICD11",
        "source",
        "ICD11-prosjekt i Helsedirektoratet",
    ),
    (
        "000",
        "Detaljering Mål 1: Bruk av digitale selvhjelpsløsninger, Kilde Leverandører",
        "SELVHJELP",
        "source",
        "Leverandører",
    ),
    ("001", "4.2.1 baseline: 147/356 kommuner", "P23_4_2_1", "amb.baseline_value", 147),
    ("001", "4.2.1 baseline: 29.11.22", "P23_4_2_1", "amb.baseline_date", D(2022, 11, 29)),
    ("001", "4.2.1 måltall 2025: 356/356", "P23_4_2_1", "amb.wording", "356/356"),
    ("001", "4.2.1 baseline som måling", "P23_4_2_1", "m:2022-11-29", 147),
    (
        "001",
        "1.1 del 1 baseline",
        "P23_1_1_1",
        "amb.baseline_label",
        "11,4 mill besøk/md. (sept 2021-sept 2022)",
    ),
    ("001", "1.1 del 1 måltall 2025", "P23_1_1_1", "amb.wording", "Øke med 20 %"),
    ("001", "1.1 type indikator", "P23_1_1", "indicator_type", "adopsjon"),
    ("001", "1.2 måltall 2025: 85 % av befolkningen", "P23_1_2", "amb.target_value", 85),
    ("001", "1.2 baseline: 46 % av befolkningen (nov 2022)", "P23_1_2", "amb.baseline_value", 46),
    (
        "001",
        "1.5 måltall: alle 19 helsefellesskap innen utgangen av 2024",
        "P23_1_5",
        "amb.target_date",
        D(2024, 12, 31),
    ),
    ("001", "1.6 baseline: 115 678 (2021)", "P23_1_6", "m:2021", 115678),
    ("001", "2.1 del 1: 59 % (2021)", "P23_2_1_1", "amb.baseline_value", 59),
    ("001", "2.1 del 1: måltall 65 %", "P23_2_1_1", "amb.target_value", 65),
    ("001", "2.2 delene 1, 2.1, 2.2, 2.3", "P23_2_2", "children", ["1", "2.1", "2.2", "2.3"]),
    ("001", "3.1 baseline: 291 søknader (2021)", "P23_3_1", "m:2021", 291),
    ("001", "3.2 del 1: måltall Alle", "P23_3_2_1", "amb.wording", "Alle"),
    (
        "001",
        "4.2.2 måltall: Avhenger av planer for innføring",
        "P23_4_2_2",
        "amb.wording",
        "Avhenger av planer for innføring",
    ),
    ("001", "4.2.6 baseline: ca. 6 500 pasienter i Bergen", "P23_4_2_6", "m:2022-11:kommune=Bergen", 6500),
    ("001", "5.1 type indikator: Opplevd resultat", "P23_5_1", "indicator_type", "opplevd resultat"),
    ("001", "5.1 måltall 2025: 85%", "P23_5_1", "amb.target_value", 85),
    ("001", "5.2 forsinkelser: lavere er bedre", "P23_5_2", "direction", "down"),
    ("001", "5.2 baseline 17 %", "P23_5_2", "amb.baseline_value", 17),
    ("001", "5.3 måltall 10 %", "P23_5_3", "amb.target_value", 10),
    ("001", "5.4 baseline 37%", "P23_5_4", "m:2023", 37),
    ("001", "1.3 vedtatt plan", "P23_1_3", "amb.status", "vedtatt"),
    ("001", "1.3 måltall 2025", "P23_1_3", "amb.target_date", D(2025, 12, 31)),
]

REQUIRED_CODES = [
    "PLL",
    "VFT",
    "TILLIT",
    "EPJ_EFFEKTIV",
    "DDFL",
    "DHO_KOMMUNE",
    "DHO_SPESIALIST",
    "HTO",
    "HTO_EPJ",
    "HDS_SOKNADER",
    "HDS_TID",
]


def indicator(session: Session, code: str) -> Indicator:
    """The indicator with this code; fails the test when missing."""
    found = session.scalar(select(Indicator).where(Indicator.code == code))
    assert found is not None, f"indicator {code} is missing from the seed"
    return found


def measurement(session: Session, ind: Indicator, period: str, breakdown: str = "", group: str = ""):
    """The stored measurement of a period (and breakdown group), or None."""
    return session.scalar(
        select(Measurement).where(
            Measurement.indicator_id == ind.id,
            Measurement.period == period,
            Measurement.breakdown == breakdown,
            Measurement.breakdown_value == group,
        )
    )


def resolve(session: Session, code: str, field: str):
    """The stored value a FACTS field names."""
    ind = indicator(session, code)
    if field.startswith("amb."):
        assert len(ind.ambitions) == 1, f"{code} should have exactly one ambition"
        return getattr(ind.ambitions[0], field[4:])
    if field.startswith(("m:", "example:")):
        kind, _, rest = field.partition(":")
        period, _, split = rest.partition(":")
        breakdown, _, group = split.partition("=")
        m = measurement(session, ind, period, breakdown, group)
        assert m is not None, f"{code} has no measurement for {rest}"
        return m.value if kind == "m" else m.is_example
    if field == "alias":
        return ind.aliases
    if field == "children":
        return [c.number for c in ind.children]
    return getattr(ind, field)


@pytest.mark.parametrize(
    ("document", "place", "code", "field", "expected"), FACTS, ids=[f"{f[0]}-{f[2]}-{f[3]}" for f in FACTS]
)
def test_fact_from_documents(session: Session, document, place, code, field, expected):
    """Each fact stated in a source document is in the loaded seed."""
    value = resolve(session, code, field)
    if field == "alias":
        assert expected in value, f"{document} {place}"
    else:
        assert value == expected, f"{document} {place}: {value!r} != {expected!r}"


def test_required_codes_exist(session: Session):
    """The codes the meetings and narratives refer to are all in the catalogue."""
    codes = set(session.scalars(select(Indicator.code)))
    assert set(REQUIRED_CODES) <= codes


def test_example_flags_and_sources(session: Session):
    """Example values are flagged and say so; every real value names its document."""
    rows = session.scalars(select(Measurement)).all()
    assert rows
    for m in rows:
        if m.is_example:
            assert m.source_document == "" and m.note.startswith("Eksempeldata"), m.period
        else:
            assert m.source_document in {"000", "001", "002", "003", "004"}, (m.indicator.code, m.period)


def test_proposed_ambitions_have_a_series(session: Session):
    """Every indicator with a proposed ambition has at least two national values."""
    proposed = [
        i for i in session.scalars(select(Indicator)) if any(a.status == "foreslått" for a in i.ambitions)
    ]
    assert {i.code for i in proposed} >= {"PLL", "VFT", "TILLIT", "EPJ_EFFEKTIV", "DDFL"}
    for ind in proposed:
        national = session.scalars(
            select(Measurement).where(Measurement.indicator_id == ind.id, Measurement.breakdown == "")
        ).all()
        assert len(national) >= 2, ind.code


def test_ready_leaves_have_data(session: Session):
    """Every indicator marked klar without sub-indicators has at least two national values."""
    for ind in session.scalars(select(Indicator).where(Indicator.readiness == "klar")):
        if ind.children:
            continue
        national = session.scalars(
            select(Measurement).where(Measurement.indicator_id == ind.id, Measurement.breakdown == "")
        ).all()
        assert len(national) >= 2, ind.code


def test_plan2023_ambitions_are_adopted(session: Session):
    """Every 2023 plan indicator without parts carries one adopted ambition from 001."""
    for ind in session.scalars(select(Indicator).where(Indicator.indicator_set == "plan2023")):
        if ind.children:
            continue
        assert [(a.status, a.source_document) for a in ind.ambitions] == [("vedtatt", "001")], ind.code
        assert ind.number and ind.indicator_type in ("adopsjon", "opplevd resultat"), ind.code


def test_verdict_variety(session: Session):
    """The seed gives every verdict the digest shows, and a falling lower-is-better series."""
    verdicts = set()
    falling_down = False
    for ind in session.scalars(select(Indicator)):
        status = indicator_status(session, ind, TODAY, with_children=False)
        verdicts.add(status.verdict)
        slope = status.assessment.slope_per_year
        falling_down |= ind.direction == "down" and slope is not None and slope < 0
    assert {
        Verdict.ON_TRACK,
        Verdict.UNCERTAIN,
        Verdict.OFF_TRACK,
        Verdict.REACHED,
        Verdict.NO_TARGET,
    } <= verdicts
    assert falling_down


def snapshot(session: Session) -> dict[str, list]:
    """Every table's rows as sorted plain tuples."""
    session.expire_all()
    return {
        t.name: sorted(map(tuple, session.execute(select(t)).all()), key=repr)
        for t in Base.metadata.sorted_tables
    }


@pytest.mark.slow
def test_second_load_changes_nothing(session: Session):
    """Loading the seed again into a seeded database leaves every table as it was."""
    before = snapshot(session)
    load_seed(session)
    session.commit()
    assert snapshot(session) == before


@pytest.mark.slow
def test_imported_value_survives_reload(session: Session, tmp_path: Path):
    """A value stored by an import is neither overwritten nor removed by a later seed load."""
    csv = tmp_path / "pll.csv"
    csv.write_text(
        "indikator,periode,verdi,eksempeldata,kildedokument\n"
        "PLL,2026-Q3,15.5,nei,sekretariatet\nPLL,2026-Q4,16.1,nei,sekretariatet\n",
        encoding="utf-8",
    )
    report = import_file(session, csv, actor="test")
    session.commit()
    assert report.ok and report.added == 1 and report.updated == 1
    load_seed(session)
    session.commit()
    session.expire_all()
    pll = indicator(session, "PLL")
    for period, value in (("2026-Q3", 15.5), ("2026-Q4", 16.1)):
        m = measurement(session, pll, period)
        assert (m.value, m.is_example, m.source_document) == (value, False, "sekretariatet")
        assert session.get(ImportBatch, m.batch_id).kind == "import"


def _find(entries: list[dict], code: str) -> dict | None:
    for entry in entries:
        if entry.get("code") == code:
            return entry
        found = _find(entry.get("children", []) or [], code)
        if found:
            return found
    return None


@pytest.mark.parametrize(
    ("filename", "code", "field", "bad", "message"),
    [
        ("4_mal1.yaml", "VFT", "goal", "mal9", "ukjent mål «mal9»"),
        ("5_mal2.yaml", "EPJ_EFFEKTIV", "readiness", "nesten_klar", "«readiness» er «nesten_klar»"),
        ("1_kvalitet.yaml", "DDFL", "readiness", "ferdig", "må være en av klar, under_arbeid, fremtidig"),
    ],
)
@pytest.mark.slow
def test_broken_indicator_file(engine, tmp_path: Path, filename, code, field, bad, message):
    """A broken entry stops the load with a Norwegian message naming file and entry; nothing is written."""
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    # An edit earlier in the load order that must not survive the failed load either.
    first = seed / "indicators" / "1_kvalitet.yaml"
    content = yaml.safe_load(first.read_text(encoding="utf-8"))
    _find(content["indicators"], "PLL")["name"] = "Endret navn som ikke skal lagres"
    first.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    path = seed / "indicators" / filename
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    _find(content["indicators"], code)[field] = bad
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")

    factory = session_factory(engine)
    with factory() as s:
        before = snapshot(s)
    with pytest.raises(SeedError) as err, transaction(factory) as s:
        load_seed(s, seed)
    text = str(err.value)
    assert filename in text and f"«{code}»" in text and message in text
    with factory() as s:
        assert snapshot(s) == before
        assert indicator(s, "PLL").name == "Pasientens legemiddelliste – nasjonalt"
