"""`radsbot db seed` after the seed files were edited, and after imports that touched seeded values."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml
from radsbot.bot.names import load_names
from radsbot.data.batches import undo_batch
from radsbot.data.importer import import_file
from radsbot.data.models import ImportBatch, Indicator, Measurement
from radsbot.data.seed import SEED_DIR, load_seed
from sqlalchemy import select
from sqlalchemy.orm import Session


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    """An editable copy of the seed files."""
    copy = tmp_path / "seed"
    shutil.copytree(SEED_DIR, copy)
    return copy


def edit_indicator(seed: Path, filename: str, code: str, **fields) -> None:
    path = seed / "indicators" / filename
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = next(e for e in content["indicators"] if e["code"] == code)
    entry.update(fields)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


def drop_measurement(seed: Path, code: str, period: str) -> None:
    """Delete one row of measurements.csv."""
    path = seed / "measurements.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    kept = [r for r in rows if not (r[0] == code and r[1] == period)]
    assert len(kept) == len(rows) - 1, f"{code} {period} is not one row of the seed"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(kept)
    path.write_text(out.getvalue(), encoding="utf-8")


def value(session: Session, code: str, period: str) -> float | None:
    session.expire_all()
    return session.scalar(
        select(Measurement.value)
        .join(Indicator)
        .where(Indicator.code == code, Measurement.period == period, Measurement.breakdown == "")
    )


@pytest.mark.slow
def test_a_renamed_alias_is_the_only_one_afterwards(session: Session, seed: Path):
    aliases = ["PLL", "legemiddelliste", "medisinlisten", "pasientens legemiddelliste nasjonalt"]
    edit_indicator(seed, "1_kvalitet.yaml", "PLL", aliases=aliases)
    load_seed(session, seed)
    session.commit()
    pll = next(i for i in load_names(session).indicators if i.code == "PLL")
    assert "medisinlisten" in pll.aliases and "legemiddellisten" not in pll.aliases
    assert load_names(session).index.match("medisinlisten").best.code == "PLL"


@pytest.mark.slow
def test_a_deleted_measurement_row_is_removed(session: Session, seed: Path):
    assert value(session, "PLL", "2023-Q1") is not None
    drop_measurement(seed, "PLL", "2023-Q1")
    result = load_seed(session, seed)
    session.commit()
    assert value(session, "PLL", "2023-Q1") is None
    assert result.removed == 1 and result.added == 0


@pytest.mark.slow
def test_an_import_over_a_seeded_value_then_seed_again(session: Session, seed: Path, tmp_path: Path):
    """The import wins over the seed, the seed run says so, and undoing the import brings the
    seeded value back; a seed row deleted meanwhile goes on the next run."""
    seeded = value(session, "PLL", "2023-Q2")
    path = tmp_path / "pll.csv"
    path.write_text("indikator,periode,verdi\nPLL,2023-Q2,0.9\n", encoding="utf-8")
    report = import_file(session, path)
    session.commit()
    assert report.updated == 1
    result = load_seed(session, seed)
    session.commit()
    assert value(session, "PLL", "2023-Q2") == 0.9
    assert result.kept == 1 and (result.added, result.updated, result.removed) == (0, 0, 0)
    drop_measurement(seed, "PLL", "2023-Q2")
    assert load_seed(session, seed).removed == 0  # the row is the import's now
    session.commit()
    assert value(session, "PLL", "2023-Q2") == 0.9
    undo_batch(session, report.batch_id)
    session.commit()
    assert value(session, "PLL", "2023-Q2") == seeded
    assert load_seed(session, seed).removed == 1
    session.commit()
    assert value(session, "PLL", "2023-Q2") is None


@pytest.mark.slow
def test_seed_again_without_edits_reports_no_change(session: Session):
    before = session.scalar(select(ImportBatch.id).order_by(ImportBatch.id.desc()))
    result = load_seed(session)
    session.commit()
    assert (result.added, result.updated, result.removed) == (0, 0, 0)
    assert result.unchanged > 0
    assert session.scalar(select(ImportBatch.id).order_by(ImportBatch.id.desc())) == before


@pytest.mark.parametrize(
    ("fields", "reason"),
    [({"short_name": "k" * 121}, "høyst 120"), ({"name": "Pasientens\nlegemiddelliste"}, "linjeskift")],
)
@pytest.mark.slow
def test_a_seed_value_its_column_cannot_hold_names_the_entry(session: Session, seed: Path, fields, reason):
    from radsbot.data.seed_files import SeedError

    edit_indicator(seed, "1_kvalitet.yaml", "PLL", **fields)
    with pytest.raises(SeedError, match=reason) as refused:
        load_seed(session, seed)
    assert "PLL" in str(refused.value) and next(iter(fields)) in str(refused.value)


@pytest.mark.slow
def test_plan_links_are_synced_and_checked(session, seed):
    """`plan_indicators` links a dashboard indicator to the 2023 plan; edits are synced, bad codes refused."""
    from radsbot.data.seed_files import SeedError

    pll = session.scalar(select(Indicator).where(Indicator.code == "PLL"))
    assert [p.code for p in pll.plan_links] == ["P23_4_2_5", "P23_4_2_6"]
    assert all(p.indicator_set == "plan2023" and p.ambitions for p in pll.plan_links)
    edit_indicator(seed, "1_kvalitet.yaml", "PLL", plan_indicators=["P23_4_2_6"])
    load_seed(session, seed)
    session.expire_all()
    assert [p.code for p in pll.plan_links] == ["P23_4_2_6"]
    edit_indicator(seed, "1_kvalitet.yaml", "PLL", plan_indicators=["SAMHANDLING"])
    with pytest.raises(SeedError, match="«SAMHANDLING» er ingen indikator i Plan for realisering 2023"):
        load_seed(session, seed)
