"""Against a real Label Studio: create a project with solieu's config, import
tasks, connect solieu's ML backend (a real `solieu serve`), fetch
predictions, submit an annotation, export, import the export into solieu.

Skipped unless LABEL_STUDIO_URL (and LABEL_STUDIO_API_KEY, a legacy token)
are set; .ci/labelstudio.sh installs and starts Label Studio and runs it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from solieu.labelstudio.config import labeling_config
from solieu.labelstudio.importer import import_tasks
from solieu.labelstudio.tasks import build_tasks
from solieu.pipeline import load_pipeline
from solieu.schema import DocumentInput

pytestmark = [
    pytest.mark.labelstudio,
    pytest.mark.skipif(not os.environ.get("LABEL_STUDIO_URL"), reason="set LABEL_STUDIO_URL (see .ci/labelstudio.sh)"),
]

REPORTS = [
    ("ls-1", "Tính đến hết ngày 14/05/2025, Sở Tài chính thu được 17.271 triệu đồng, đạt 55,3% dự toán tỉnh giao."),
    ("ls-2", "Dự án Đường vành đai phía Bắc được bố trí 30 tỷ đồng trong năm 2024, đã giải ngân 12,5 tỷ đồng."),
    ("ls-3", "Trong tháng 5/2024, UBND huyện thu ngân sách được 8.200 triệu đồng, bằng 102,3% so với cùng kỳ."),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, *, timeout: float, what: str, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture(scope="module")
def ls() -> httpx.Client:
    url = os.environ["LABEL_STUDIO_URL"].rstrip("/")
    token = os.environ.get("LABEL_STUDIO_API_KEY", "")
    client = httpx.Client(base_url=url, headers={"Authorization": f"Token {token}"}, timeout=120)
    assert client.get("/api/projects").status_code == 200, "Label Studio rejects the token"
    yield client
    client.close()


@pytest.fixture(scope="module")
def solieu_service(tmp_path_factory):
    """`solieu serve` with the shipped model, webhook inbox and training jobs in a temp dir."""
    tmp = tmp_path_factory.mktemp("ls-service")
    port = _free_port()
    log = open(tmp / "serve.log", "wb")
    env = {**os.environ, "SOLIEU_LABELSTUDIO_INBOX": str(tmp / "inbox"), "SOLIEU_LABELSTUDIO_JOBS_DIR": str(tmp / "jobs"),
           "SOLIEU_LABELSTUDIO_TRAINING": "true",
           # Real retraining is tested elsewhere; here only that Label Studio's button starts a job.
           "SOLIEU_LABELSTUDIO_TRAIN_COMMAND": f"{sys.executable} -c \"print('training would run here')\""}
    process = subprocess.Popen([sys.executable, "-m", "solieu.cli_commands.serve", "--host", "127.0.0.1",
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"

    def ready():
        if process.poll() is not None:
            raise AssertionError(f"solieu serve exited: {(tmp / 'serve.log').read_text()}")
        try:
            return httpx.get(url + "/ready", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        _wait(ready, timeout=90, what="solieu serve")
        yield url, tmp
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_real_label_studio_round_trip(ls, solieu_service, tmp_path):
    service_url, service_tmp = solieu_service
    started = time.monotonic()

    # A project with solieu's labeling config.
    project = ls.post("/api/projects", json={"title": f"solieu-it-{int(time.time())}", "label_config": labeling_config()})
    assert project.status_code == 201, project.text
    pid = project.json()["id"]

    # Tasks: the first with predictions pre-filled by `solieu labelstudio export`'s code, the others bare.
    pipeline = load_pipeline()
    inputs = [DocumentInput(id=i, text=t) for i, t in REPORTS]
    prefilled = build_tasks(inputs[:1], extract_many=pipeline.extract_many, model_version="solieu-export")
    bare = build_tasks(inputs[1:], extract_many=None, model_version="none")
    imported = ls.post(f"/api/projects/{pid}/import", json=prefilled + bare)
    assert imported.status_code == 201, imported.text
    assert imported.json()["task_count"] == 3

    # Connect solieu's ML backend: Label Studio calls /health and /setup.
    backend = ls.post("/api/ml", json={"project": pid, "url": service_url, "title": "solieu"})
    assert backend.status_code == 201, backend.text
    ml_id = backend.json()["id"]
    version = httpx.post(service_url + "/setup", json={}).json()["model_version"]

    # Fetch predictions for every task from the backend.
    action = ls.post("/api/dm/actions", params={"id": "retrieve_tasks_predictions", "project": pid},
                     json={"selectedItems": {"all": True, "excluded": []}})
    assert action.status_code == 200, action.text

    def tasks_with_backend_predictions():
        tasks = ls.get("/api/tasks", params={"project": pid, "fields": "all", "page_size": 100}).json()["tasks"]
        by_doc = {t["data"]["doc_id"]: t for t in tasks}
        ok = all(any(p.get("model_version") == version for p in by_doc[d]["predictions"]) for d in ("ls-2", "ls-3"))
        return by_doc if ok else None

    by_doc = _wait(tasks_with_backend_predictions, timeout=120, what="predictions from solieu's ML backend")
    assert any(p.get("model_version") == "solieu-export" for p in by_doc["ls-1"]["predictions"])
    prediction = next(p for p in by_doc["ls-2"]["predictions"] if p["model_version"] == version)
    result = prediction["result"]
    regions = [r for r in result if r["type"] == "labels"]
    assert any(r["value"]["labels"] == ["MONEY"] for r in regions)

    # An annotator accepts the prediction, but removes the first region (and its relations).
    dropped = regions[0]["id"]
    corrected = [r for r in result if r.get("id") != dropped and dropped not in (r.get("from_id"), r.get("to_id"))]
    annotation = ls.post(f"/api/tasks/{by_doc['ls-2']['id']}/annotations",
                         json={"result": corrected, "was_cancelled": False, "ground_truth": False, "lead_time": 3.2})
    assert annotation.status_code == 201, annotation.text

    # Label Studio's webhook delivered the annotation to the service's inbox.
    _wait(lambda: httpx.get(service_url + "/v1/training/jobs").json()["inbox_documents"] >= 1, timeout=60,
          what="the ANNOTATION_CREATED webhook")

    # The project's "Start training" sends START_TRAINING; the service starts a background job.
    train = ls.post(f"/api/ml/{ml_id}/train")
    assert train.status_code in (200, 201), train.text
    jobs = _wait(lambda: httpx.get(service_url + "/v1/training/jobs").json()["jobs"], timeout=60,
                 what="a training job")
    assert jobs[0]["reason"] == "START_TRAINING"

    # Export, and import the export into solieu.
    export = ls.get(f"/api/projects/{pid}/export", params={"exportType": "JSON", "download_all_tasks": "true"})
    assert export.status_code == 200, export.text
    (tmp_path / "export.json").write_bytes(export.content)
    report = import_tasks(export.json())
    assert len(report.documents) == 1 and len(report.unannotated) == 2
    doc = report.documents[0]
    assert doc.id == "ls-2" and doc.text == REPORTS[1][1]
    expected = sorted((r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
                      for r in corrected if r["type"] == "labels")
    assert sorted((e.start, e.end, e.label) for e in doc.entities) == expected
    assert len(doc.relations) == sum(r["type"] == "relation" for r in corrected)
    print(f"\nreal Label Studio round trip: {time.monotonic() - started:.1f}s; export in {tmp_path / 'export.json'}")
