"""Reply → Bot Framework message activities with Adaptive Cards 1.5, for Microsoft Teams.

Every activity's JSON stays within MAX_ACTIVITY_BYTES (28 KB, the limit to plan for on the Teams
connector), counted as the most verbose serialiser sends it. A long answer continues in further
messages (at most MAX_PAGES, as Slack's 50-block split does); what is left after that is named
in a closing note.

Charts travel as data: URIs (nothing needs to be hosted), or as an https URL when the caller
passes `image_url` (e.g. the dashboard's /indikator/<kode>/graf.png). A data URI counts toward the
28 KB: a chart goes into the answer's last card when it fits there, else into a card of its own,
re-encoded smaller (bot/teams/card_images.py) when that is what makes it fit, else as a plain
image attachment of its own message (no card, so no card limit; Teams shows it inline). Word
documents are not part of a reply's messages: they go through the file consent card
(`file_consent_activity`), and only in personal chat.

Buttons are Action.Execute with the Button's action as the verb and {"action", "value"} as data;
Teams sends them as an `invoke` of name `adaptiveCard/action` (`button_of` reads one back).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from radsbot.bot.replies import Attachment, Reply, Section
from radsbot.bot.teams import card_parts as parts
from radsbot.bot.teams.card_images import data_uri, fit_png
from radsbot.data.words import words

Activity = dict[str, Any]
Card = dict[str, Any]

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
FILE_CONSENT_TYPE = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_TYPE = "application/vnd.microsoft.teams.card.file.info"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
MAX_ACTIVITY_BYTES = 28 * 1024
MAX_PAGES = 5  # messages one reply may take, charts in messages of their own not counted
MAX_FALLBACK = 1000  # characters of an activity's text
MAX_FALLBACK_BYTES = 2048  # and its bytes in JSON: the text is sent twice (text, fallbackText)
MIN_INLINE_WIDTH = 600  # pixels of a chart in an answer's card (shown at the card's width)
MIN_OWN_WIDTH = 480  # pixels of a chart in a card of its own, before it goes as a plain image

ImageUrl = Callable[[Attachment], "str | None"]


def reply_activities(
    reply: Reply, lang: str, *, files: bool = True, image_url: ImageUrl | None = None
) -> list[Activity]:
    """The reply as message activities: its cards, then (with `files`) charts that did not fit.

    With `files=False` the reply's attachments are left out, for a caller that sends each one
    itself (`file_activity`); a Word document is never included (see `file_consent_activity`).
    """
    cards = _cards(reply, lang)
    extra: list[Activity] = []
    for attachment in reply.attachments if files else ():
        if not attachment.is_image:
            continue
        alt = _alt(reply, attachment)
        url = image_url(attachment) if image_url else None
        placed = _inline(cards[-1], reply, attachment, alt, url, lang)
        if placed is not None:
            cards[-1] = placed
        elif url:
            extra.append(
                _activity(_image_card(attachment, parts.image(url, alt), lang), _file_text(attachment, lang))
            )
        else:
            extra.append(file_activity(attachment, lang, alt=alt))
    return [
        _activity(card, _page_text(reply, lang, n, len(cards))) for n, card in enumerate(cards, 1)
    ] + extra


def reply_card(reply: Reply, lang: str) -> Card:
    """The first card of the reply alone (to replace a card after a button, in an invoke response)."""
    return _cards(reply, lang)[0]


def card_response(reply: Reply, lang: str) -> dict[str, Any]:
    """The body of the answer to an `adaptiveCard/action` invoke: the card that replaces the old one."""
    return {"statusCode": 200, "type": CARD_TYPE, "value": reply_card(reply, lang)}


def digest_activities(replies: list[Reply], lang: str) -> list[list[Activity]]:
    """A digest thread as messages: per reply (the overview, each goal, a preview's Publiser /
    Avbryt on top of its overview), its cards and its chart; the first list starts the channel
    post and the others are replies to it (bot/digest_thread.py decides the order)."""
    return [reply_activities(reply, lang) for reply in replies]


def pages(reply: Reply, lang: str) -> int:
    """How many messages the reply's cards take (files not counted), for Publisher.pages."""
    return len(_cards(reply, lang))


def page_activity(reply: Reply, lang: str, page: int) -> Activity:
    """Message `page` (1 is the first) of the reply's cards, for Publisher.post_reply."""
    return reply_activities(reply, lang, files=False)[page - 1]


