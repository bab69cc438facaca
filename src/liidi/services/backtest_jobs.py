"""Backtest jobs: recorded, run in a background thread, with progress and the result stored."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

from liidi.errors import Conflict, FieldError, LiidiError, NotFound, ValidationFailed
from liidi.services.backtest import NewUow, Params, Progress, Side, pick_model, run_backtest
from liidi.services.clock import resolve_now
from liidi.services.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# This process's run id, stored with every job it starts: a job of another run that is still queued or
# running was left behind by a server that stopped, and is failed when a server starts.
RUN_ID = uuid.uuid4().hex
INTERRUPTED = "interrupted: the server stopped before the backtest finished; start it again"


def start_job(
    new_uow: NewUow,
    *,
    name: str,
    version: int,
    params: Params,
    against: str = "published",
    now: float | None = None,
    background: Callable[[Callable[[], None]], None] | None = None,
) -> int:
    """Check the models, record a queued job and run it in the background; the job's id."""
    new = pick_model(new_uow(), ref=f"{name}@v{version}", field="version")
    try:
        other = pick_model(new_uow(), ref=against, name=name)
    except NotFound as error:
        raise ValidationFailed([FieldError("against", against, error.message)]) from None
    stored = params.as_json() | {"model": new.label, "against": other.label}
    with new_uow() as uow:
        values = {
            "status": "queued",
            "progress": 0.0,
            "params": stored,
            "created_ts": resolve_now(now),
            "runner": RUN_ID,
        }
        job_id = uow.backtests.add(values)
        uow.commit()
    (background or _thread)(lambda: run_job(new_uow, job_id=job_id, new=new, against=other, params=params))
    return job_id


def fail_interrupted(uow: UnitOfWork, *, now: float | None = None) -> list[int]:
    """Mark failed the jobs earlier server processes left queued or running; their ids.

    Jobs started by this process are left alone, so calling this again while they run is harmless.
    """
    with uow:
        finished = resolve_now(now)
        ids = uow.backtests.fail_unfinished(keep_runner=RUN_ID, error=INTERRUPTED, finished_ts=finished)
        uow.commit()
    if ids:
        log.warning("backtest jobs %s were interrupted by a server stop and are marked failed", ids)
    return ids


def _thread(work: Callable[[], None]) -> None:
    threading.Thread(target=work, name="liidi-backtest", daemon=True).start()


def run_job(new_uow: NewUow, *, job_id: int, new: Side, against: Side, params: Params) -> None:
    """Run a recorded job, keeping its status and progress up to date; failures are recorded, not raised."""
    _set(new_uow, job_id, status="running", error=None, started_ts=resolve_now(None))
    try:
        result = run_backtest(
            new_uow, new=new, against=against, params=params, progress=_saver(new_uow, job_id)
        )
    except Exception as error:
        log.exception("backtest job %s failed", job_id)
        message = error.message if isinstance(error, LiidiError) else f"{type(error).__name__}: {error}"
        _set(new_uow, job_id, status="failed", error=message, finished_ts=resolve_now(None))
        return
    # A finished job clears any error, so its record never says both "done" and why it failed.
    done = {"status": "done", "progress": 1.0, "result": result, "error": None}
    _set(new_uow, job_id, **done, finished_ts=resolve_now(None))


def _saver(new_uow: NewUow, job_id: int) -> Progress:
    """A progress callback that stores the job's progress at most every 2 % of the way."""
    last = [0.0]

    def save(share: float) -> None:
        if share - last[0] >= 0.02 and share < 1.0:
            last[0] = share
            _set(new_uow, job_id, progress=round(share, 3))

    return save


def _set(new_uow: NewUow, job_id: int, **values: Any) -> None:
    with new_uow() as uow:
        uow.backtests.change(job_id, values)
        uow.commit()


def finished_result(uow: UnitOfWork, *, job_id: int) -> dict[str, Any]:
    """A done job's result; Conflict while it is queued or running, or when it failed."""
    job = get_job(uow, job_id=job_id)
    if job["status"] != "done":
        raise Conflict(f"backtest {job_id} is {job['status']}; its chart and report come when it is done")
    result: dict[str, Any] = job["result"]
    return result


def get_job(uow: UnitOfWork, *, job_id: int) -> dict[str, Any]:
    """A job's status, progress, parameters, and its result or error."""
    with uow:
        row = uow.backtests.get(job_id)
    if row is None:
        raise NotFound(f"no backtest job {job_id}")
    return row
