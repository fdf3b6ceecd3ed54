"""Fixtures of the service tests; the helpers live in service_helpers.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from service_helpers import FakePipeline, LiveServer
from solieu.service.app import create_app
from solieu.service.settings import Settings


@pytest.fixture
def make_client():
    """`make_client(pipeline=..., loader=..., **settings)` -> a started TestClient."""
    clients: list[TestClient] = []

    def make(pipeline: FakePipeline | None = None, *, loader=None, raise_server_exceptions: bool = False,
             **settings) -> TestClient:
        if loader is None:
            chosen = pipeline or FakePipeline()
            loader = lambda path: chosen  # noqa: E731
        app = create_app(Settings(**settings), pipeline_loader=loader)
        client = TestClient(app, raise_server_exceptions=raise_server_exceptions)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """`solieu serve --extractor rules` on 127.0.0.1 and a free port."""
    server = LiveServer("--extractor", "rules", env={"SOLIEU_ADMIN_TOKEN": "live-secret"},
                        log_path=tmp_path_factory.mktemp("server") / "server.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
