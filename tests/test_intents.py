"""Understanding messages: `parse(text, catalogue)` over hundreds of phrasings on the seed catalogue.

Expected indicator codes are the seed's (data/seed/indicators/*.yaml); every code used here is
first checked to exist, so a renamed indicator fails clearly instead of silently.
"""

from __future__ import annotations

import pytest

from bot import intents as i
from bot.intents import parse
from bot.markup import clean

# Every example phrasing of issue 3, with the intent and entities it must give.
ISSUE_EXAMPLES = [
    ("status PLL", i.IndicatorStatus, {"code": "PLL"}),
    ("hvordan går det med velferdsteknologi?", i.IndicatorStatus, {"code": "VFT"}),
    ("hva er ambisjonen for innbyggers tillit?", i.IndicatorStatus, {"code": "TILLIT", "aspect": "ambition"}),
    ("hvilken kilde har …", i.NotFound, {"query": "", "wanted": "source"}),
    ("hvilken kilde har pasientens legemiddelliste?", i.IndicatorStatus, {"code": "PLL", "aspect": "source"}),
    ("hvor mange kommuner har …", i.Ambiguous, {"wanted": "value"}),
    (
        "hvor mange kommuner har digital hjemmeoppfølging?",
        i.IndicatorStatus,
        {"code": "DHO_KOMMUNE", "aspect": "value"},
    ),
    ("mål 3", i.GoalStatus, {"code": "mal3"}),
    ("overordnet mål bærekraftig helse- og omsorgssektor", i.GoalStatus, {"code": "baerekraft"}),
    ("hvilke indikatorer hører til mål 1?", i.GoalStatus, {"code": "mal1"}),
    ("oversikt", i.Overview, {}),
    ("dashbord", i.Overview, {}),
    ("graf PLL", i.Chart, {"code": "PLL", "kind": "indicator"}),
    ("vis utvikling for digital hjemmeoppfølging", i.Chart, {"code": "DHO", "kind": "indicator"}),
    ("neste møte", i.NextMeeting, {"council": None}),
    ("neste møte i NUIT", i.NextMeeting, {"council": "nuit"}),
    ("møter i 2026", i.Meetings, {"year": 2026, "council": None}),
    ("sak 40/25", i.Case, {"number": "40/25", "council": None}),
    ("saker på neste møte", i.CasesAtNextMeeting, {"council": None}),
    ("hjelp", i.Help, {}),
    ("help", i.Help, {}),
    ("?", i.Help, {}),
    ("sammendrag", i.Digest, {"council": None, "next": False}),
    ("sammendrag nuit", i.Digest, {"council": "nuit", "next": False}),
    ("neste sammendrag", i.Digest, {"council": None, "next": True}),
    ("toppnotat 40/25", i.Toppnotat, {"number": "40/25"}),
    ("innkalling neste NUIT-møte", i.Innkalling, {"meeting": "neste", "council": "nuit"}),
]