def file_activity(attachment: Attachment, lang: str, *, alt: str = "") -> Activity:
    """A chart in a message of its own: in a card when it fits (made smaller if needed), else as
    a plain image attachment. A non-image file cannot go this way: use `file_consent_activity`."""
    if not attachment.is_image:
        raise ValueError(f"{attachment.filename} is not an image; offer it with file_consent_activity")
    text = _file_text(attachment, lang)
    empty = _activity(_image_card(attachment, parts.image("", alt or attachment.title), lang), text)
    png = fit_png(attachment.content, MAX_ACTIVITY_BYTES - parts.size(empty) - 8, MIN_OWN_WIDTH)
    if png is not None:
        card = _image_card(
            attachment, parts.image(data_uri(png, attachment.mimetype), alt or attachment.title), lang
        )
        return _activity(card, text)
    inline = {
        "contentType": attachment.mimetype,
        "contentUrl": data_uri(attachment.content, attachment.mimetype),
        "name": attachment.filename,
    }
    return {"type": "message", "text": text, "attachments": [inline]}


def file_consent_activity(
    attachment: Attachment, lang: str, context: Mapping[str, str] | None = None
) -> Activity:
    """The file consent card for a document (personal chat only); `context` comes back with the
    user's answer in the `fileConsent/invoke` (accept or decline)."""
    w = words(lang)
    echo = dict(context or {}) | {"filename": attachment.filename}
    consent = {
        "contentType": FILE_CONSENT_TYPE,
        "name": attachment.filename,
        "content": {
            "description": parts.fit(attachment.title, 1000) or attachment.filename,
            "sizeInBytes": len(attachment.content),
            "acceptContext": echo,
            "declineContext": echo,
        },
    }
    text = w._(
        "{title}: accept to save the file in your OneDrive.", title=attachment.title or attachment.filename
    )
    return {"type": "message", "text": _short(text), "attachments": [consent]}


def file_info_activity(name: str, content_url: str, unique_id: str, file_type: str) -> Activity:
    """The message after an accepted upload: Teams' file info card for the uploaded file."""
    info = {
        "contentType": FILE_INFO_TYPE,
        "contentUrl": content_url,
        "name": name,
        "content": {"uniqueId": unique_id, "fileType": file_type},
    }
    return {"type": "message", "attachments": [info]}


def button_of(value: Mapping[str, Any] | None) -> tuple[str, str] | None:
    """(action, value) of a pressed button: an `adaptiveCard/action` invoke's value, or the data of
    an Action.Submit message; None when it is not one of ours."""
    if not isinstance(value, Mapping):
        return None
    data: Any = value
    if isinstance(value.get("action"), Mapping):  # adaptiveCard/action: {"action": {"verb", "data"}}
        data = value["action"].get("data")
    if not isinstance(data, Mapping):
        return None
    name, arg = data.get("action"), data.get("value", "")
    return (name, str(arg)) if isinstance(name, str) and name else None


def fallback_text(reply: Reply, lang: str) -> str:
    """The activity's text: the one-line summary, the title, or a default; never empty."""
    return _fallback(reply, lang)


# Building and packing cards


def _cards(reply: Reply, lang: str) -> list[Card]:
    """The reply's elements packed into cards of at most MAX_ACTIVITY_BYTES, MAX_PAGES at most."""
    w = words(lang)
    more = parts.small_print(w._("The answer continues in the next message."))
    # Room for what is added after packing: a continuation's heading, the notes, the longest text.
    widest = max(_fallback(reply, lang), _cont(reply, lang, MAX_PAGES, MAX_PAGES), key=parts.size)
    reserve = parts.size(_activity(_card([], reply, lang), widest)) + parts.size(more) + 32
    reserve += parts.size(parts.heading(_cont(reply, lang, MAX_PAGES, MAX_PAGES)))
    budget = MAX_ACTIVITY_BYTES - reserve - parts.size(parts.small_print(_left_out(lang, 10**6)))
    pages: list[list[parts.Element]] = [[]]
    used = 0
    for group in _elements(reply, lang):
        cost = parts.size(group) + 2 * len(group)
        if pages[-1] and used + cost > budget:
            pages.append([])
            used = 0
        pages[-1] += group
        used += cost
    if len(pages) > MAX_PAGES:
        kept = sum(len(p) for p in pages[:MAX_PAGES])
        left = sum(len(p) for p in pages) - kept
        pages = [*pages[: MAX_PAGES - 1], [*pages[MAX_PAGES - 1], *parts.small_print(_left_out(lang, left))]]
    for page in pages[:-1]:
        page += more
    for n, page in enumerate(pages[1:], start=2):
        page.insert(0, parts.heading(_cont(reply, lang, n, len(pages))))
    return [_card(page, reply, lang) for page in pages]


def _left_out(lang: str, n: int) -> str:
    return words(lang)._(
        "… {n} more parts were left out. Ask more narrowly, e.g. about one goal or indicator.", n=n
    )


