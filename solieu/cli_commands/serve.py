"""`solieu serve`: the HTTP service under uvicorn.

Options given here are passed to the app (and to every worker process)
through the SOLIEU_* environment variables that the service's settings read,
so that one process and N workers are configured the same way.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

APP_FACTORY = "solieu.service.app:create_app_from_env"


def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default: SOLIEU_HOST or 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=0, max=65535, help="Port (default: SOLIEU_PORT or 8000).")] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Worker processes, each with its own copy of the model (default: SOLIEU_WORKERS, "
                    "else one per core this process may run on).")] = None,
    model: Annotated[Path | None, typer.Option(help="Model directory (default: SOLIEU_MODEL_PATH or the shipped model).")] = None,
    extractor: Annotated[str | None, typer.Option(help="'model' (default) or 'rules' (the baseline, no model needed).")] = None,
    admin_token: Annotated[str | None, typer.Option(envvar="SOLIEU_ADMIN_TOKEN", show_default=False,
                                                    help="Enables /v1/admin/* with this bearer token.")] = None,
    log_level: Annotated[str | None, typer.Option(help="DEBUG, INFO, WARNING or ERROR.")] = None,
) -> None:
    """Serve the extraction API and the result page (GET /)."""
    from pydantic import ValidationError

    from solieu.model_store import resolve_model_path
    from solieu.service.settings import Settings

    overrides = {
        "SOLIEU_HOST": host,
        "SOLIEU_PORT": None if port is None else str(port),
        "SOLIEU_MODEL_PATH": None if model is None else str(model.resolve()),
        "SOLIEU_EXTRACTOR": extractor,
        "SOLIEU_ADMIN_TOKEN": admin_token,
        "SOLIEU_LOG_LEVEL": log_level,
        "SOLIEU_WORKERS": None if workers is None else str(workers),
    }
    for key, value in overrides.items():
        if value is not None:
            os.environ[key] = value
    try:
        settings = Settings()
    except ValidationError as e:
        first = e.errors()[0]
        typer.echo(f"error: {'.'.join(map(str, first['loc']))}: {first['msg']}", err=True)
        raise typer.Exit(1) from e
    if settings.extractor == "model" and not (resolve_model_path(settings.model_path) / "config.cfg").is_file():
        typer.echo(
            f"error: {settings.model_path}: not a model directory (no config.cfg); "
            "train one with `solieu train`, pass --model, or use --extractor rules",
            err=True,
        )
        raise typer.Exit(1)
    # Our middleware logs every request as JSON with its id: uvicorn's access log would repeat it.
    run_uvicorn(
        APP_FACTORY, factory=True, host=settings.host, port=settings.port, workers=settings.worker_count(),
        access_log=False, log_level=settings.log_level.lower(), timeout_graceful_shutdown=10,
    )


def run_uvicorn(app: str, **options) -> None:
    """`uvicorn.run`, with TCP_NODELAY on the listening socket. With several workers uvicorn hands
    each a copy of one socket, and asyncio does not turn Nagle's algorithm off on the connections
    they accept (it does for a socket it opens itself): a response's headers and body then wait
    on the client's delayed ACK, 40 ms a request (measured: 80 ms against 35 ms for one client).
    Linux copies the option from the listening socket to every accepted one."""
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(app, **options)
    if config.workers <= 1:
        server = uvicorn.Server(config)
        server.run()
        if not server.started:
            raise SystemExit(3)  # as uvicorn.run: the app did not start (its log says why)
        return
    sock = config.bind_socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Multiprocess(config, sockets=[sock]).run()


def main() -> None:
    """`python -m solieu.cli_commands.serve`, before the command is registered in the CLI."""
    typer.run(serve)


if __name__ == "__main__":
    main()
