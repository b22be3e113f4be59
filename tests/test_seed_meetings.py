"""The seeded councils, meetings, cases, earlier decisions and Q2 2026 narratives.

Each fact is transcribed from a source document (004: NUIT notice 4/2025, minutes of 3/2025
and case papers; 003: Fagrådet 21.–22. januar 2026; 002: status report Q2 2026) and checked
against the database the `session` fixture seeds from data/seed/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from radsbot.data.councils import council_by_name
from radsbot.data.models import Case, Council, Goal, GoalNarrative, Meeting
from radsbot.data.queries import next_meeting
from radsbot.data.seed import SEED_DIR
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.channels import secretariat, slack_channel

TODAY = dt.date(2026, 11, 22)
STRATEGIC = {"PLL", "VFT", "TILLIT", "EPJ_EFFEKTIV", "DDFL"}
# The meetings the documents state; every other seeded meeting is example data.
REAL_MEETINGS = {
    ("nuit", "4/2025"),
    ("nuit", "3/2025"),
    ("nufa", "1/2026"),
    ("nuit", "2022-11-17"),
    ("nuit", "2025-02-13"),
    ("nuit", "2025-05-15"),
    ("ehelseradet", "2025-03-20"),
    ("nufa", "2025-10-29"),
    ("ehelseradet", "2025-12-11"),
}


def case(session: Session, council: str, number: str) -> Case:
    found = session.scalar(
        select(Case)
        .join(Council, Case.council_id == Council.id)
        .where(Council.code == council, Case.number == number)
    )
    assert found is not None, f"sak {number} i {council} mangler"
    return found


def meeting(session: Session, council: str, number: str) -> Meeting:
    found = session.scalar(
        select(Meeting)
        .join(Council, Meeting.council_id == Council.id)
        .where(Council.code == council, Meeting.number == number)
    )
    assert found is not None, f"møte {number} i {council} mangler"
    return found


def narrative(session: Session, goal: str) -> GoalNarrative:
    found = session.scalar(
        select(GoalNarrative)
        .join(Goal, GoalNarrative.goal_id == Goal.id)
        .where(Goal.code == goal, GoalNarrative.quarter == "2026-Q2")
    )
    assert found is not None, f"fortelling for {goal} mangler"
    return found


# (source and place, getter, expected)
FACTS: list[tuple[str, Callable[[Session], Any], Any]] = [
    # -- NUIT 4/2025: the notice (004, first page and agenda) -------------------------------
    (
        "004 innkalling: Dato 20. november 2025",
        lambda s: meeting(s, "nuit", "4/2025").date,
        dt.date(2025, 11, 20),
    ),
    (
        "004 innkalling: Tid Kl. 10.00 – 16.00",
        lambda s: (meeting(s, "nuit", "4/2025").start_time, meeting(s, "nuit", "4/2025").end_time),
        ("10:00", "16:00"),
    ),
    (
        "004 innkalling: Sted",
        lambda s: meeting(s, "nuit", "4/2025").place,
        "Helsedirektoratet, Vitaminveien 4, Storo Oslo",
    ),
    (
        "004 innkalling: 19 medlemmer, første Mariann Hornnes, sist Bodil Rabben",
        lambda s: (
            len(meeting(s, "nuit", "4/2025").members),
            meeting(s, "nuit", "4/2025").members[0],
            meeting(s, "nuit", "4/2025").members[-1],
        ),
        (19, "Mariann Hornnes (Helsedirektoratet)", "Bodil Rabben (Norsk helsenett SF)"),
    ),
    (
        "004 innkalling: medlem over to linjer",
        lambda s: "Monica Simone Johannessen (Bodø kommune)" in meeting(s, "nuit", "4/2025").members,
        True,
    ),
    (
        "004 dagsorden: sakene 33/25–43/25 i rekkefølge, uten Dagsaktuelt",
        lambda s: [c.number for c in meeting(s, "nuit", "4/2025").cases],
        [f"{n}/25" for n in range(33, 44)],
    ),
    (
        "004 dagsorden: 40/25 tittel, tid og sakstype",
        lambda s: (
            case(s, "nuit", "40/25").title,
            case(s, "nuit", "40/25").agenda_time,
            case(s, "nuit", "40/25").case_type,
        ),
        ("Nasjonal e-helsestrategi – strategiske indikatorer", "14:20", "Drøfting"),
    ),
    ("004 dagsorden: 37/25 kl. 12:10", lambda s: case(s, "nuit", "37/25").agenda_time, "12:10"),
    (
        "004 dagsorden: 39/25 er Orientering kl. 13:40",
        lambda s: (case(s, "nuit", "39/25").case_type, case(s, "nuit", "39/25").agenda_time),
        ("Orientering", "13:40"),
    ),
    (
        "004 dagsorden: 43/25 Eventuelt kl. 15:55 har ingen sakstype",
        lambda s: (
            case(s, "nuit", "43/25").title,
            case(s, "nuit", "43/25").case_type,
            case(s, "nuit", "43/25").agenda_time,
        ),
        ("Eventuelt", "", "15:55"),
    ),
    ("004 innkalling: 35/25 Ingen toppnotat", lambda s: case(s, "nuit", "35/25").has_toppnotat, False),
    ("004 innkalling: 42/25 Ingen toppnotat", lambda s: case(s, "nuit", "42/25").has_toppnotat, False),
    (
        "004 innkalling: 35/25 sakstekst",
        lambda s: case(s, "nuit", "35/25").summary,
        "Helse- og omsorgsdepartementet orienterer om og kommer med kommentarer til statsbudsjettet "
        "og aktuelle planer for 2026.",
    ),
    (
        "004 innkalling: forslag til vedtak 37/25",
        lambda s: case(s, "nuit", "37/25").proposed_decision,
        "NUIT ber Helsedirektoratet starte et normeringsarbeid gjeldende praksis for sperring av "
        "helseopplysninger for pasienten. Fremtidig praksis skal være helhetlig, godt klinisk forankret "
        'samt ivareta de digitalt sårbare, jfr. Regjeringens strategi "Digital hele livet".',
    ),
    (
        "004 innkalling: forslag til vedtak 40/25",
        lambda s: case(s, "nuit", "40/25").proposed_decision,
        "NUIT ga innspill til det foreslåtte indikatorsettet og innspill til videre involvering av "
        "sektor i arbeidet.",
    ),
    (
        "004 innkalling: forslag til vedtak 38/25",
        lambda s: case(s, "nuit", "38/25").proposed_decision,
        "Innspill fra NUIT tas med inn i det videre arbeidet med Felles KI-plan for 2026-2027.",
    ),
    (
        "004 innkalling: vedlegg 6 og 6A til 40/25",
        lambda s: case(s, "nuit", "40/25").attachments,
        [
            "Vedlegg 6: Toppnotat Nasjonal e-helsestrategi – strategiske indikatorer",
            "Vedlegg 6A: Nasjonal e-helsestrategi – strategiske indikatorer vedlegg",
        ],
    ),
    (
        "004 innkalling: vedlegg 1 til 34/25",
        lambda s: case(s, "nuit", "34/25").attachments,
        ["Vedlegg 1: Referat fra møtet i NUIT 11. september 2025"],
    ),
    # -- NUIT 4/2025: the case papers (004, toppnotater) ------------------------------------
    (
        "004 toppnotat 36/25: Sakseier og Saksbehandler",
        lambda s: (case(s, "nuit", "36/25").owner, case(s, "nuit", "36/25").officer),
        ("Ole Johan Kvan, Helse Sør-Øst RHF", "Frank Ivar Aarnes"),
    ),
    (
        "004 toppnotat 37/25: Sakseier og Saksbehandler",
        lambda s: (case(s, "nuit", "37/25").owner, case(s, "nuit", "37/25").officer),
        ("Bjørn Nilsen, Helse Nord RHF", "Bjørn Nilsen"),
    ),
    (
        "004 toppnotat 38/25: Sakseier og Saksbehandler",
        lambda s: (case(s, "nuit", "38/25").owner, case(s, "nuit", "38/25").officer),
        ("Lucie Aunan", "Sveinung Tornås"),
    ),
    (
        "004 toppnotat 39/25: Gunvor Klausen, Norsk helsenett SF",
        lambda s: (case(s, "nuit", "39/25").owner, case(s, "nuit", "39/25").officer),
        ("Gunvor Klausen, Norsk helsenett SF", "Gunvor Klausen"),
    ),
    (
        "004 toppnotat 41/25: Sakseier og Saksbehandler",
        lambda s: (case(s, "nuit", "41/25").owner, case(s, "nuit", "41/25").officer),
        ("Lucie Aunan", "Siv Ingebrigtsen"),
    ),
    (
        "004 toppnotat 37/25: Videre saksprosess",
        lambda s: case(s, "nuit", "37/25").further_process,
        "Ingen planlagte",
    ),
    (
        "004 toppnotat 36/25: spørsmål til diskusjon som punkt",
        lambda s: (
            "• Bør andre aktører knyttes tettere på helseregionenes planarbeid?"
            in case(s, "nuit", "36/25").further_process
        ),
        True,
    ),
    (
        "004 toppnotat 41/25: porteføljen økte fra 57 til 68 aktive tiltak",
        lambda s: "har økt fra 57 til 68 aktive tiltak" in case(s, "nuit", "41/25").background,
        True,
    ),
    (
        "004 toppnotat 38/25: fire innsatsområder",
        lambda s: "4. Offentlig KI-tjeneste for målrettede helseråd" in case(s, "nuit", "38/25").background,
        True,
    ),
    (
        "004 toppnotat 40/25: Videre saksprosess mot Nasjonalt e-helseråd 11. desember",
        lambda s: case(s, "nuit", "40/25").further_process.startswith(
            "Vi vil legge frem forslaget for Nasjonalt e-helseråd 11. desember som drøftingssak"
        ),
        True,
    ),
    (
        "004 toppnotat 38/25: ni tidligere vedtak i tabellen",
        lambda s: sorted((c.council.code, c.number) for c in case(s, "nuit", "38/25").cites),
        sorted(
            [
                ("ehelseradet", "16/25"),
                ("ehelseradet", "16/24"),
                ("nuit", "2/24"),
                ("nufa", "9/24"),
                ("ehelseradet", "38/23"),
                ("nuit", "50/23"),
                ("nufa", "3/22"),
                ("nufa", "26/22"),
                ("nufa", "32/23"),
            ]
        ),
    ),
    (
        "004 toppnotat 40/25: vedtak E-helserådet 4/25 20.03.2025",
        lambda s: (
            case(s, "ehelseradet", "4/25").title,
            case(s, "ehelseradet", "4/25").meeting.date,
            case(s, "ehelseradet", "4/25").decision,
        ),
        (
            "Nasjonal e-helsestrategi og hypoteser til gap",
            dt.date(2025, 3, 20),
            "Nasjonalt e-helseråd ga innspill til hypoteser om gap i gjennomføringen av nasjonal "
            "e-helsestrategi og stiller seg bak fremlagte status for realiseringen av strategien med de "
            "innspill som kom opp under drøftingen.",
        ),
    ),
    (
        "004 toppnotat 40/25: NUIT 4/25 13.02.2025",
        lambda s: (case(s, "nuit", "4/25").title, case(s, "nuit", "4/25").meeting.date),
        ("Oppfølging nasjonal e-helsestrategi 1. kvartal 2025", dt.date(2025, 2, 13)),
    ),
    (
        "004 toppnotat 38/25: vedtak NUFA 9/24",
        lambda s: case(s, "nufa", "9/24").decision,
        "NUFA drøftet saken og ba Koordineringsprosjektet for KI ta med seg NUFA sine innspill i det "
        "videre arbeidet",
    ),
    (
        "004 toppnotat 38/25: Nasjonalt e-helseråd 16/24",
        lambda s: (
            case(s, "ehelseradet", "16/24").title,
            case(s, "ehelseradet", "16/24").meeting_label,
            case(s, "ehelseradet", "16/24").meeting,
        ),
        ("Felles KI-plan for helse- og omsorgstjenesten", "Nasjonalt e-helseråd", None),
    ),
    # -- NUIT 3/2025: the minutes (004) ---------------------------------------------------
    (
        "004 referat 3/2025: Dato 11. september 2025, Tid 10:00 – 16:00",
        lambda s: (
            meeting(s, "nuit", "3/2025").date,
            meeting(s, "nuit", "3/2025").start_time,
            meeting(s, "nuit", "3/2025").status,
        ),
        (dt.date(2025, 9, 11), "10:00", "held"),
    ),
    (
        "004 referat 3/2025: Mariann Hornnes ikke til stede",
        lambda s: any(m.startswith("Mariann Hornnes") for m in meeting(s, "nuit", "3/2025").members),
        False,
    ),
    (
        "004 referat 3/2025: sakene 24/25–32/25",
        lambda s: [c.number for c in meeting(s, "nuit", "3/2025").cases],
        [f"{n}/25" for n in range(24, 33)],
    ),
    (
        "004 referat 3/2025: Vedtak oppdatert 26/25",
        lambda s: case(s, "nuit", "26/25").decision,
        "NUIT stiller seg bak oppdatert Veikart for nasjonal e-helsestrategi. NUIT anbefaler nye delmål "
        "i veikartet til Q1 2026, med økt fokus på resultater og realisering av gevinster.",
    ),
    (
        "004 referat 3/2025: Vedtak 27/25",
        lambda s: case(s, "nuit", "27/25").decision,
        "NUIT drøftet saken og oppfordret til gjenbruk av anskaffelsen gjennomført i regi av "
        "Sykehusinnkjøp ANS.",
    ),
    (
        "004 referat 3/2025: Vedtak 25/25",
        lambda s: case(s, "nuit", "25/25").decision,
        "NUIT godkjenner referatet fra NUIT 15. mai 2025.",
    ),
    (
        "004 referat 3/2025: 29/25 lagt frem av Roger Schäffer, FHI",
        lambda s: case(s, "nuit", "29/25").presenter,
        "Roger Schäffer, FHI",
    ),
    (
        "004 referat 3/2025: 30/25 er Drøfting",
        lambda s: (case(s, "nuit", "30/25").title, case(s, "nuit", "30/25").case_type),
        ("Nye mandater for utvalgene i rådsmodellen", "Drøfting"),
    ),
    # -- Fagrådet 1/2026 (003) -------------------------------------------------------------
    (
        "003 forside: 21. – 22. januar 2026, Clarion Hotel Oslo",
        lambda s: (
            meeting(s, "nufa", "1/2026").date,
            meeting(s, "nufa", "1/2026").end_date,
            meeting(s, "nufa", "1/2026").place,
        ),
        (dt.date(2026, 1, 21), dt.date(2026, 1, 22), "Clarion Hotel Oslo"),
    ),
    (
        "003 agenda dag 1: 10:00 til Slutt dag 1 16:10",
        lambda s: (meeting(s, "nufa", "1/2026").start_time, meeting(s, "nufa", "1/2026").end_time),
        ("10:00", "16:10"),
    ),
    (
        "003 agenda: 6/26 presentert av Siv Ingebrigtsen og Anette Hansen kl. 14:40",
        lambda s: (case(s, "nufa", "6/26").presenter, case(s, "nufa", "6/26").agenda_time),
        ("Siv Ingebrigtsen, Anette Hansen, Helsedirektoratet", "14:40"),
    ),
    (
        "003 agenda: 4/26 tittel og presentører kl. 12:30",
        lambda s: (
            case(s, "nufa", "4/26").title,
            case(s, "nufa", "4/26").presenter,
            case(s, "nufa", "4/26").agenda_time,
        ),
        (
            "Videre arbeid med digital hjemmeoppfølging og velferdsteknologi",
            "Siw Helene Myhrer, Bjørnar Alexander Andreassen, Helsedirektoratet",
            "12:30",
        ),
    ),
    (
        "003 agenda: 5/26 FHI kl. 13:45",
        lambda s: (case(s, "nufa", "5/26").presenter, case(s, "nufa", "5/26").agenda_time),
        ("Roger Schäffer, Tove Brekken, FHI", "13:45"),
    ),
    (
        "003 agenda: 1/26 Godkjenning ved Hans Löwe Larsen",
        lambda s: (case(s, "nufa", "1/26").case_type, case(s, "nufa", "1/26").presenter),
        ("Godkjenning", "Hans Löwe Larsen, Helsedirektoratet"),
    ),
    (
        "003 sak 5/26: forslag til vedtak",
        lambda s: case(s, "nufa", "5/26").proposed_decision,
        "FHI tar med seg innspill og råd fra Fagrådet inn i det videre arbeidet med å etablere helhetlig "
        "forvaltning av metadata for sentrale kodeverk brukt i innrapporteringen til helseregistre.",
    ),
    (
        "003 sak 6/26: forslag til vedtak",
        lambda s: case(s, "nufa", "6/26").proposed_decision,
        "Fagrådet drøftet det foreslåtte indikatorsettet og ambisjonsnivå. Helsedirektoratet tar med seg "
        "innspillene gitt i møtet i det videre arbeidet.",
    ),
    (
        "003 sak 4/26: Hensikt med saken",
        lambda s: case(s, "nufa", "4/26").purpose.startswith(
            "Riksrevisjonen har avdekket flere funn i sin undersøkelse av arbeidet med å flytte "
            "spesialisthelsetjenester nærmere pasientens hjem"
        ),
        True,
    ),
    (
        "003 sak 4/26: ca. 2150 aktive pasienter pr. 01.11.2025",
        lambda s: "ca. 2150 aktive pr. 01.11.2025" in case(s, "nufa", "4/26").background,
        True,
    ),
    (
        "003 sak 3/26: 106 prosjekter i 2025",
        lambda s: "Midlene for 2025 ble fordelt på 106 prosjekter" in case(s, "nufa", "3/26").background,
        True,
    ),
    # -- Narratives Q2 2026 (002) ----------------------------------------------------------
    (
        "002 mål 1 Overordnet status, første punkt",
        lambda s: narrative(s, "mal1").overall_status[0],
        "God fremdrift for innbyggertjenester fra spesialist.",
    ),
    (
        "002 mål 1 Utvalgte indikatorer: lenketekst uten markdown",
        lambda s: narrative(s, "mal1").selected[2],
        "Delmål 1D Ungdom skal ha tilgang på digitale tjenester",
    ),
    (
        "002 mål 2 Positive hendelser nr. 2",
        lambda s: narrative(s, "mal2").positive_events[1],
        "God fremdrift i PLL, tiltaket er prioritert i hele sektoren. Viktig tiltak for å redusere "
        "uønskede hendelser",
    ),
    (
        "002 mål 3 fotnoter",
        lambda s: narrative(s, "mal3").footnotes,
        [
            "* Helsepersonellundersøkelsen 2025",
            "** Møte med FHI i februar angående indikatorer for utlevering av helsedata",
        ],
    ),
    (
        "002 mål 3 Positive hendelser nr. 3: 159 og 106 dager",
        lambda s: narrative(s, "mal3").positive_events[2],
        "Kortere tid for utlevering av helsedata, flere søker (snitt fire kvartal 2024 159 dager, snitt "
        "fire kvartal 2025 106 dager)",
    ),
    (
        "002 mål 4 Viktige strategiske spørsmål nr. 1",
        lambda s: narrative(s, "mal4").strategic_questions[0],
        "Hvordan sikre digital autonomi i en mer usikker verden?",
    ),
    (
        "002 mål 5 Utfordringer",
        lambda s: narrative(s, "mal5").challenges[:2],
        [
            "Er regelverket tilpasset behovet for digital transformasjon?",
            "Er finansierings ordninger tilpasset digital transformasjon?",
        ],
    ),
    (
        "002 titler: mål 2 og 3 som 002 overskriver dem",
        lambda s: (narrative(s, "mal2").title, narrative(s, "mal3").title),
        ("Enklere arbeidshverdag", "Helsedata til fornying og forbedring"),
    ),
    (
        "002 indikatorene hvert mål viser",
        lambda s: [narrative(s, g).indicator_codes for g in ("mal1", "mal2", "mal3", "mal4", "mal5")],
        [["VFT"], ["PLL"], ["HDS_SOKNADER"], ["TILLIT"], ["HTO", "HTO_EPJ"]],
    ),
    (
        "002 kildedokument og kvartal",
        lambda s: {(n.quarter, n.source_document) for n in s.scalars(select(GoalNarrative))},
        {("2026-Q2", "002")},
    ),
]


@pytest.mark.parametrize(("source", "getter", "expected"), FACTS, ids=[f[0] for f in FACTS])
def test_fact_from_documents(session: Session, source: str, getter, expected) -> None:
    assert getter(session) == expected, source


def test_indicator_links_of_real_cases(session: Session) -> None:
    """40/25 and 6/26 cover the dashboard's strategic indicators; 4/26 DHO; 3/26 HTO; 38/25 none.

    The link table keeps no order, so the codes are compared as sets.
    """
    codes = lambda council, number: {i.code for i in case(session, council, number).indicators}  # noqa: E731
    assert codes("nuit", "40/25") == STRATEGIC
    assert codes("nufa", "6/26") == STRATEGIC
    assert codes("nufa", "4/26") == {"VFT", "DHO_KOMMUNE"}
    assert codes("nufa", "3/26") == {"HTO"}
    assert codes("nuit", "38/25") == set()


def test_40_25_cites_exactly_its_table(session: Session) -> None:
    cited = {(c.council.code, c.number) for c in case(session, "nuit", "40/25").cites}
    assert cited == {("ehelseradet", "4/25"), ("nuit", "4/25")}


def test_example_meetings_are_flagged_and_real_ones_are_not(session: Session) -> None:
    meetings = session.scalars(select(Meeting)).all()
    seen = {(m.council.code, m.number) for m in meetings}
    assert seen >= REAL_MEETINGS
    for m in meetings:
        real = (m.council.code, m.number) in REAL_MEETINGS
        assert m.is_example is not real, (m.council.code, m.number)
        if m.is_example:
            assert m.notes.startswith("Eksempeldata"), (m.council.code, m.number)
        for c in m.cases:
            assert c.summary.startswith("Eksempeldata:") is m.is_example, (m.council.code, c.number)


def test_planned_meetings_are_after_today_and_held_ones_before(session: Session) -> None:
    for m in session.scalars(select(Meeting)):
        if m.status == "planned":
            assert m.date > TODAY, (m.council.code, m.number)
        else:
            assert m.status == "held" and m.date < TODAY, (m.council.code, m.number)
        assert m.date.weekday() < 5 and (m.end_date is None or m.end_date.weekday() < 5)


def test_calendar_has_about_four_meetings_a_year_per_council(session: Session) -> None:
    for code in ("nuit", "nufa", "ehelseradet"):
        council = council_by_name(session, code)
        for year in (2026, 2027):
            count = sum(1 for m in council.meetings if m.date.year == year)
            assert 3 <= count <= 5, (code, year, count)


def test_next_nuit_meeting_is_early_december_with_the_indicator_case(session: Session) -> None:
    nuit = council_by_name(session, "nuit")
    upcoming = next_meeting(session, nuit.id, TODAY)
    assert upcoming is not None and upcoming.date.year == 2026 and upcoming.date.month == 12
    assert upcoming.date.day <= 10
    indicator_case = next(c for c in upcoming.cases if c.indicators)
    assert {(c.council.code, c.number) for c in indicator_case.cites} == {("nuit", "40/25"), ("nufa", "6/26")}
    assert {i.code for i in indicator_case.indicators} == STRATEGIC
    nufa = council_by_name(session, "nufa")
    assert next_meeting(session, nufa.id, TODAY).cases


def test_case_numbers_continue_the_years_sequence(session: Session) -> None:
    """Example cases carry their meeting's year and come after the year's real cases."""
    real: dict[tuple[str, str], int] = {}
    for c in session.scalars(select(Case)):
        if c.meeting is None or not c.meeting.is_example:
            n, yy = c.number.split("/")
            real[(c.council.code, yy)] = max(real.get((c.council.code, yy), 0), int(n))
    for m in session.scalars(select(Meeting).where(Meeting.is_example.is_(True))):
        for c in m.cases:
            n, yy = c.number.split("/")
            assert yy == f"{m.date.year % 100:02d}", c.number
            assert int(n) > real.get((m.council.code, yy), 0), c.number


def _aliases() -> list[tuple[str, str]]:
    entries = yaml.safe_load((SEED_DIR / "councils.yaml").read_text(encoding="utf-8"))["councils"]
    pairs = []
    for e in entries:
        for key in [e["code"], e["name"], e["short_name"], *e["former_names"], *e["aliases"]]:
            pairs.append((e["code"], key))
    return pairs


@pytest.mark.parametrize(("code", "text"), _aliases(), ids=[f"{c}:{t}" for c, t in _aliases()])
def test_council_resolves_by_every_name(session: Session, code: str, text: str) -> None:
    assert council_by_name(session, text).code == code
    assert council_by_name(session, f"  {text.upper()} ").code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Porteføljerådet", "nuit"),
        ("portefoljeradet", "nuit"),
        ("NUIT", "nuit"),
        ("Fagrådet", "nufa"),
        ("fagradet", "nufa"),
        ("NUFA", "nufa"),
        ("Strategirådet", "ehelseradet"),
        ("E-helserådet", "ehelseradet"),
        ("ehelseradet", "ehelseradet"),
        ("Nasjonalt e-helseråd", "ehelseradet"),
    ],
)
def test_council_names_users_type(session: Session, text: str, code: str) -> None:
    assert council_by_name(session, text).code == code


def test_council_settings(session: Session) -> None:
    """Names from the documents; the digest settings (the seed's choice, not a document's) valid."""
    councils = {c.code: c for c in session.scalars(select(Council))}
    assert set(councils) == {"nuit", "nufa", "ehelseradet"}  # PRODUCT.md: the stable codes
    # 003, slide "Rådsmodellen fortsetter med en tredelt modell": the three full names.
    kinds = {"nuit": "porteføljeråd", "nufa": "fagråd", "ehelseradet": "strategiråd"}
    for code, kind in kinds.items():
        assert councils[code].name == f"Nasjonalt {kind} for digitalisering i helse- og omsorgssektoren"
    # 001 §2 "Styring og oppfølging av strategien" ("Nasjonalt e-helseråd") and 004, toppnotat
    # 40/25, Videre saksprosess ("E-helserådet 11. desember").
    assert councils["ehelseradet"].former_names == ["Nasjonalt e-helseråd", "E-helserådet"]
    for c in councils.values():
        assert 1 <= c.digest_lead_days <= 60 and 0 <= c.digest_hour <= 23, c.code
        assert slack_channel(c).startswith("#") and secretariat(c).startswith("#"), c.code
        assert slack_channel(c) != secretariat(c), c.code
