"""The digest as Markdown: readable in a browser or any Markdown viewer, linking the chart PNGs."""

from __future__ import annotations

from radsbot.reports.digest import Digest, GoalSection, NarrativePart


def to_markdown(digest: Digest) -> str:
    """The whole digest as one Markdown document; charts are linked by their file names."""
    lab = digest.labels
    out = [f"# {_inline(digest.title)}", ""]
    out += [f"- **{label}:** {_inline(value)}" for label, value in digest.facts]
    out.append("")
    if digest.notices:
        # One quoted paragraph per notice; adjacent "> " lines would run together.
        out += ["\n>\n".join(f"> {_inline(n)}" for n in digest.notices), ""]
    out += [f"## {lab['overview']}", "", *_overview_table(digest), ""]
    for section in digest.goals:
        out += _goal(section, digest)
    return "\n".join(out).rstrip() + "\n"


def _overview_table(digest: Digest) -> list[str]:
    return _table(*digest.overview_table(), numeric_from=1, bold_last=True)


def _goal(section: GoalSection, digest: Digest) -> list[str]:
    lab, narrative = digest.labels, section.narrative
    out = [f"## {_inline(section.label)}", ""]
    if narrative.note:
        out += [f"*{_inline(narrative.note)}*", ""]
    if narrative.parts:
        out += _part(narrative.parts[0])
    out += [f"### {_inline(lab['selected'])}", ""]
    out += [f"- {_inline(item)}" for item in narrative.selected]
    if narrative.selected:
        out.append("")
    if section.indicators:
        out += [*_table(*section.table(lab)), ""]
        out += [f"- **{_inline(r.name)}:** {_inline(r.explanation)}" for r in section.indicators]
        out.append("")
    else:
        out += [lab["none"], ""]
    out += [f"![{lab['chart']}: {_inline(section.label)}]({section.chart_filename})", ""]
    for part in narrative.parts[1:]:
        out += _part(part)
    out += [f"<small>{_inline(note)}</small>  " for note in narrative.footnotes]
    if narrative.footnotes:
        out.append("")
    return out


def _part(part: NarrativePart) -> list[str]:
    out = [f"### {_inline(part.heading)}", ""]
    for i, item in enumerate(part.items, start=1):
        marker = f"{i}." if part.numbered else "-"
        lines = item.strip().splitlines() or [""]
        out.append(f"{marker} {_inline(lines[0])}")
        # Continuation lines (sub-points in the narrative) stay inside the list item.
        out += [f"{' ' * (len(marker) + 1)}{_inline(line.strip())}" for line in lines[1:] if line.strip()]
    return [*out, ""]


def _table(
    head: list[str], rows: list[list[str]], numeric_from: int | None = None, *, bold_last: bool = False
) -> list[str]:
    align = ["---:" if numeric_from is not None and i >= numeric_from else "---" for i in range(len(head))]
    lines = ["| " + " | ".join(_cell(h) for h in head) + " |", "| " + " | ".join(align) + " |"]
    for n, row in enumerate(rows, start=1):
        bold = bold_last and n == len(rows)
        lines.append("| " + " | ".join(f"**{_cell(c)}**" if bold else _cell(c) for c in row) + " |")
    return lines


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|").replace("\n", " ")


def _inline(text: str) -> str:
    """Text that Markdown shows as written: characters that start markup are escaped."""
    for ch in ("\\", "`", "*", "_", "[", "]", "<", ">", "#"):
        text = text.replace(ch, "\\" + ch)
    return text
