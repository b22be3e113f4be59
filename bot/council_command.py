"""The council settings command in chat, the same as `radsbot council`: "råd sett nuit --dager 5".

Forms (English words work too: council, set, show, --channel, --secretariat, --lead-days,
--hour, --preview/--no-preview):

    råd                                  every council's settings
    råd vis nuit                         one council's settings
    råd sett nuit --kanal #nuit --sekretariat #sekretariat --dager 7 --time 8 --forhåndsvisning

A channel is a Slack channel (#navn or its id), or TRANSPORT:ID for another transport
(teams:19:…@thread.tacv2), as in `radsbot council set`.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from radsbot.data.words import N_

_COMMAND = re.compile(r"^\s*(?:council|råd|rad)\b\s*(.*)$", re.IGNORECASE | re.DOTALL)
_SHOW = {"", "list", "liste", "vis", "show", "innstillinger"}
_SET = {"set", "sett", "endre"}
# Slack sends a linked channel as <#C0123|navn>; the id is what the setting wants.
_CHANNEL_LINK = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^<>]*)?>")
_MENTION = re.compile(r"<@[^<>]*>")
OPTIONS = {
    "--channel": "channel",
    "--kanal": "channel",
    "--secretariat": "secretariat",
    "--sekretariat": "secretariat",
    "--lead-days": "digest_lead_days",
    "--dager": "digest_lead_days",
    "--hour": "digest_hour",
    "--time": "digest_hour",
    "--kl": "digest_hour",
}
FLAGS = {
    "--preview": True,
    "--forhåndsvisning": True,
    "--forhandsvisning": True,
    "--no-preview": False,
    "--uten-forhåndsvisning": False,
    "--uten-forhandsvisning": False,
}
# The command's syntax in the reader's words (the bokmål catalogue writes it with bokmål options).
USAGE = N_("council set CODE --channel #channel --secretariat #channel --lead-days 7 --hour 8 --preview")


@dataclass(frozen=True)
class CouncilCommand:
    """What the command asks for: show (no changes) or set; `problem` when it is malformed."""

    council: str = ""
    changes: tuple[tuple[str, object], ...] = ()
    setting: bool = False
    problem: str = ""  # what is malformed: quote, which_council, missing_value, unknown_option, nothing
    word: str = ""  # the option the problem is about


def parse_council_command(text: str) -> CouncilCommand | None:
    """The command in a raw chat message, or None when the message is not one."""
    match = _COMMAND.match(_MENTION.sub(" ", text or ""))
    if match is None:
        return None
    rest = _CHANNEL_LINK.sub(r"\1", match[1]).strip()
    try:
        tokens = shlex.split(rest)
    except ValueError:
        return CouncilCommand(problem="quote")
    verb = tokens[0].casefold() if tokens else ""
    if verb in _SHOW and len(tokens) <= 2:
        return CouncilCommand(council=tokens[1] if len(tokens) == 2 else "")
    if verb not in _SET:
        return None  # "råd om …" and other ordinary sentences are questions, not this command
    if len(tokens) < 2 or tokens[1].startswith("--"):
        return CouncilCommand(setting=True, problem="which_council")
    changes: list[tuple[str, object]] = []
    words = iter(tokens[2:])
    for word in words:
        option = word.casefold()
        if option in FLAGS:
            changes.append(("preview_first", FLAGS[option]))
        elif option in OPTIONS:
            value = next(words, None)
            if value is None or value.startswith("--"):
                return CouncilCommand(tokens[1], setting=True, problem="missing_value", word=word)
            changes.append((OPTIONS[option], value))
        else:
            return CouncilCommand(tokens[1], setting=True, problem="unknown_option", word=word)
    if not changes:
        return CouncilCommand(tokens[1], setting=True, problem="nothing")
    return CouncilCommand(tokens[1], tuple(changes), setting=True)
