"""The Teams app package: a manifest valid against the official v1.25 schema, icons, the zip."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from PIL import Image
from radsbot.bot.teams.manifest import build_manifest, build_manifest_zip, commands, localization
from radsbot.data.errors import DomainError

from tests.schemas.validate import errors, localization_validator, manifest_validator

APP_ID = "0f3c2a1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
HOST = "radsbot.example.no"


def test_the_manifest_is_valid_against_the_official_schema():
    """Schema v1.25; nb-NO by default; the bot in personal chat, teams and group chats, with files."""
    manifest = build_manifest(app_id=APP_ID, host=HOST)
    assert errors(manifest_validator(), manifest) == []
    assert manifest["manifestVersion"] == "1.25" and manifest["id"] == APP_ID
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "nb-NO"
    (bot,) = manifest["bots"]
    assert bot["botId"] == APP_ID and bot["supportsFiles"] is True and bot["isNotificationOnly"] is False
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    assert manifest["validDomains"] == [HOST]
    assert set(manifest["developer"].values()) >= {"https://radsbot.example.no/"}
    assert manifest["description"]["short"].startswith("Status for e-helsestrategien")
    assert len(manifest["version"].split(".")) == 3


def test_the_schema_check_is_not_vacuous():
    """The vendored schema refuses a bot id that is no GUID, a missing field and an unknown scope."""
    manifest = build_manifest(app_id=APP_ID, host=HOST)
    broken = []
    for change in (
        lambda m: m["bots"][0].update(botId="not-a-guid"),
        lambda m: m.pop("icons"),
        lambda m: m["bots"][0].update(scopes=["channel"]),
        lambda m: m.update(accentColor="blue"),
    ):
        copy = json.loads(json.dumps(manifest))
        change(copy)
        broken.append(copy)
    assert all(errors(manifest_validator(), m) for m in broken)


def test_the_command_list_mirrors_the_help_text(chat):
    """Every command is an example the help answer shows (or "hjelp" itself), at most 32 characters."""
    help_items = {item for s in chat.answer("hjelp").sections for item in s.items}
    (listed,) = build_manifest(app_id=APP_ID, host=HOST)["bots"][0]["commandLists"]
    assert sorted(listed["scopes"]) == ["groupChat", "personal", "team"]
    titles = [c["title"] for c in listed["commands"]]
    assert 5 <= len(titles) <= 10 and titles[-1] == "hjelp"
    assert all(f"«{t}»" in help_items for t in titles[:-1])
    assert all(len(t) <= 32 and c["description"] for t, c in zip(titles, listed["commands"], strict=True))
    assert {"status PLL", "oversikt", "neste møte", "toppnotat 40/25", "neste sammendrag"} <= set(titles)


def test_the_english_localization_overrides_every_command():
    """en-US.json is valid against its schema and holds an English text for every command."""
    english = localization("en")
    assert errors(localization_validator(), english) == []
    nb, en = commands("nb"), commands("en")
    assert len(nb) == len(en)
    for i, command in enumerate(en):
        assert english[f"bots[0].commandLists[0].commands[{i}].title"] == command["title"]
    assert en[-1]["title"] == "help" and en[0]["title"] == "status PLL"
    assert english["description.short"].startswith("Status of the e-health strategy")


@pytest.mark.slow
def test_the_zip_holds_the_manifest_its_localization_and_the_icons(tmp_path):
    """manifest.json, en-US.json, color.png 192×192 and outline.png 32×32 white on transparent."""
    out = build_manifest_zip(app_id=APP_ID, host=HOST, out=tmp_path / "radsbot-teams.zip")
    assert out == tmp_path / "radsbot-teams.zip"
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "en-US.json", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
        color = Image.open(io.BytesIO(package.read("color.png")))
        outline = Image.open(io.BytesIO(package.read("outline.png")))
        english = json.loads(package.read("en-US.json"))
    assert manifest == build_manifest(app_id=APP_ID, host=HOST)
    assert errors(manifest_validator(), manifest) == [] and errors(localization_validator(), english) == []
    assert manifest["localizationInfo"]["additionalLanguages"] == [
        {"languageTag": "en-US", "file": "en-US.json"}
    ]
    assert (color.size, color.format) == ((192, 192), "PNG")
    assert (outline.size, outline.format) == ((32, 32), "PNG")
    pixels = set(outline.convert("RGBA").get_flattened_data())
    assert pixels == {(0, 0, 0, 0), (255, 255, 255, 255)}
    assert min(a for *_, a in color.convert("RGBA").get_flattened_data()) == 255
    assert [p.name for p in tmp_path.iterdir()] == ["radsbot-teams.zip"]


@pytest.mark.parametrize(
    ("app_id", "host", "expected"),
    [
        ("my-bot", HOST, "ikke en GUID"),
        (APP_ID, "https://radsbot.example.no/api/messages", "ikke et vertsnavn"),
        (APP_ID, "radsbot example", "ikke et vertsnavn"),
        (APP_ID, "", "ikke et vertsnavn"),
    ],
)
def test_a_bad_app_id_or_host_is_refused_in_norwegian_and_nothing_is_written(
    tmp_path, app_id, host, expected
):
    """The error names what is wrong and what to give instead; no file appears."""
    with pytest.raises(DomainError) as refused:
        build_manifest_zip(app_id=app_id, host=host, out=tmp_path / "x.zip")
    assert expected in str(refused.value) and "f.eks." in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_refused_and_an_old_package_is_replaced(tmp_path):
    """The zip goes into an existing folder only; a second build replaces the first whole."""
    with pytest.raises(DomainError, match="finnes ikke"):
        build_manifest_zip(app_id=APP_ID, host=HOST, out=tmp_path / "nope" / "x.zip")
    out = tmp_path / "x.zip"
    out.write_bytes(b"old")
    build_manifest_zip(app_id=APP_ID.upper(), host="Radsbot.Example.NO", out=out)
    with zipfile.ZipFile(out) as package:
        manifest = json.loads(package.read("manifest.json"))
    assert manifest["id"] == APP_ID and manifest["validDomains"] == [HOST]