INDICATORS = [
    # Codes in any case, alone or in a question
    ("PLL", "PLL"),
    ("pll", "PLL"),
    ("Pll", "PLL"),
    ("STATUS PLL", "PLL"),
    ("status pll", "PLL"),
    ("status PLL?", "PLL"),
    ("Status for PLL", "PLL"),
    ("status DDFL", "DDFL"),
    ("ddfl", "DDFL"),
    ("status VFT", "VFT"),
    ("status DHO", "DHO"),
    ("status HTO", "HTO"),
    ("status KJ", "KJ_KILDER"),
    ("status TILLIT", "TILLIT"),
    ("status dho_kommune", "DHO_KOMMUNE"),
    ("status DHO_KOMMUNE", "DHO_KOMMUNE"),
    ("DHO_SPESIALIST", "DHO_SPESIALIST"),
    ("status EPJ_EFFEKTIV", "EPJ_EFFEKTIV"),
    ("epj_effektiv", "EPJ_EFFEKTIV"),
    ("status icd11", "ICD11"),
    ("status ICD-11", "ICD11"),
    # Names and aliases, bokmål
    ("pasientens legemiddelliste", "PLL"),
    ("hvordan går det med pasientens legemiddelliste?", "PLL"),
    ("hvordan går det med PLL?", "PLL"),
    ("hvordan ligger vi an med legemiddellisten", "PLL"),
    ("status velferdsteknologi", "VFT"),
    ("bruk av velferdsteknologi i kommunene", "VFT"),
    ("hvordan går det med digital dialog med fastlege?", "DDFL"),
    ("digital dialog fastlege", "DDFL"),
    ("innbyggers tillit", "TILLIT"),
    ("tillit til håndtering av helseopplysninger", "TILLIT"),
    ("status kjernejournal", "KJ_KILDER"),
    ("dokumentdeling i kjernejournal", "KJ_KILDER"),
    ("digital hjemmeoppfølging", "DHO"),
    ("digital hjemmeoppfølging i kommunene", "DHO_KOMMUNE"),
    ("digital hjemmeoppfølging i spesialisthelsetjenesten", "DHO_SPESIALIST"),
    ("hvor mange pasienter har digital hjemmeoppfølging?", "DHO_KOMMUNE_PASIENTER"),
    ("aktive pasienter med DHO", "DHO_KOMMUNE_PASIENTER"),
    ("EPJ effektivt pasientarbeid", "EPJ_EFFEKTIV"),
    ("hvordan går det med EPJ og kvalitet i pasientarbeidet?", "EPJ_KVALITET"),
    ("fullmakt på helsenorge", "FULLMAKT"),
    ("representasjon og fullmakt", "FULLMAKT"),
    ("plunder og heft", "DIGITAL_PLUNDER"),
    ("digitale hygienefaktorer", "DIGITAL_PLUNDER"),
    ("helseteknologiordningen", "HTO"),
    ("effekt av helseteknologiordningen", "HTO"),
    ("søknader til helsedataservice", "HDS_SOKNADER"),
    ("hvor lang tid tar utlevering av helsedata?", "HDS_TID"),
    ("tale-til-sammendrag", "KI_TALE"),
    ("status e-behandling", "E_BEHANDLING"),
    ("veiledet selvhjelp", "VEILEDET_SELVHJELP"),
    ("digitale selvhjelpsløsninger", "SELVHJELP"),
    ("digital kontakt med helsetjenesten", "DIGITAL_KONTAKT"),
    ("opplevd tilgang til pasientinformasjon", "TILGANG_PASIENTINFO"),
    ("effekt av rådsmodellen", "RADSMODELL_EFFEKT"),
    ("status digihelsestasjon", "DIGIHELSESTASJON"),
    ("utdaterte EPJ-systemer", "EPJ_EOL"),
    ("helsedata til sekundærbruk", "HELSEDATA_SEKUNDAER"),
    # Inflected forms
    ("legemiddellisten", "PLL"),
    ("status for legemiddellista", "PLL"),
    ("velferdsteknologien", "VFT"),
    ("hvordan går det med velferdsteknologien i kommunene?", "VFT"),
    ("tilliten", "TILLIT"),
    ("innbyggernes tillit", "TILLIT"),
    ("kjernejournalen", "KJ_KILDER"),
    ("hjemmeoppfølgingen", "DHO"),
    ("helseteknologiordninga", "HTO"),
    ("fastlegens digitale dialog", "DDFL"),
    # Misspellings
    ("status legemidelliste", "PLL"),
    ("legemiddelistе", "PLL"),  # with a Cyrillic "е" at the end
    ("legemidellisten", "PLL"),
    ("velferdsteknolgi", "VFT"),
    ("velferdteknologi", "VFT"),
    ("velfersteknologi", "VFT"),
    ("digital hjemmeoppfolging", "DHO"),
    ("digital hjemmeoppfølgning", "DHO"),
    ("tilit", "TILLIT"),
    ("kjernjournal", "KJ_KILDER"),
    ("helsteknologiordningen", "HTO"),
    ("digihelsetasjon", "DIGIHELSESTASJON"),
    # ASCII spellings of æ, ø, å
    ("hvordan gar det med velferdsteknologi", "VFT"),
    ("hjemmeoppfolging", "DHO"),
    ("tillit til handtering av helseopplysninger", "TILLIT"),
    # Nynorsk
    ("korleis går det med velferdsteknologien?", "VFT"),
    ("kordan går det med legemiddellista", "PLL"),
    ("kva er status for PLL", "PLL"),
    ("kor mange kommunar har digital heimeoppfølging?", "DHO_KOMMUNE"),
    # English
    ("how is PLL doing?", "PLL"),
    ("status of PLL", "PLL"),
    ("how is welfare technology doing?", "VFT"),
    ("what about trust?", "TILLIT"),
    ("status of the medication list", "PLL"),
    ("remote monitoring in municipalities", "DHO_KOMMUNE"),
    # Slack markup and noise around the question
    ("<@U123ABC> status PLL", "PLL"),
    ("<@U123ABC|radsbot> hvordan går det med velferdsteknologi?", "VFT"),
    ("status PLL :wave:", "PLL"),
    ("status PLL 🙂🚀", "PLL"),
    ("*status* _PLL_", "PLL"),
    ("hei! hvordan går det med PLL?", "PLL"),
    ("status   PLL\n", "PLL"),
    ("status\tPLL", "PLL"),
    ("&gt; status PLL", "PLL"),
]

