"""Every endpoint in-process (TestClient), with a tiny pipeline injected."""

from __future__ import annotations

import io
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from service_helpers import SAMPLE, SAMPLE_OWNER, FakePipeline, assert_error, assert_valid_documents
from solieu.service.app import create_app
from solieu.service.logs import configure_logging, stop_logging
from solieu.service.settings import Settings

from solieu.errors import ModelError
from solieu.schema import ENTITY_LABELS, LABEL_DESCRIPTIONS, RELATION_LABELS

# --- ops ----------------------------------------------------------------------

def test_health_and_ready(client):
    assert client.get("/health").json()["status"] == "ok"
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "model": {"name": "fake", "version": "1"}}


def test_model_is_loaded_in_lifespan_once_not_at_creation():
    calls = []

    def loader(path):
        calls.append(path)
        return FakePipeline()

    app = create_app(Settings(model_path="/models/x"), pipeline_loader=loader)
    assert calls == []  # building the app loads nothing
    with TestClient(app) as c:
        c.get("/ready")
        c.post("/v1/extract", json={"text": SAMPLE})
    assert [str(p) for p in calls] == ["/models/x"]


def test_ready_is_503_until_a_model_is_loaded(make_client):
    def broken(path):
        raise ModelError(f"{path}: not a model directory (no config.cfg)")

    c = make_client(loader=broken, require_model=False, model_path="/nowhere")
    assert c.get("/health").status_code == 200
    assert_error(c.get("/ready"), 503, "model_not_ready", contains="no config.cfg")
    assert_error(c.post("/v1/extract", json={"text": SAMPLE}), 503, "model_not_ready")
    assert_error(c.get("/v1/model"), 503, "model_not_ready")


def test_startup_fails_loudly_when_the_model_is_required():
    def broken(path):
        raise ModelError("no model here")

    app = create_app(Settings(), pipeline_loader=broken)
    with pytest.raises(ModelError, match="no model here"), TestClient(app):
        pass


# --- labels and model ----------------------------------------------------------

def test_labels_carry_vietnamese_names_and_descriptions(client):
    body = client.get("/v1/labels").json()
    assert [e["label"] for e in body["entities"]] == list(ENTITY_LABELS)
    assert [r["label"] for r in body["relations"]] == list(RELATION_LABELS)
    money = body["entities"][0]
    assert money["vi"] == LABEL_DESCRIPTIONS["MONEY"]["vi"] == "số tiền"
    assert money["description"] == LABEL_DESCRIPTIONS["MONEY"]["description"]
    as_of = next(r for r in body["relations"] if r["label"] == "AS_OF")
    assert as_of["head"] == ["MONEY", "PERCENT"] and as_of["tail"] == ["DATE"]


def test_model_reports_meta_and_scores(make_client):
    meta = {"metrics": {"ents_f": 0.81, "rel_f": 0.64}, "solieu": {"spec_version": "1"}}
    body = make_client(FakePipeline(name="solieu_vi_default", version="0.3.0", meta=meta)).get("/v1/model").json()
    assert body["name"] == "solieu_vi_default" and body["version"] == "0.3.0"
    assert body["scores"] == {"ents_f": 0.81, "rel_f": 0.64}
    assert body["spec_version"] == "1" and body["meta"]["metrics"]["ents_f"] == 0.81
    assert body["loaded_at"] > 0


# --- extract -----------------------------------------------------------------