def _cont(reply: Reply, lang: str, page: int, pages: int) -> str:
    """ "Title (forts. 2/3)", the heading and text of a continuation."""
    label = words(lang)._("{title} (cont. {page}/{pages})", title=_title(reply, lang), page=page, pages=pages)
    return _short(label)


def _short(text: str) -> str:
    return parts.fit_size(parts.fit(text, MAX_FALLBACK), MAX_FALLBACK_BYTES)


def _elements(reply: Reply, lang: str) -> list[list[parts.Element]]:
    """The card's elements in groups kept on one card: the title with what follows it, the
    notice, the summary when there are no sections, and each section's parts."""
    groups: list[list[parts.Element]] = (
        [[e] for e in parts.notice(reply.notice)] if reply.notice.strip() else []
    )
    summary = reply.summary.strip()
    # A reply without sections (a refusal, an error) says everything in its summary: show it.
    if not reply.sections and summary and summary != reply.title.strip():
        groups += [[e] for e in parts.texts(summary)]
    for section in reply.sections:
        groups += _section_groups(section)
    if reply.title.strip():
        groups = (
            [[parts.title(reply.title), *groups[0]], *groups[1:]] if groups else [[parts.title(reply.title)]]
        )
    return groups or [[parts.rich(_fallback(reply, lang))]]


def _section_groups(section: Section) -> list[list[parts.Element]]:
    """A section's heading (kept with what follows), text, facts, list or table, buttons, small print."""
    groups: list[list[parts.Element]] = [[e] for e in parts.texts(section.text)]
    groups += [[e] for e in parts.fact_sets(section.facts)]
    rows = parts.table_rows(section.items)
    items = parts.tables(rows) if rows else parts.bullets(section.items)
    groups += [[e] for e in items]
    groups += [[e] for e in parts.action_sets(section.buttons)]
    groups += [[e] for e in parts.small_print(section.context)] if section.context.strip() else []
    if section.heading.strip():
        if groups:
            groups[0].insert(0, parts.heading(section.heading))
        else:
            groups.append([parts.heading(section.heading)])
    return groups


def _card(body: list[parts.Element], reply: Reply, lang: str) -> Card:
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "lang": lang,
        "fallbackText": _fallback(reply, lang),
        "body": body,
    }


def _activity(card: Card, text: str) -> Activity:
    return {"type": "message", "text": text, "attachments": [{"contentType": CARD_TYPE, "content": card}]}


def _with(card: Card, element: parts.Element) -> Card:
    return {**card, "body": [*card["body"], element]}


def _inline(card: Card, reply: Reply, attachment: Attachment, alt: str, url: str | None, lang: str):
    """The card with the chart at its end (by URL, or as a data: URI made smaller if need be);
    None when there is not room enough for it."""
    room = MAX_ACTIVITY_BYTES - parts.size(
        _activity(_with(card, parts.image("", alt)), _fallback(reply, lang))
    )
    if url:
        return _with(card, parts.image(url, alt)) if len(url) + 8 <= room else None
    png = fit_png(attachment.content, room - 8, MIN_INLINE_WIDTH) if room > 0 else None
    return _with(card, parts.image(data_uri(png, attachment.mimetype), alt)) if png else None


def _image_card(attachment: Attachment, element: parts.Element, lang: str) -> Card:
    body = [parts.heading(attachment.title), element] if attachment.title.strip() else [element]
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "lang": lang,
        "fallbackText": _file_text(attachment, lang),
        "body": body,
    }


def _alt(reply: Reply, attachment: Attachment) -> str:
    """The chart's text alternative: the description the reply carries for it (Attachment.alt,
    from reports/chart_text.py, or meta "alt:<filename>"), else its title and the reply's first
    text (the verdict sentence of a chart answer)."""
    # getattr: Attachment.alt is on main (lead-a11y) but not yet on this branch's base.
    described = getattr(attachment, "alt", "") or reply.meta.get(f"alt:{attachment.filename}")
    if described:
        return described
    text = next((s.text.strip() for s in reply.sections if s.text.strip()), "")
    return f"{attachment.title}. {text}" if text and attachment.title else (attachment.title or text)


def _file_text(attachment: Attachment, lang: str) -> str:
    return _short(attachment.title) or _default_text(lang)


def _title(reply: Reply, lang: str) -> str:
    return " ".join((reply.title or reply.summary).split()) or _default_text(lang)


def _page_text(reply: Reply, lang: str, page: int, total: int) -> str:
    return _fallback(reply, lang) if page == 1 else _cont(reply, lang, page, total)


def _fallback(reply: Reply, lang: str) -> str:
    return _short(reply.summary.strip() or reply.title.strip() or _default_text(lang))


def _default_text(lang: str) -> str:
    return words(lang)._("Answer from Rådsbot")