ASPECTS = [
    ("hva er ambisjonen for PLL?", "PLL", "ambition"),
    ("hva er målet for PLL?", "PLL", "ambition"),
    ("ambisjon DDFL", "DDFL", "ambition"),
    ("hva er måltallet for velferdsteknologi", "VFT", "ambition"),
    ("kva er ambisjonen for tilliten?", "TILLIT", "ambition"),
    ("what is the target for trust?", "TILLIT", "ambition"),
    ("hvilken kilde har tillit?", "TILLIT", "source"),
    ("hva er kilden til PLL", "PLL", "source"),
    ("kva kjelde har velferdsteknologi?", "VFT", "source"),
    ("where does the PLL data come from? source", "PLL", "source"),
    ("hvor ofte oppdateres PLL?", "PLL", "frequency"),
    ("how often is DDFL updated?", "DDFL", "frequency"),
    ("hvor stor andel har PLL?", "PLL", "value"),
    ("hva er siste tall for velferdsteknologi", "VFT", "value"),
    ("hvor mange pasienter har DHO", "DHO_KOMMUNE_PASIENTER", "value"),
    ("hva er trenden for PLL?", "PLL", "trend"),
    ("hvordan er utviklingen for tillit", "TILLIT", "trend"),
    ("er datagrunnlaget for ICD11 klart?", "ICD11", "readiness"),
    ("er PLL på sporet?", "PLL", "status"),
    ("hvordan går det med PLL", "PLL", "status"),
]