def test_extract_one_document(client):
    r = client.post("/v1/extract", json={"text": SAMPLE, "id": "r1"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["model"] == {"name": "fake", "version": "1"}
    assert body["timing"]["documents"] == 1 and body["timing"]["characters"] == len(SAMPLE)
    assert body["timing"]["total_ms"] >= body["timing"]["inference_ms"] >= 0
    [doc] = assert_valid_documents(body)
    assert doc.id == "r1" and doc.text == SAMPLE
    found = {(e.label, e.text) for e in doc.entities}
    assert {("MONEY", "17.271 triệu đồng"), ("PERCENT", "55,3%"), ("DATE", "ngày 14/05/2025")} <= found
    money = next(e for e in doc.entities if e.label == "MONEY")
    assert SAMPLE[money.start : money.end] == "17.271 triệu đồng"
    assert body["documents"][0]["entities"][1]["value"] == {"amount": 17271000000, "currency": "VND"}
    assert {r.label for r in doc.relations} == {"AS_OF"}


def test_exchange_format_has_no_nulls(client):
    raw = client.post("/v1/extract", json={"text": SAMPLE}).text
    assert "null" not in raw  # the CLI writes exchange format with exclude_none too (dates aside)


def test_extract_batch_keeps_order_and_fills_ids(client):
    r = client.post("/v1/extract", json={"documents": [{"text": SAMPLE}, {"text": SAMPLE_OWNER, "id": "b"},
                                                       {"text": "Năm 2024 đạt 98,5 %."}]})
    assert r.status_code == 200, r.text
    docs = assert_valid_documents(r.json())
    assert [d.id for d in docs] == ["doc-1", "b", "doc-3"]
    assert [d.text for d in docs] == [SAMPLE, SAMPLE_OWNER, "Năm 2024 đạt 98,5 %."]
    assert r.json()["timing"]["documents"] == 3


def test_document_date_gives_yearless_dates_a_year(make_client):
    pipeline = FakePipeline()
    c = make_client(pipeline)
    r = c.post("/v1/extract", json={"text": "Đến ngày 22/12 thu được 5 tỷ đồng.", "document_date": "2025-06-04"})
    assert r.status_code == 200, r.text
    date = next(e for e in r.json()["documents"][0]["entities"] if e["label"] == "DATE")
    assert date["value"] == {"start": "2025-12-22", "end": "2025-12-22"}
    assert pipeline.seen[0].document_date == "2025-06-04"


def test_offsets_index_the_text_as_sent_even_decomposed(client):
    decomposed = "Thu được 17.271 trie\u0302\u0323u đồng."
    body = client.post("/v1/extract", json={"text": decomposed}).json()
    doc = body["documents"][0]
    assert doc["text"] == decomposed
    money = doc["entities"][0]
    assert decomposed[money["start"] : money["end"]] == "17.271 trie\u0302\u0323u đồng"


def test_emoji_are_text_and_offsets_stay_code_points(client):
    text = "🎉 Thu ngân sách 📈 đạt 17.271 triệu đồng 👍 bằng 55,3% dự toán."
    r = client.post("/v1/extract", json={"text": text})
    assert r.status_code == 200, r.text
    [doc] = assert_valid_documents(r.json())
    assert {e.text for e in doc.entities} >= {"17.271 triệu đồng", "55,3%"}


def test_duplicate_ids_are_refused(client):
    r = client.post("/v1/extract", json={"documents": [{"id": "a", "text": SAMPLE}, {"id": "a", "text": SAMPLE}]})
    assert_error(r, 422, "invalid_input", contains="already the id of documents[0]")


def test_inference_runs_off_the_event_loop(make_client):
    gate = threading.Event()
    pipeline = FakePipeline(gate=gate)
    c = make_client(pipeline)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(c.post, "/v1/extract", json={"text": SAMPLE})
        assert pipeline.entered.wait(5)
        # Extraction is blocked in its thread; the loop still answers.
        assert c.get("/health").status_code == 200
        gate.set()
        assert pending.result(timeout=10).status_code == 200
    assert all(not name.startswith("MainThread") for name in pipeline.threads)


def test_unexpected_failure_is_a_500_in_the_error_shape(make_client):
    c = make_client(FakePipeline(fail_with=RuntimeError("boom at /secret/path")))
    error = assert_error(c.post("/v1/extract", json={"text": SAMPLE}), 500, "internal_error")
    assert "boom" not in error["message"] and "secret" not in error["message"]


# --- request ids and logs ---------------------------------------------------------

def test_request_id_is_made_or_kept(client):
    made = client.get("/health").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert client.get("/health", headers={"X-Request-ID": "caller-42"}).headers["x-request-id"] == "caller-42"
    # An id that cannot be logged safely is replaced.
    assert client.get("/health", headers={"X-Request-ID": "a b\tc"}).headers["x-request-id"] != "a b\tc"
    err = client.post("/v1/extract", json={"text": ""}, headers={"X-Request-ID": "caller-43"})
    assert assert_error(err, 422)["request_id"] == "caller-43"


def test_logs_are_json_lines_with_the_request_id(client):
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    try:
        client.post("/v1/extract", json={"text": SAMPLE}, headers={"X-Request-ID": "log-check-1"})
    finally:
        stop_logging()
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    line = next(r for r in records if r.get("event") == "request")
    assert line["request_id"] == "log-check-1"
    assert line["path"] == "/v1/extract" and line["status"] == 200 and line["duration_ms"] >= 0
    assert line["level"] == "INFO" and "ts" in line


# --- admin ------------------------------------------------------------------------

def test_admin_is_disabled_without_a_token(client):
    assert_error(client.post("/v1/admin/reload"), 404, "not_found")
    assert "/v1/admin/reload" not in client.get("/openapi.json").json()["paths"]


def _versioned_loader(pipelines):
    it = iter(pipelines)
    return lambda path: next(it)


def test_admin_reload_needs_the_bearer_token(make_client):
    c = make_client(loader=_versioned_loader([FakePipeline(version="1"), FakePipeline(version="2")]),
                    admin_token="s3cret")
    r = c.post("/v1/admin/reload")
    assert_error(r, 401, "unauthorized", contains="Bearer")
    assert r.headers["www-authenticate"] == "Bearer"
    assert_error(c.post("/v1/admin/reload", headers={"Authorization": "Bearer wrong"}), 401)
    assert_error(c.post("/v1/admin/reload", headers={"Authorization": "Basic s3cret"}), 401)
    ok = c.post("/v1/admin/reload", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["previous"]["version"] == "1" and ok.json()["model"]["version"] == "2"
    assert c.get("/ready").json()["model"]["version"] == "2"


def test_reload_swaps_atomically_in_flight_requests_finish_on_the_old_model(make_client):
    gate = threading.Event()
    old, new = FakePipeline(version="old", gate=gate), FakePipeline(version="new")
    c = make_client(loader=_versioned_loader([old, new]), admin_token="t", inference_threads=2)
    with ThreadPoolExecutor(1) as pool:
        in_flight = pool.submit(c.post, "/v1/extract", json={"text": SAMPLE})
        assert old.entered.wait(5)
        reload = c.post("/v1/admin/reload", headers={"Authorization": "Bearer t"})
        assert reload.status_code == 200, reload.text
        after = c.post("/v1/extract", json={"text": SAMPLE})
        assert after.json()["model"]["version"] == "new"
        gate.set()
        finished = in_flight.result(timeout=10)
    assert finished.status_code == 200
    assert finished.json()["model"]["version"] == "old"
    assert len(new.seen) == 1 and len(old.seen) == 1


def test_failed_reload_keeps_the_old_model(make_client):
    calls = {"n": 0}

    def loader(path):
        calls["n"] += 1
        if calls["n"] > 1:
            raise ModelError(f"{path}: model was trained for label spec 2")
        return FakePipeline(version="1")

    c = make_client(loader=loader, admin_token="t")
    r = c.post("/v1/admin/reload", headers={"Authorization": "Bearer t"})
    assert_error(r, 503, "model_error", contains="still serving fake 1")
    assert c.get("/ready").json()["model"]["version"] == "1"


# --- settings, CORS, OpenAPI --------------------------------------------------------

def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SOLIEU_MAX_DOCUMENTS", "3")
    monkeypatch.setenv("SOLIEU_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("SOLIEU_LOG_LEVEL", "debug")
    monkeypatch.setenv("SOLIEU_MODEL_PATH", "/srv/model")
    s = Settings()
    assert s.max_documents == 3 and s.log_level == "DEBUG" and str(s.model_path) == "/srv/model"
    assert s.cors_origins == ["https://a.example", "https://b.example"]
    assert s.admin_token is None


def test_cors_is_off_by_default_and_on_when_configured(make_client):
    headers = {"Origin": "https://a.example"}
    off = make_client().get("/health", headers=headers)
    assert "access-control-allow-origin" not in off.headers
    on = make_client(cors_origins=["https://a.example"]).get("/health", headers=headers)
    assert on.headers["access-control-allow-origin"] == "https://a.example"


def test_openapi_documents_examples_and_error_bodies(client):
    schema = client.get("/openapi.json").json()
    extract = schema["paths"]["/v1/extract"]["post"]
    examples = extract["requestBody"]["content"]["application/json"]["examples"]
    assert set(examples) == {"single", "batch"}
    assert examples["single"]["value"]["text"].startswith("Tính đến hết")
    for status in ("413", "415", "422", "503"):
        assert extract["responses"][status]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorBody")
    assert {"/v1/extract/file", "/v1/labels", "/v1/model", "/health", "/ready"} <= set(schema["paths"])


# --- the page --------------------------------------------------------------------

def test_index_page_is_offline_and_locked_down(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert 'id="text"' in r.text and 'type="file"' in r.text
    for asset in ("/static/app.js", "/static/style.css"):
        assert client.get(asset).status_code == 200
    for body in (r.text, client.get("/static/app.js").text, client.get("/static/style.css").text):
        assert not re.search(r"(?:src|href)=[\"']?(?:https?:)?//", body)
        assert "cdn" not in body.lower()


def test_relative_period_without_a_date_round_trips(client):
    r = client.post("/v1/extract", json={"text": "Trong 6 tháng qua thu được 5 tỷ đồng."})
    assert r.status_code == 200, r.text
    [doc] = assert_valid_documents(r.json())  # Document reads the answer back
    date = next(e for e in r.json()["documents"][0]["entities"] if e["label"] == "DATE")
    assert date["value"] == {"start": None, "end": None}
    assert doc.entities[0].text == "6 tháng qua"


def test_no_request_fails_while_models_are_swapped_under_load(make_client):
    pipelines = [FakePipeline(version=str(i)) for i in range(6)]
    c = make_client(loader=_versioned_loader(pipelines), admin_token="t", inference_threads=4)
    stop = threading.Event()

    def client_loop():
        answers = []
        while not stop.is_set() or len(answers) < 5:
            r = c.post("/v1/extract", json={"text": SAMPLE})
            answers.append((r.status_code, r.json()["model"]["version"] if r.status_code == 200 else r.text))
        return answers

    with ThreadPoolExecutor(8) as pool:
        clients = [pool.submit(client_loop) for _ in range(8)]
        for _ in range(5):
            assert c.post("/v1/admin/reload", headers={"Authorization": "Bearer t"}).status_code == 200
        stop.set()
        answers = [a for f in clients for a in f.result(timeout=60)]
    assert all(status == 200 for status, _ in answers), [a for a in answers if a[0] != 200][:3]
    assert {version for _, version in answers} <= {p.version for p in pipelines}
    assert c.get("/v1/model").json()["version"] == "5"


def test_the_openapi_document_states_the_configured_limits(make_client):
    schema = make_client(max_documents=5, max_text_chars=1234, max_id_chars=40).get("/openapi.json").json()
    components = schema["components"]["schemas"]
    text = components["DocumentInput"]["properties"]["text"]
    assert (text["minLength"], text["maxLength"]) == (1, 1234) and text["pattern"]
    assert components["BatchInput"]["properties"]["documents"]["maxItems"] == 5
    ids = [v for v in components["DocumentInput"]["properties"]["id"]["anyOf"] if v.get("type") == "string"]
    assert ids[0]["maxLength"] == 40
