"""The shipped example model ranks the demo market's people by how far their hidden buying process got."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from liidi.demo.generator import DemoDataset, generate
from liidi.services.demo import load_demo
from liidi.services.scoring import rescore_model
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import publish

EXAMPLE = (Path(__file__).resolve().parents[2] / "examples" / "scoring.yaml").read_text(encoding="utf-8")
END = datetime(2026, 11, 1, tzinfo=UTC)
END_TS = END.timestamp()
FAR_ALONG = ("comparing_solutions", "deciding")
# Measured on this dataset (seed 11, 200 accounts × 9 months): AUC 0.836, and all of the top 10 are far
# along. A model whose rules miss what the market really does scores about 0.74 here.
MIN_AUC = 0.80


def auc(scored: list[tuple[float, bool]]) -> float:
    """The chance that a random positive outranks a random negative; ties count half."""
    positives = [score for score, label in scored if label]
    negatives = [score for score, label in scored if not label]
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def far_along(dataset: DemoDataset) -> Callable[[str], bool]:
    """Whether a person's account is in market and its hidden process reached comparing or deciding."""
    account_of = {p.email: p.account_domain for p in dataset.people}

    def label(email: str) -> bool:
        truth = dataset.truth.accounts.get(account_of.get(email) or "")
        return truth is not None and truth.in_market and truth.max_stage in FAR_ALONG

    return label


def test_the_hottest_demo_leads_are_the_ones_furthest_along_in_their_hidden_buying_process(
    new_uow: Callable[[], UnitOfWork],
) -> None:
    dataset = generate(accounts=200, months=9, seed=11, end=END)
    load_demo(new_uow(), dataset=dataset, now=END_TS)
    publish(new_uow, EXAMPLE)
    assert rescore_model(new_uow, name="core-services", now=END_TS) == len(dataset.people)

    with new_uow() as uow:
        rows = uow.conn.exec_driver_sql(
            "SELECT p.email, s.score FROM score_states s JOIN people p ON p.id = s.person_id "
            "WHERE s.model = 'core-services'"
        ).all()
    label = far_along(dataset)
    scored = [(float(score), label(email)) for email, score in rows]
    assert len(scored) == len(dataset.people)
    assert 0 < sum(far for _, far in scored) < len(scored)

    assert auc(scored) >= MIN_AUC
    hottest = sorted(scored, key=lambda item: item[0], reverse=True)[:10]
    assert sum(far for _, far in hottest) >= 7