GOALS = [
    ("mål 1", "mal1"),
    ("Mål 2", "mal2"),
    ("MÅL 3", "mal3"),
    ("mål 4", "mal4"),
    ("mål 5", "mal5"),
    ("mål nr. 3", "mal3"),
    ("mal 3", "mal3"),
    ("maal 4", "mal4"),
    ("mål3", "mal3"),
    ("hva er mål 5?", "mal5"),
    ("hvordan går det med mål 2?", "mal2"),
    ("status mål 1", "mal1"),
    ("goal 4", "mal4"),
    ("how is goal 2 doing?", "mal2"),
    ("hvilke indikatorer hører til mål 4", "mal4"),
    ("hvilke indikatorer tilhører mål 2?", "mal2"),
    ("kva for indikatorar høyrer til mål 5?", "mal5"),
    ("which indicators belong to goal 3?", "mal3"),
    ("overordnet mål innovasjonskraft", "innovasjon"),
    ("overordna mål kvalitet og sammenheng i tjenestene", "kvalitet"),
    ("overordnet mål bærekraft", "baerekraft"),
    ("det overordnede målet om bærekraftig helse- og omsorgssektor", "baerekraft"),
    ("hvilke indikatorer hører til bærekraftig helse- og omsorgssektor?", "baerekraft"),
    ("hvilke indikatorer hører til innovasjonskraft", "innovasjon"),
    ("strategisk mål helsedata til fornying og forbedring", "mal3"),
    ("bærekraftig helse- og omsorgssektor", "baerekraft"),
    ("hvordan går det med innovasjonskraft?", "innovasjon"),
    ("aktiv medvirkning i egen og næres helse", "mal1"),
    ("tilgjengelig informasjon og styrket samhandling", "mal4"),
]

CHARTS = [
    ("graf PLL", "PLL", "indicator"),
    ("Graf pll", "PLL", "indicator"),
    ("grafen for PLL", "PLL", "indicator"),
    ("vis graf for velferdsteknologi", "VFT", "indicator"),
    ("diagram DDFL", "DDFL", "indicator"),
    ("kurve for tillit", "TILLIT", "indicator"),
    ("vis utviklingen for legemiddellisten", "PLL", "indicator"),
    ("vis trend for tillit", "TILLIT", "indicator"),
    ("vis meg utviklingen til digital hjemmeoppfølging i kommunene", "DHO_KOMMUNE", "indicator"),
    ("chart PLL", "PLL", "indicator"),
    ("show the development of trust", "TILLIT", "indicator"),
    ("plot velferdsteknologi", "VFT", "indicator"),
    ("graf mål 3", "mal3", "goal"),
    ("vis graf for mål 1", "mal1", "goal"),
    ("graf bærekraftig helse- og omsorgssektor", "baerekraft", "goal"),
]

MEETINGS = [
    ("neste møte", i.NextMeeting, {"council": None}),
    ("Neste møte?", i.NextMeeting, {"council": None}),
    ("når er neste møte?", i.NextMeeting, {"council": None}),
    ("neste møte i NUIT", i.NextMeeting, {"council": "nuit"}),
    ("neste møte i nuit", i.NextMeeting, {"council": "nuit"}),
    ("neste NUIT-møte", i.NextMeeting, {"council": "nuit"}),
    ("neste møte i Porteføljerådet", i.NextMeeting, {"council": "nuit"}),
    ("neste møte i porteføljerådet?", i.NextMeeting, {"council": "nuit"}),
    ("når møtes porteføljerådet", i.NextMeeting, {"council": "nuit"}),
    ("neste møte i fagrådet", i.NextMeeting, {"council": "nufa"}),
    ("neste NUFA-møte", i.NextMeeting, {"council": "nufa"}),
    ("neste møte i nufa", i.NextMeeting, {"council": "nufa"}),
    ("neste møte i strategirådet", i.NextMeeting, {"council": "ehelseradet"}),
    ("neste møte i E-helserådet", i.NextMeeting, {"council": "ehelseradet"}),
    ("neste møte i ehelseradet", i.NextMeeting, {"council": "ehelseradet"}),
    ("neste møte i Nasjonalt e-helseråd", i.NextMeeting, {"council": "ehelseradet"}),
    ("next meeting", i.NextMeeting, {"council": None}),
    ("next meeting of the NUIT", i.NextMeeting, {"council": "nuit"}),
    ("neste møte i fagrådet, takk", i.NextMeeting, {"council": "nufa"}),
    ("NUIT?", i.NextMeeting, {"council": "nuit"}),
    ("møter i 2026", i.Meetings, {"year": 2026, "council": None}),
    ("Møter i 2027", i.Meetings, {"year": 2027, "council": None}),
    ("møteplan 2026", i.Meetings, {"year": 2026, "council": None}),
    ("møter i fagrådet i 2026", i.Meetings, {"year": 2026, "council": "nufa"}),
    ("NUIT-møter i 2025", i.Meetings, {"year": 2025, "council": "nuit"}),
    ("meetings in 2026", i.Meetings, {"year": 2026, "council": None}),
    ("alle kommende møter", i.Meetings, {"year": None, "council": None}),
    ("møte 4/2025", i.MeetingByNumber, {"number": "4/2025", "council": None}),
    ("møte 4/2025 i NUIT", i.MeetingByNumber, {"number": "4/2025", "council": "nuit"}),
]

