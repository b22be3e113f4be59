"""The architecture rules, enforced by import-linter (pyproject.toml), and the packaging they rely on.

The contracts: bot → reports → data only; SQLAlchemy only in data; Slack only in bot.slack;
matplotlib and docx only in reports. Each test that injects a violation shows the check can fail.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "reports", "data")
LINT = Path(sys.executable).with_name("lint-imports")
# Libraries `radsbot ask "status PLL"` must not import: they cost hundreds of milliseconds.
HEAVY = (
    "matplotlib",
    "docx",
    "docxtpl",
    "slack_bolt",
    "slack_sdk",
    "openpyxl",
    "apscheduler",
    "waitress",
    "microsoft_agents",
    "aiohttp",
)


def lint(tree: Path) -> subprocess.CompletedProcess:
    """Run lint-imports on a copy of the packages laid out as the `radsbot` namespace under `tree`."""
    env = {"PYTHONPATH": str(tree), "PATH": str(LINT.parent), "HOME": str(tree)}
    return subprocess.run(
        [str(LINT), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of bot/, reports/ and data/ as tmp/radsbot/{bot,reports,data} (code only)."""
    for name in PACKAGES:
        shutil.copytree(
            ROOT / name, tmp_path / "radsbot" / name, ignore=shutil.ignore_patterns("seed", "*.docx")
        )
    return tmp_path


@pytest.mark.slow
def test_the_contracts_hold():
    out = subprocess.run([str(LINT), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "5 kept, 0 broken" in out.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("data/queries.py", "from radsbot.reports import charts", "bot -> reports -> data"),
        ("reports/status.py", "from radsbot.bot import engine", "bot -> reports -> data"),
        ("bot/handlers/goals.py", "from sqlalchemy import select", "SQLAlchemy and Alembic only in data"),
        ("reports/charts.py", "import slack_sdk", "Slack only in bot.slack"),
        ("bot/engine.py", "import slack_bolt", "Slack only in bot.slack"),
        ("bot/slack/blocks.py", "import microsoft_agents.activity", "microsoft_agents only in bot.teams"),
        ("bot/engine.py", "from microsoft_agents.hosting import core", "microsoft_agents only in bot.teams"),
        ("bot/slack/blocks.py", "import matplotlib", "Charts and Word documents only in reports"),
        ("data/models.py", "import docx", "Charts and Word documents only in reports"),
    ],
)
@pytest.mark.slow
def test_an_injected_violation_breaks_its_contract(tree, module, line, contract):
    path = tree / "radsbot" / module
    path.write_text(
        path.read_text(encoding="utf-8") + f"\n\ndef _injected():\n    {line}\n", encoding="utf-8"
    )
    out = lint(tree)
    assert out.returncode != 0, out.stdout
    assert f"{contract} BROKEN" in out.stdout, out.stdout
    assert "1 broken" in out.stdout


@pytest.mark.slow
def test_the_untouched_copy_passes(tree):
    """The copy the violations are injected into passes as it is (so a failure is the injection's)."""
    out = lint(tree)
    assert out.returncode == 0, out.stdout + out.stderr


def test_only_settings_reads_the_environment():
    readers = []
    for path in sorted(p for name in PACKAGES for p in (ROOT / name).rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "os.environ" in source or "getenv(" in source:
            readers.append(path.relative_to(ROOT).as_posix())
    # bot/settings.py is found too: the scan sees the code (an empty scan would pass anything).
    assert readers == ["bot/settings.py"]


@pytest.mark.slow
def test_the_ask_command_does_not_load_heavy_libraries(tmp_path):
    """Importing the CLI and the chat core must not pull in charts, documents or Slack."""
    code = (
        "import json, sys\n"
        "import radsbot.bot.cli, radsbot.bot.engine, radsbot.bot.render.text\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_every_package_folder_is_installed():
    """pyproject.toml lists the packages by hand (a mapped namespace): none may be forgotten."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        "radsbot." + ".".join(init.parent.relative_to(ROOT).parts)
        for name in PACKAGES
        for init in (ROOT / name).rglob("__init__.py")
    }
    assert found == listed


@pytest.mark.slow
def test_radsbot_works_from_a_folder_with_its_own_bot_and_data_packages(tmp_path):
    """Nothing named bot, data or reports at the top level can shadow Rådsbot's own packages."""
    for name in PACKAGES:
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("raise ImportError('the wrong package')\n")
    (tmp_path / "data" / "models.py").write_text("raise ImportError('the wrong models')\n")
    out = subprocess.run(
        [sys.executable, "-c", "import radsbot.bot.engine, radsbot.data.models, radsbot.reports.charts"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr


@pytest.mark.slow
def test_the_wheel_holds_only_the_radsbot_namespace(tmp_path):
    """`pip install .` puts radsbot/{bot,reports,data} in site-packages and nothing else at the top."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("radsbot-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/", 1)[0] for n in names}
    assert tops == {"radsbot", next(t for t in tops if t.endswith(".dist-info"))}
    assert "radsbot/__init__.py" not in names  # a namespace: the three packages share it
    for needed in (
        "radsbot/bot/engine.py",
        "radsbot/bot/slack/manifest.yaml",
        "radsbot/data/seed/measurements.csv",
        "radsbot/data/templates/toppnotat.docx",
        "radsbot/data/locale/nb/LC_MESSAGES/radsbot.po",
        "radsbot/data/locale/en/LC_MESSAGES/radsbot.po",
        "radsbot/data/migrations/versions/0001_initial_initial_schema.py",
        "radsbot/reports/charts.py",
    ):
        assert needed in names
    assert not [n for n in names if n.endswith("templates/build.py")], "the template generator is not shipped"
