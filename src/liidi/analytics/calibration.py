"""Score calibration: of the people a batch run scored, the share reaching sql, opportunity and customer
afterwards, by score band and by grade, per model — is the score predictive?

Each model's run is its latest batch run (`liidi score`) at or before `as_of` (default: the latest). For
each target stage, the base is the people of the run who had not reached it by the run's moment, and the
converted are those of them whose history enters it (or a later stage) after that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liidi.analytics.report_query import NONE, Result, number, quote, stage_rank

TARGETS = ("sql", "opportunity", "customer")
_RANK = {"sql": 4, "opportunity": 5, "customer": 6}


@dataclass(frozen=True, slots=True)
class CalibrationRow:
    """People of one model in one band or grade: scored, and per target stage the base and converted."""

    model: str
    model_version: str
    as_of: float
    key: str
    people: int
    base: dict[str, int]
    converted: dict[str, int]

    def rate(self, target: str) -> float | None:
        """Converted / base for a target stage; None when the base is empty."""
        base = self.base[target]
        return None if base == 0 else self.converted[target] / base

    def as_dict(self) -> dict[str, Any]:
        """The row as JSON-ready data."""
        return {
            "model": self.model,
            "model_version": self.model_version,
            "as_of": self.as_of,
            "key": self.key,
            "people": self.people,
            "base": self.base,
            "converted": self.converted,
            "rate": {t: self.rate(t) for t in TARGETS},
        }


@dataclass(frozen=True, slots=True)
class CalibrationReport:
    """Rows by score band and by grade for each model scored in batch."""

    model: str | None
    as_of: float | None
    band: float
    engine: str
    bands: list[CalibrationRow]
    grades: list[CalibrationRow]

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "model": self.model,
            "as_of": self.as_of,
            "band": self.band,
            "engine": self.engine,
            "targets": list(TARGETS),
            "bands": [r.as_dict() for r in self.bands],
            "grades": [r.as_dict() for r in self.grades],
        }


def calibration_sql(model: str | None, as_of: float | None, band: float, by_grade: bool) -> str:
    """Scored people per model and band (or grade), with the base and the converted per target."""
    filters = ["1 = 1"]
    if model is not None:
        filters.append(f"model = {quote(model)}")
    if as_of is not None:
        filters.append(f"as_of_ts <= {number(as_of)}")
    key = f"COALESCE(s.grade, {quote(NONE)})" if by_grade else f"FLOOR(s.score / {number(band)})"
    counts = ", ".join(
        f"SUM(CASE WHEN COALESCE(top_before, 0) < {r} THEN 1 ELSE 0 END) AS base_{t}, "
        f"SUM(CASE WHEN COALESCE(top_before, 0) < {r} AND COALESCE(top_after, 0) >= {r} THEN 1 ELSE 0 END) "
        f"AS converted_{t}"
        for t, r in _RANK.items()
    )
    rank = stage_rank("h.to_stage")
    return f"""WITH runs AS (
  SELECT model, MAX(as_of_ts) AS as_of_ts FROM scores_flat WHERE {" AND ".join(filters)} GROUP BY model
),
scored AS (
  SELECT s.person_id, s.model, s.model_version, s.as_of_ts, {key} AS k
  FROM scores_flat s JOIN runs r ON r.model = s.model AND r.as_of_ts = s.as_of_ts
),
moves AS (
  SELECT h.person_id, r.model,
         MAX(CASE WHEN h.ts <= r.as_of_ts THEN {rank} END) AS top_before,
         MAX(CASE WHEN h.ts > r.as_of_ts THEN {rank} END) AS top_after
  FROM stages_flat h CROSS JOIN runs r
  GROUP BY h.person_id, r.model
)
SELECT c.model, MAX(c.model_version) AS model_version, MAX(c.as_of_ts) AS as_of_ts, c.k,
       COUNT(*) AS people, {counts}
FROM scored c LEFT JOIN moves m ON m.person_id = c.person_id AND m.model = c.model
GROUP BY c.model, c.k ORDER BY c.model, c.k"""


def calibration_report(
    results: list[Result], *, model: str | None, as_of: float | None, band: float, engine: str
) -> CalibrationReport:
    """The report from the rows of `calibration_sql` by band, then by grade."""
    (_, bands), (_, grades) = results

    def rows(found: list[tuple[Any, ...]], banded: bool) -> list[CalibrationRow]:
        return [_row(r, band if banded else None) for r in found]

    return CalibrationReport(model, as_of, band, engine, rows(bands, True), rows(grades, False))


def _row(r: tuple[Any, ...], band: float | None) -> CalibrationRow:
    key = str(r[3]) if band is None else _band(float(r[3]), band)
    base = {t: int(r[5 + 2 * i] or 0) for i, t in enumerate(TARGETS)}
    converted = {t: int(r[6 + 2 * i] or 0) for i, t in enumerate(TARGETS)}
    return CalibrationRow(str(r[0]), str(r[1]), float(r[2]), key, int(r[4]), base, converted)


def _band(low: float, width: float) -> str:
    """A band's label from its index: '20–40' (lower bound included)."""
    start = low * width
    return f"{start:g}–{start + width:g}"