CASES = [
    ("sak 40/25", i.Case, {"number": "40/25"}),
    ("Sak 40/25", i.Case, {"number": "40/25"}),
    ("SAK 40/25", i.Case, {"number": "40/25"}),
    ("sak 40 / 25", i.Case, {"number": "40/25"}),
    ("sak 40/2025", i.Case, {"number": "40/25"}),
    ("40/25", i.Case, {"number": "40/25"}),
    ("hva ble vedtatt i sak 34/25?", i.Case, {"number": "34/25"}),
    ("saken 36/25", i.Case, {"number": "36/25"}),
    ("sak 6/26 i fagrådet", i.Case, {"number": "6/26", "council": "nufa"}),
    ("case 40/25", i.Case, {"number": "40/25"}),
    ("saker på neste møte", i.CasesAtNextMeeting, {"council": None}),
    ("hvilke saker er på neste møte?", i.CasesAtNextMeeting, {"council": None}),
    ("saker til neste møte i NUIT", i.CasesAtNextMeeting, {"council": "nuit"}),
    ("agenda for neste møte", i.CasesAtNextMeeting, {"council": None}),
    ("dagsorden neste NUFA-møte", i.CasesAtNextMeeting, {"council": "nufa"}),
    ("saksliste for neste møte i fagrådet", i.CasesAtNextMeeting, {"council": "nufa"}),
]

COMMANDS = [
    ("toppnotat 40/25", i.Toppnotat, {"number": "40/25"}),
    ("Toppnotat for sak 41/25", i.Toppnotat, {"number": "41/25"}),
    ("lag toppnotat til sak 36/2025", i.Toppnotat, {"number": "36/25"}),
    ("toppnotat 6/26 i fagrådet", i.Toppnotat, {"number": "6/26", "council": "nufa"}),
    ("toppnotat", i.Toppnotat, {"number": ""}),
    ("innkalling neste NUIT-møte", i.Innkalling, {"meeting": "neste", "council": "nuit"}),
    ("innkalling til neste møte i fagrådet", i.Innkalling, {"meeting": "neste", "council": "nufa"}),
    ("innkalling 4/2025", i.Innkalling, {"meeting": "4/2025"}),
    ("innkalling 20.11.2025", i.Innkalling, {"meeting": "2025-11-20"}),
    ("innkalling 2025-11-20 nuit", i.Innkalling, {"meeting": "2025-11-20", "council": "nuit"}),
    ("sammendrag", i.Digest, {"council": None, "next": False}),
    ("sammendrag nuit", i.Digest, {"council": "nuit", "next": False}),
    ("sammendrag for Porteføljerådet", i.Digest, {"council": "nuit", "next": False}),
    ("sammendrag fagrådet", i.Digest, {"council": "nufa", "next": False}),
    ("neste sammendrag", i.Digest, {"council": None, "next": True}),
    ("når kommer neste sammendrag til strategirådet?", i.Digest, {"council": "ehelseradet", "next": True}),
    ("digest", i.Digest, {"council": None, "next": False}),
]

