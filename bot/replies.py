"""The transport-neutral reply the core builds; each transport renders it natively.

Nothing here knows about Slack, the console or Teams: text is plain (no markup), structure is
carried by sections, facts, bullet items and buttons, and files travel as bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fact:
    """A labelled value, such as ("Siste verdi", "27,4 % (3. kvartal 2026)")."""

    label: str
    value: str


@dataclass(frozen=True)
class Button:
    """An action the reader can take; `action` names the handler, `value` its argument."""

    label: str
    action: str  # "show_chart" | "publish_digest" | "cancel_digest" | …
    value: str
    style: str = ""  # "" | "primary" | "danger"


@dataclass(frozen=True)
class Section:
    """A block of the reply: an optional heading, text, facts, bullet items and buttons."""

    heading: str = ""
    text: str = ""
    facts: tuple[Fact, ...] = ()
    items: tuple[str, ...] = ()
    buttons: tuple[Button, ...] = ()
    context: str = ""  # small print under the section (source, example-data notes)


@dataclass(frozen=True)
class Attachment:
    """A file that goes with the reply: a chart PNG (with its text alternative) or a document."""

    filename: str
    title: str
    content: bytes
    mimetype: str = "image/png"
    alt: str = ""  # what a chart shows, in words (reports/chart_text.py), for screen readers

    @property
    def is_image(self) -> bool:
        """Whether the file is a picture (shown inline by most transports)."""
        return self.mimetype.startswith("image/")


@dataclass(frozen=True)
class Reply:
    """What the core answers, whatever the transport.

    `summary` is a one-line plain-text version (notifications, fallbacks, logs).
    """

    title: str
    summary: str
    sections: tuple[Section, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    notice: str = ""  # shown prominently, e.g. "Tallene er eksempeldata."
    ephemeral: bool = False  # only the asker should see it (refusals); files cannot be ephemeral
    private: bool = False  # deliver to the asker alone, files included (a direct message in Slack)
    kind: str = "answer"  # answer | not_found | ambiguous | refused | error | help
    meta: dict[str, str] = field(default_factory=dict, compare=False)
