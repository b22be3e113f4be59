"""The app manifest ships in the package and matches what the app listens for."""

from __future__ import annotations

from importlib.resources import files

import yaml
from radsbot.bot.slack.server import EVENTS_PATH


def test_manifest_declares_what_the_app_handles():
    """Events, the slash command, interactivity, App Home and the scopes they need."""
    manifest = yaml.safe_load(
        files("radsbot.bot.slack").joinpath("manifest.yaml").read_text(encoding="utf-8")
    )
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_mention",
        "message.im",
        "app_home_opened",
    }
    assert settings["interactivity"]["is_enabled"] is True
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"]]
    urls += [c["url"] for c in manifest["features"]["slash_commands"]]
    assert all(url.endswith(EVENTS_PATH) for url in urls)
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/radsbot"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "im:history", "files:write"} <= scopes