HELP = [
    "hjelp",
    "Hjelp!",
    "help",
    "HELP",
    "?",
    "??",
    "hva kan du?",
    "kva kan du hjelpe med?",
    "",
    "   ",
    "<@U123>",
    ":wave:",
    "hei",
    "what can you do?",
]

OVERVIEW = [
    "oversikt",
    "Oversikt",
    "dashbord",
    "Dashboard",
    "overview",
    "status",
    "gi meg en oversikt",
    "alle indikatorer",
    "oversyn",
    "hvordan går det?",
    "statusoversikt",
]


def check(intent: i.Intent, kind: type, fields: dict) -> None:
    """Assert the intent's type and fields, with a readable message."""
    assert type(intent) is kind, f"{intent!r} is not a {kind.__name__}"
    for name, value in fields.items():
        assert getattr(intent, name) == value, f"{intent!r}: {name} should be {value!r}"


@pytest.fixture(scope="module")
def codes(catalogue) -> set[str]:
    """The indicator codes of the seed."""
    return {ind.code for ind in catalogue.indicators}


@pytest.mark.parametrize(("text", "kind", "fields"), ISSUE_EXAMPLES)
def test_every_example_of_the_issue(catalogue, codes, text, kind, fields):
    assert fields.get("code", "PLL") in codes | {g.code for g in catalogue.goals}
    check(parse(text, catalogue), kind, fields)


@pytest.mark.parametrize(("text", "code"), INDICATORS)
def test_indicator_phrasings(catalogue, codes, text, code):
    assert code in codes
    check(parse(text, catalogue), i.IndicatorStatus, {"code": code})


@pytest.mark.parametrize(("text", "code", "aspect"), ASPECTS)
def test_the_aspect_asked_about(catalogue, codes, text, code, aspect):
    assert code in codes
    check(parse(text, catalogue), i.IndicatorStatus, {"code": code, "aspect": aspect})


@pytest.mark.parametrize(("text", "code"), GOALS)
def test_goal_phrasings(catalogue, text, code):
    check(parse(text, catalogue), i.GoalStatus, {"code": code})


@pytest.mark.parametrize(("text", "code", "kind"), CHARTS)
def test_chart_phrasings(catalogue, text, code, kind):
    check(parse(text, catalogue), i.Chart, {"code": code, "kind": kind})


@pytest.mark.parametrize(("text", "kind", "fields"), MEETINGS + CASES + COMMANDS)
def test_meetings_cases_and_commands(catalogue, text, kind, fields):
    check(parse(text, catalogue), kind, fields)


@pytest.mark.parametrize("text", HELP)
def test_help(catalogue, text):
    check(parse(text, catalogue), i.Help, {})


@pytest.mark.parametrize("text", OVERVIEW)
def test_overview(catalogue, text):
    check(parse(text, catalogue), i.Overview, {})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("status EPJ", {"EPJ_EFFEKTIV", "EPJ_KVALITET"}),
        ("status KI", {"KI_LOSNINGER", "KI_TALE"}),
        ("graf EPJ", {"EPJ_EFFEKTIV", "EPJ_KVALITET"}),
        ("hvordan går det med enklere arbeidshverdag?", {"mal2", "ENKLERE_ARBEIDSHVERDAG"}),
    ],
)
def test_ambiguous_names_list_the_candidates_with_codes(catalogue, text, expected):
    intent = parse(text, catalogue)
    assert isinstance(intent, i.Ambiguous), intent
    assert expected <= {c.code for c in intent.candidates}
    assert 2 <= len(intent.candidates) <= 6
    assert intent.wanted == ("chart" if text.startswith("graf") else "status")


def test_ambiguous_list_leaves_out_the_2023_plan_when_the_dashboard_fits(catalogue):
    intent = parse("status EPJ", catalogue)
    kinds = {ind.code: ind.catalogue for ind in catalogue.indicators}
    assert {kinds[c.code] for c in intent.candidates} == {"dashbord"}


