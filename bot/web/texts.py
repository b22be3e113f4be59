"""Every text the dashboard's pages show: a table of catalogue messages, by the names the templates use.

Figures, verdicts, periods and dates come formatted from `radsbot.reports`; these are the page's
own words: headings, labels, links and notices. `TEXTS[lang]` is the table in a language
("nb", the default, or "en"), put into words from the catalogue (data/words.py) when first used.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache

from radsbot.data.words import LANGUAGES, N_, Message, N_p, words
from radsbot.reports import formatting as fmt

LABELS: dict[str, str | Message] = {
    "site": N_("National e-health strategy status"),
    "site_by": N_("Rådsbot – the national council model for digitalisation in health and care"),
    "skip": N_("Skip to main content"),
    "nav": N_("Main menu"),
    "nav_overview": N_("Overview"),
    "nav_meetings": N_("Meetings and cases"),
    "language": N_("Language"),
    "breadcrumbs": N_("You are here"),
    "overview_title": N_p("overview page", "National e-health strategy status"),
    "overview_lead": N_(
        "How the e-health strategy's indicators stand against the 2030 targets, goal by goal."
    ),
    "changed": N_("The data last changed on {date}."),
    "view": N_("View"),
    "view_selected": N_("Highlighted indicators ({version})"),
    "view_all": N_("All indicators"),
    "showing_selected": N_("Showing the indicators highlighted in dashboard draft {version}."),
    "showing_all": N_("Showing every indicator of the dashboard."),
    "totals": N_("Assessments"),
    "totals_lead": N_("Number of indicators per assessment, for the indicators shown."),
    "goal_counts": N_("Assessments for the goal"),
    "goal_link": N_("More about the goal"),
    "no_rows": N_("No indicators are shown for this goal."),
    "kind_overordnet": N_("Overarching goal"),
    "kind_strategisk": N_("Strategic goal"),
    "indicator": N_("Indicator"),
    "value": N_("Latest value"),
    "value_plain": N_("Value"),
    "period": N_("Period"),
    "ambition": N_("Target"),
    "verdict": N_("Assessment"),
    "trend": N_("Trend"),
    "change": N_("Change"),
    "goal": N_("Goal"),
    "part_of": N_("Part of"),
    "readiness": N_("Data status"),
    "source": N_("Source"),
    "frequency": N_("Updated"),
    "frequency_arlig": N_("Yearly"),
    "frequency_kvartalsvis": N_("Quarterly"),
    "frequency_lopende": N_("Continuously"),
    "indicator_set": N_("Indicator set"),
    "set_dashbord": N_("Dashboard"),
    "set_plan2023": N_("Plan for realisation (2023)"),
    "measures": N_("About the indicator"),
    "explanation": N_("Why this assessment"),
    "wording": N_("The target as the document words it"),
    "wording_source": N_("Source: document {document} of the source material."),
    "composite": N_("Made up of {count} sub-indicators"),
    "parts": N_("Sub-indicators"),
    "status_text": N_("Status for {quarter}"),
    "no_narrative": N_("No status assessment has been published for this goal yet."),
    "goal_indicators": N_("The goal's indicators"),
    "chart": N_("Chart"),
    "chart_details": N_("What the chart shows, indicator by indicator"),
    "chart_legend": N_(
        "Solid line with filled points: measured values. Hollow points: example data. "
        "Dotted line: projection with the current trend. Dashed line: the target."
    ),
    "data_table": N_("The figures behind the chart"),
    "data_table_caption": N_("Every measurement of {name}"),
    "note": N_("Note"),
    "no_values": N_("There are no measurements for the indicator yet."),
    "plan_title": N_("Plan for realisation (2023)"),
    "plan_lead": N_("The indicator continues these indicators of the 2023 plan:"),
    "plan_number": N_("No."),
    "plan_baseline": N_("Baseline"),
    "plan_target": N_("Target 2025"),
    "cases_title": N_("Cases about the indicator"),
    "no_cases": N_("No case in the council model concerns this indicator."),
    "downloads": N_("Download"),
    "download_csv": N_("The figures as CSV (Excel)"),
    "download_png": N_("The chart as PNG"),
    "download_svg": N_("The chart as SVG"),
    "download_xlsx": N_("All indicators and values (Excel, XLSX)"),
    "meetings_title": N_("Meetings and cases"),
    "meetings_lead": N_(
        "The council model's meetings with their agendas and decisions, as published in notices and minutes."
    ),
    "date": N_("Date"),
    "council": N_("Council"),
    "meeting": N_("Meeting"),
    "status": N_("Status"),
    "cases": N_("Cases"),
    "meeting_held": N_("Held"),
    "meeting_planned": N_("Planned"),
    "time": N_("Time"),
    "place": N_("Place"),
    "agenda": N_("Agenda"),
    "no_agenda": N_("The agenda has not been published."),
    "case": N_("Case"),
    "case_title": N_("Case {number}: {title}"),
    "case_type": N_("Case type"),
    "agenda_time": N_p("case", "Time"),
    "presenter": N_p("dashboard", "Presented by"),
    "summary": N_("About the case"),
    "proposed_decision": N_("Proposed decision"),
    "decision": N_("Decision"),
    "no_decision": N_("No decision has been recorded."),
    "case_indicators": N_("Indicators the case concerns"),
    "treated_at": N_("Treated at"),
    "example_meeting": N_("The meeting is example data (planned calendar), not a confirmed meeting."),
    "footer_about": N_(
        "The figures, assessments and charts are the same as Rådsbot shows in chat, digests and case "
        "papers. The site works without JavaScript."
    ),
    "footer_design": N_("Built with Designsystemet by the Norwegian Digitalisation Agency (MIT licence)."),
    "not_found_title": N_("Page not found"),
    "not_found": N_("There is no page at this address. Check the address, or go to the overview."),
    "not_found_link": N_("Go to the overview"),
    "error_title": N_("Something went wrong"),
    "error": N_("The page could not be shown just now. Please try again shortly."),
    "method_title": N_("Method not allowed"),
    "method": N_("The dashboard can only be read (GET and HEAD)."),
}
# The link to the page in the other language names that language in its own words.
OTHER_LANGUAGE = N_p("the other language, in its own words", "the other language")


@cache
def texts(lang: str) -> dict[str, str]:
    """The dashboard's words in a language."""
    w = words(lang)
    table = {
        key: w.text(label) if isinstance(label, Message) else w._(label) for key, label in LABELS.items()
    }
    table["other_language"] = w.text(OTHER_LANGUAGE)
    table["other_lang"] = "en" if w.lang == "nb" else "nb"
    table["example_mark"] = fmt.example_mark(w.lang)
    table["example_notice"] = w._("Example data: {note}", note=fmt.example_note(w.lang))
    return table


class _Texts(Mapping[str, dict]):
    """{language: the dashboard's words}, each language put into words when first looked up."""

    def __getitem__(self, lang: str) -> dict[str, str]:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        return texts(lang)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


TEXTS = _Texts()


def __getattr__(name: str) -> dict[str, str]:
    """`NB` and `EN`: the tables in bokmål and English (as the module named them before)."""
    if name in ("NB", "EN"):
        return texts(name.lower())
    raise AttributeError(name)
