"""Running the HTTP API: bind the port first, then recover interrupted jobs, then serve with N workers."""

from __future__ import annotations

import socket

from fastapi import FastAPI

from liidi.api.app import create_app
from liidi.bootstrap import make_engine
from liidi.config import Settings, get_settings
from liidi.errors import ConfigError
from liidi.notify.worker import start_in_background
from liidi.services import backtest_jobs
from liidi.services.unit_of_work import UnitOfWork

APP_FACTORY = "liidi.cli.serve:worker_app"


def run_server(conf: Settings, *, host: str, port: int, workers: int, dispatch: bool = True) -> None:
    """Serve the API on host:port with `workers` processes sharing the socket; returns when stopped.

    The socket is bound before anything else: a second server on a busy port stops with an error and
    leaves the running server's backtest jobs alone. Jobs an earlier server left unfinished are failed
    once, here, not by every worker. With `dispatch`, this process also delivers the outbox in a
    background thread (one dispatcher, however many workers serve requests).
    """
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    sock = bind(host, port)
    engine = make_engine(conf.database_url)
    backtest_jobs.fail_interrupted(UnitOfWork(engine))
    stop_dispatch = start_in_background(lambda: UnitOfWork(engine), conf) if dispatch else None
    config = uvicorn.Config(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=conf.log_level.lower(),
    )
    try:
        if workers > 1:
            Multiprocess(config, sockets=[sock]).run()
        else:
            uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        if stop_dispatch is not None:
            stop_dispatch()
        engine.dispose()


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port that worker processes can inherit; ConfigError if it is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    sock.set_inheritable(True)
    return sock


def worker_app() -> FastAPI:
    """The app one worker process serves (settings from the environment; jobs recovered by the parent)."""
    return create_app(get_settings(), recover_jobs=False)