@pytest.mark.parametrize(
    "text",
    [
        "status kaffemaskin",
        "hvordan går det med fotballaget?",
        "graf xyzzy",
        "hva er ambisjonen for sjokolade?",
    ],
)
def test_unknown_names_are_not_found(catalogue, text):
    intent = parse(text, catalogue)
    assert isinstance(intent, i.NotFound), intent
    assert intent.query


def test_not_found_suggests_the_nearest_names(catalogue):
    intent = parse("status legemiddelkurs", catalogue)
    assert isinstance(intent, i.NotFound | i.IndicatorStatus)
    if isinstance(intent, i.NotFound):
        assert "PLL" in {c.code for c in intent.suggestions}


def test_a_goal_number_that_does_not_exist(catalogue):
    check(parse("mål 5", catalogue), i.GoalStatus, {"code": "mal5"})
    intent = parse("mål 6", catalogue)
    assert not isinstance(intent, i.GoalStatus)


def test_a_code_alone_always_wins(catalogue):
    """Every indicator's code, alone or after "status", in any case, gives that indicator."""
    for ind in catalogue.indicators:
        for text in (ind.code, ind.code.lower(), f"status {ind.code}", f"graf {ind.code.lower()}"):
            intent = parse(text, catalogue)
            assert getattr(intent, "code", None) == ind.code, (text, intent)


def test_every_name_and_alias_finds_its_indicator_or_lists_it(catalogue):
    """Each name or alias gives its indicator, or a "Mente du" list or a composite that includes it."""
    failures = []
    for ind in catalogue.indicators:
        for name in {ind.name, ind.short_name, *ind.aliases} - {""}:
            intent = parse(f"status {name}", catalogue)
            if isinstance(intent, i.IndicatorStatus) and intent.code == ind.code:
                continue
            if isinstance(intent, i.Ambiguous) and ind.code in {c.code for c in intent.candidates}:
                continue
            if isinstance(intent, i.IndicatorStatus) and intent.code == ind.parent:
                continue
            if isinstance(intent, i.IndicatorStatus) and ind.catalogue == "plan2023":
                continue  # the 2023 plan's names overlap the dashboard's, which come first
            if isinstance(intent, i.GoalStatus | i.Ambiguous) and ind.catalogue == "plan2023":
                continue
            failures.append((ind.code, name, intent))
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<@U123ABC> status PLL", "status PLL"),
        ("<@U123ABC|radsbot> status PLL", "status PLL"),
        ("<!here> <!channel> status", "status"),
        ("<!subteam^S1|@sekretariat> hjelp", "hjelp"),
        ("neste møte i <#C1|nuit>", "neste møte i nuit"),
        ("neste møte i <#C1>", "neste møte i"),
        ("se <https://helsedirektoratet.no|Helsedirektoratet>", "se Helsedirektoratet"),
        ("se <https://helsedirektoratet.no>", "se"),
        ("<mailto:a@b.no|a@b.no>", "a@b.no"),
        ("Helse &amp; omsorg &lt;3 &gt;", "Helse & omsorg <3 >"),
        ("status PLL :wave: :+1::skin-tone-2:", "status PLL"),
        ("status 🙂 PLL 🚀", "status PLL"),
        ("*fet* _kursiv_ ~streket~ `kode`", "fet kursiv streket kode"),
        ("status\x00PLL\x07", "status PLL"),
        ("  mange   mellomrom\n\t", "mange mellomrom"),
        ("30,5 % og 40/25 – «sitat»", "30,5 % og 40/25 – «sitat»"),
        ("helse- og omsorgssektor", "helse- og omsorgssektor"),
        ("e\u0301", "é"),  # combining accent composed (NFC)
    ],
)
def test_markup_is_cleaned_before_parsing(raw, expected):
    assert clean(raw) == expected


def test_cleaning_bounds_huge_input():
    assert len(clean("a" * 100_000)) <= 2000
    assert clean(None) == ""
