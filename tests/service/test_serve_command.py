"""`solieu serve` as a function: options reach uvicorn and the settings."""

from __future__ import annotations

import os

import typer
from typer.testing import CliRunner

from solieu.cli_commands import serve as serve_module


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("serve")(serve_module.serve)
    # A second command keeps typer from folding the single one into the app.
    app.command("noop")(lambda: None)
    return app


def test_serve_passes_options_to_uvicorn_and_the_environment(monkeypatch, tmp_path):
    (tmp_path / "config.cfg").write_text("[nlp]\n")
    calls = []
    monkeypatch.setattr(serve_module, "run_uvicorn", lambda *a, **kw: calls.append((a, kw)))
    # serve() writes os.environ: set-then-delete makes monkeypatch restore each key afterwards.
    for key in ("SOLIEU_MODEL_PATH", "SOLIEU_PORT", "SOLIEU_HOST", "SOLIEU_EXTRACTOR", "SOLIEU_LOG_LEVEL",
                "SOLIEU_WORKERS"):
        monkeypatch.setenv(key, "placeholder")
        monkeypatch.delenv(key)
    result = CliRunner().invoke(_app(), ["serve", "--host", "0.0.0.0", "--port", "9123", "--workers", "3",
                                         "--model", str(tmp_path), "--log-level", "warning"])
    assert result.exit_code == 0, result.output
    [(args, kwargs)] = calls
    assert args == ("solieu.service.app:create_app_from_env",)
    assert kwargs["factory"] is True and kwargs["workers"] == 3
    assert kwargs["host"] == "0.0.0.0" and kwargs["port"] == 9123 and kwargs["log_level"] == "warning"
    assert os.environ["SOLIEU_MODEL_PATH"] == str(tmp_path.resolve())


def test_serve_starts_one_worker_per_core_by_default(monkeypatch, tmp_path):
    (tmp_path / "config.cfg").write_text("[nlp]\n")
    calls = []
    monkeypatch.setattr(serve_module, "run_uvicorn", lambda *a, **kw: calls.append(kw))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    for key in ("SOLIEU_MODEL_PATH", "SOLIEU_WORKERS"):
        monkeypatch.setenv(key, "placeholder")
        monkeypatch.delenv(key)
    result = CliRunner().invoke(_app(), ["serve", "--model", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert calls[0]["workers"] == 3
    monkeypatch.setenv("SOLIEU_WORKERS", "2")
    assert CliRunner().invoke(_app(), ["serve", "--model", str(tmp_path)]).exit_code == 0
    assert calls[1]["workers"] == 2


def test_serve_without_a_model_is_one_error_line(monkeypatch, tmp_path):
    monkeypatch.setattr(serve_module, "run_uvicorn", lambda *a, **kw: (_ for _ in ()).throw(AssertionError("must not start")))
    monkeypatch.setenv("SOLIEU_MODEL_PATH", "placeholder")
    result = CliRunner().invoke(_app(), ["serve", "--model", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "not a model directory" in result.output and "--extractor rules" in result.output


def test_serve_rejects_bad_settings(monkeypatch):
    monkeypatch.setattr(serve_module, "run_uvicorn", lambda *a, **kw: None)
    monkeypatch.setenv("SOLIEU_EXTRACTOR", "placeholder")
    result = CliRunner().invoke(_app(), ["serve", "--extractor", "magic"])
    assert result.exit_code == 1 and "extractor" in result.output


def test_several_workers_share_a_listening_socket_with_nagle_off(monkeypatch):
    """Each worker's connections inherit TCP_NODELAY from it: no 40 ms delayed-ACK stall per answer."""
    import socket

    import uvicorn.supervisors

    seen = []

    class Supervisor:
        def __init__(self, config, sockets):
            seen.extend(sockets)

        def run(self):
            return None

    monkeypatch.setattr(uvicorn.supervisors, "Multiprocess", Supervisor)
    serve_module.run_uvicorn("solieu.service.app:create_app_from_env", factory=True, host="127.0.0.1", port=0,
                             workers=2)
    [sock] = seen
    try:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        sock.close()
