"""The Teams app package: manifest.json (nb-NO, with an English localization file) and icons, zipped.

The manifest's structure is the template bot/teams/app_package/manifest.json (schema v1.25); its
texts come from the message catalogue, and its command list from the help text's examples, so
what Teams suggests is what `hjelp` shows. The icons are drawn with Pillow when the zip is built.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import tempfile
import zipfile
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Any

from radsbot.bot.handlers.help import EXAMPLES
from radsbot.data.errors import DomainError
from radsbot.data.words import N_, N_p, msg, words

DEFAULT_LANGUAGE_TAG = "nb-NO"
OTHER_LANGUAGES = {"en": "en-US"}  # catalogue language → Teams language tag (the file is <tag>.json)
MAX_COMMANDS = 10  # Teams shows ten per list
MAX_COMMAND_TITLE = 32  # longer titles are cut in Teams' command menu
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
HOST = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9](:[0-9]{1,5})?$"
)
COLOR_SIZE, OUTLINE_SIZE = 192, 32
ACCENT = (31, 78, 121)  # #1F4E79, the manifest's accentColor
HELP = N_p("example", "help")

NAME_FULL = N_("Rådsbot – the council model for digitalisation in health and care")
DESCRIPTION_SHORT = N_("Status of the e-health strategy, the councils' meetings, cases and digests")
DESCRIPTION_FULL = N_(
    "Rådsbot answers questions about the strategic indicators of the national e-health strategy "
    "towards 2030 (latest value, trend, ambition and whether it is on track) and about the "
    "meetings and cases of Strategirådet, Porteføljerådet and Fagrådet. Before each meeting it "
    "posts a status digest to the council's channel. The secretariat can fetch case papers and "
    "meeting notices as Word documents. Write “help” to see what you can ask."
)


def build_manifest(*, app_id: str, host: str, version: str | None = None) -> dict[str, Any]:
    """The manifest for the bot registered as `app_id`, served at https://`host`/api/messages."""
    app_id, host = _checked(app_id, host)
    w = words("nb")
    manifest = copy.deepcopy(_template())
    manifest["id"] = app_id
    manifest["version"] = version or _version()
    site = f"https://{host}/"
    manifest["developer"].update(websiteUrl=site, privacyUrl=site, termsOfUseUrl=site)
    manifest["name"]["full"] = w._(NAME_FULL)
    manifest["description"] = {"short": w._(DESCRIPTION_SHORT), "full": w._(DESCRIPTION_FULL)}
    (bot,) = manifest["bots"]
    bot["botId"] = app_id
    bot["commandLists"] = [{"scopes": list(bot["scopes"]), "commands": commands("nb")}]
    manifest["validDomains"] = [host]
    return manifest


def localization(lang: str) -> dict[str, Any]:
    """The localization file of another language: the manifest's texts and commands in it."""
    w = words(lang)
    out: dict[str, Any] = {
        "$schema": "https://developer.microsoft.com/json-schemas/teams/v1.25/MicrosoftTeams.Localization.schema.json",
        "name.short": "Rådsbot",
        "name.full": w._(NAME_FULL),
        "description.short": w._(DESCRIPTION_SHORT),
        "description.full": w._(DESCRIPTION_FULL),
    }
    for i, command in enumerate(commands(lang)):
        out[f"bots[0].commandLists[0].commands[{i}].title"] = command["title"]
        out[f"bots[0].commandLists[0].commands[{i}].description"] = command["description"]
    return out


def commands(lang: str) -> list[dict[str, str]]:
    """The help text's examples as Teams commands: one of each kind first, then the others in
    order, those short enough for the menu, and "help" last."""
    w = words(lang)
    # The same examples in every language (the localization file overrides them by position).
    groups = [[(w.text(e), w._(heading)) for e in examples if _short(e)] for heading, examples in EXAMPLES]
    picked: list[tuple[str, str]] = []
    for depth in range(max(len(g) for g in groups)):
        picked += [g[depth] for g in groups if depth < len(g)]
    picked = [*picked[: MAX_COMMANDS - 1], (w.text(HELP), w._("What you can ask Rådsbot"))]
    return [{"title": title, "description": description} for title, description in picked]


def _short(example) -> bool:
    """Whether an example fits Teams' command menu in every language of the package."""
    return all(len(words(lang).text(example)) <= MAX_COMMAND_TITLE for lang in ("nb", *OTHER_LANGUAGES))


def build_manifest_zip(*, app_id: str, host: str, out: Path, version: str | None = None) -> Path:
    """Write the app package (manifest.json, the localization files, color.png, outline.png) to
    `out`, whole or not at all; returns `out`."""
    manifest = build_manifest(app_id=app_id, host=host, version=version)
    entries = {
        "manifest.json": _json(manifest),
        **{f"{tag}.json": _json(localization(lang)) for lang, tag in OTHER_LANGUAGES.items()},
        "color.png": color_icon(),
        "outline.png": outline_icon(),
    }
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise DomainError(msg("The folder {folder} does not exist.", folder=str(folder)))
    handle, temporary = tempfile.mkstemp(prefix=".radsbot-teams-", suffix=".zip", dir=folder)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as package:
            for name, data in entries.items():
                package.writestr(name, data)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return out


def color_icon() -> bytes:
    """The 192×192 full-colour icon: three rising white bars on the accent colour."""
    return _icon(COLOR_SIZE, (*ACCENT, 255), (255, 255, 255, 255))


def outline_icon() -> bytes:
    """The 32×32 outline icon: the same bars, white on transparent (as Teams requires)."""
    return _icon(OUTLINE_SIZE, (0, 0, 0, 0), (255, 255, 255, 255))


def _icon(side: int, background: tuple[int, ...], ink: tuple[int, ...]) -> bytes:
    from PIL import Image, ImageDraw

    picture = Image.new("RGBA", (side, side), background)
    draw = ImageDraw.Draw(picture)
    unit = side / 8
    for i, height in enumerate((2, 3.5, 5)):  # bars of a chart going up, on a common baseline
        left = unit * (1.25 + i * 2)
        draw.rectangle([round(left), round(side - unit * (1.5 + height)), round(left + unit * 1.5) - 1,
                        round(side - unit * 1.5) - 1], fill=ink)  # fmt: skip
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _checked(app_id: str, host: str) -> tuple[str, str]:
    """The app id and host as the manifest needs them; a Norwegian error naming what to fix."""
    app_id, host = app_id.strip().lower(), host.strip().lower()
    if not GUID.match(app_id):
        raise DomainError(
            msg(
                "The app id «{value}» is not a GUID. Use the bot's Microsoft App ID (the Entra "
                "application's client id), e.g. 00000000-0000-0000-0000-000000000000.",
                value=app_id,
            )
        )
    if not HOST.match(host):
        raise DomainError(
            msg(
                "The host «{value}» is not a host name. Give the name the bot is reached at, "
                "without https:// and path, e.g. radsbot.example.no.",
                value=host,
            )
        )
    return app_id, host


def _template() -> dict[str, Any]:
    text = (files("radsbot.bot.teams") / "app_package" / "manifest.json").read_text(encoding="utf-8")
    return json.loads(text)


def _version() -> str:
    """The app's version: Rådsbot's own (Teams wants a new one for every changed package)."""
    try:
        return metadata.version("radsbot")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
