"""Settings from the environment: a value that cannot be used is a Norwegian message, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from radsbot.bot.settings import Settings, SettingsProblem, read_settings


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("PORT", "abc", "helt tall"),
        ("PORT", "70000", "mellom 1 og 65535"),
        ("RADSBOT_LANGUAGE", "de", "«nb» eller «en»"),
        ("RADSBOT_TIMEZONE", "Europe/Atlantis", "tidssone"),
        ("RADSBOT_MAX_CONNECTIONS", "5", "minst 10"),
        ("RADSBOT_POST_INTERVAL", "fort", "tall"),
        ("RADSBOT_SCHEDULE_INTERVAL", "0", "minst 1"),
    ],
)
def test_a_bad_setting_is_named_in_norwegian(name, value, said):
    with pytest.raises(SettingsProblem) as caught:
        read_settings(environ={name: value})
    message = str(caught.value)
    assert name in message and value in message and said in message
    assert "pydantic" not in message and "Input should" not in message


@pytest.mark.slow
def test_radsbot_with_a_bad_setting_exits_2_without_a_traceback(tmp_path):
    env = {**os.environ, "PORT": "abc", "HOME": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("radsbot")), "info"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "PORT" in done.stderr and "helt tall" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_good_settings_still_load():
    settings = read_settings(environ={"PORT": "3001", "RADSBOT_TIMEZONE": "Europe/Oslo"})
    assert isinstance(settings, Settings) and settings.port == 3001
