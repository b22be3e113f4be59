"""Imports point one way: bot → reports → data; Slack stays in bot/; `radsbot ask` stays light."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("data", "reports", "bot")
SLACK = ("slack_bolt", "slack_sdk")
# Libraries `radsbot ask "status PLL"` must not import: they cost hundreds of milliseconds.
HEAVY = ("matplotlib", "docx", "docxtpl", "slack_bolt", "slack_sdk", "openpyxl", "apscheduler", "waitress")


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Every module a file imports, at any depth (also inside functions), as absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                found.add(node.module)
    return found


def python_files(*folders: str) -> list[Path]:
    """The Python files under the given top-level folders."""
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def top(module: str) -> str:
    return module.split(".", 1)[0]


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [("data", {"reports", "bot"}), ("reports", {"bot"})],
)
def test_lower_layers_do_not_import_higher_ones(layer, forbidden):
    offenders = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files(layer)
        for module in imported_modules(path)
        if top(module) in forbidden
    }
    assert not offenders, "\n".join(sorted(offenders))


def test_only_bot_imports_slack():
    """The product's other layers know nothing of Slack (tests may use slack_sdk's own classes)."""
    offenders = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files("data", "reports")
        for module in imported_modules(path)
        if top(module) in SLACK
    }
    assert not offenders, "\n".join(sorted(offenders))


def test_only_settings_reads_the_environment():
    offenders = []
    for path in python_files(*PACKAGES):
        if path.relative_to(ROOT).as_posix() == "bot/settings.py":
            continue
        source = path.read_text(encoding="utf-8")
        if "os.environ" in source or "getenv(" in source:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders


def test_the_checker_sees_imports_inside_functions_and_relative_ones(tmp_path):
    (tmp_path / "reports").mkdir()
    probe = tmp_path / "reports" / "probe.py"
    probe.write_text(
        "def f():\n    from data import models\n    import matplotlib.pyplot\nfrom . import charts\n"
    )
    assert {"data", "matplotlib.pyplot", "reports"} <= imported_modules(probe, tmp_path)


def test_the_ask_command_does_not_load_heavy_libraries():
    """Importing the CLI and the chat core must not pull in charts, documents or Slack."""
    code = (
        "import json, sys\n"
        "import bot.cli, bot.engine, bot.render.text\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
