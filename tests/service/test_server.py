"""The service as a real process: `solieu serve` (uvicorn) on 127.0.0.1."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from service_helpers import SAMPLE, LiveServer, make_docx

pytestmark = pytest.mark.slow


def test_real_server_answers_over_http(live_server):
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        assert http.get("/health").json()["status"] == "ok"
        assert http.get("/ready").json()["model"]["name"] == "solieu_rules"

        r = http.post("/v1/extract", json={"documents": [{"text": SAMPLE, "id": "a"}, {"text": SAMPLE}]},
                      headers={"X-Request-ID": "live-1"})
        assert r.status_code == 200, r.text
        assert r.headers["x-request-id"] == "live-1"
        docs = r.json()["documents"]
        assert [d["id"] for d in docs] == ["a", "doc-2"]
        assert "17.271 triệu đồng" in {e["text"] for e in docs[0]["entities"]}

        f = http.post("/v1/extract/file", files={"file": ("r.docx", make_docx([SAMPLE]), "application/octet-stream")})
        assert f.status_code == 200, f.text
        assert f.json()["file"]["kind"] == "docx"

        bad = http.post("/v1/extract", content=b"\xff{", headers={"Content-Type": "application/json"})
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_json"
        big = http.post("/v1/extract", content=b"x" * (9 * 1024 * 1024), headers={"Content-Type": "application/json"})
        assert big.status_code == 413 and big.json()["error"]["code"] == "request_too_large"

        unauthorized = http.post("/v1/admin/reload")
        assert unauthorized.status_code == 401
        reload = http.post("/v1/admin/reload", headers={"Authorization": "Bearer live-secret"})
        assert reload.status_code == 200, reload.text

    lines = [json.loads(line) for line in live_server.log().splitlines() if line.startswith("{")]
    logged = [entry for entry in lines if entry.get("event") == "request" and entry.get("request_id") == "live-1"]
    assert logged and logged[0]["status"] == 200 and logged[0]["path"] == "/v1/extract"


def test_serve_with_several_workers(tmp_path):
    server = LiveServer("--extractor", "rules", "--workers", "2", log_path=tmp_path / "workers.log")
    try:
        server.wait_ready()
        with httpx.Client(base_url=server.url, timeout=30) as http:
            for _ in range(6):
                assert http.post("/v1/extract", json={"text": SAMPLE}).status_code == 200
        # /ready answers once one worker is up; the other may still be loading its model.
        deadline = time.monotonic() + 30
        while True:
            loaded = [json.loads(line) for line in server.log().splitlines() if '"model_loaded"' in line]
            if len(loaded) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert len(loaded) == 2, server.log()  # each worker loads its own copy, once
        assert len({entry["pid"] for entry in loaded}) == 2
        assert all(entry["rss_mb"] > 10 for entry in loaded)  # each worker says what it costs
    finally:
        server.stop()


def test_serve_refuses_a_missing_model_with_one_line(tmp_path):
    server = LiveServer("--model", str(tmp_path / "nothing"), log_path=tmp_path / "missing.log")
    try:
        assert server.process.wait(timeout=60) == 1
        assert "not a model directory" in server.log()
        assert "Traceback" not in server.log()
    finally:
        server.stop()
