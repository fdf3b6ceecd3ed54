"""The ML backend routes, through the app with a tiny pipeline."""

import sys
import time

import pytest
from fastapi.testclient import TestClient
from ls_helpers import GoldPipeline, simulate_export
from solieu.service.app import create_app
from solieu.service.ml_backend import LabelStudioSettings
from solieu.service.settings import Settings

from solieu.labelstudio.tasks import build_tasks
from solieu.schema import DocumentInput


@pytest.fixture
def make_client(tmp_path, gold_docs):
    clients = []

    def make(**ls_settings) -> TestClient:
        pipeline = GoldPipeline(gold_docs, name="tiny", version="3")
        app = create_app(Settings(), pipeline_loader=lambda path: pipeline)
        app.state.labelstudio_settings = LabelStudioSettings(
            inbox=tmp_path / "inbox", jobs_dir=tmp_path / "jobs", **ls_settings)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def _task(doc, task_id=1):
    return {"id": task_id, "data": {"text": doc.text, "doc_id": doc.id}}


def test_health_setup_versions(make_client):
    client = make_client()
    health = client.get("/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"  # Label Studio only needs 200 + JSON
    assert client.post("/setup", json={"project": "1.1700000000", "schema": "<View/>"}).json() == {"model_version": "tiny-3"}
    assert client.get("/versions").json() == {"versions": ["tiny-3"]}


def test_predict_answers_one_prediction_per_task_in_order(make_client, gold_docs):
    client = make_client()
    body = {"tasks": [_task(gold_docs[1], 11), _task(gold_docs[0], 10)], "project": "1.1", "label_config": "<View/>",
            "params": {"context": None}}
    response = client.post("/predict", json=body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["model_version"] == "tiny-3"
    assert len(answer["results"]) == 2
    for prediction, doc in zip(answer["results"], [gold_docs[1], gold_docs[0]], strict=True):
        assert prediction["model_version"] == "tiny-3"
        regions = [r for r in prediction["result"] if r["type"] == "labels"]
        assert [r["value"]["text"] for r in regions] == [e.text for e in doc.entities]
        assert sum(r["type"] == "relation" for r in prediction["result"]) == len(doc.relations)


def test_predict_rejects_tasks_without_text(make_client):
    response = make_client().post("/predict", json={"tasks": [{"id": 5, "data": {"image": "x.png"}}]})
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "tasks[0].data.text: Field required"


def _annotation_event(doc, action="ANNOTATION_CREATED"):
    tasks = build_tasks([DocumentInput(id=doc.id, text=doc.text)],
                        extract_many=GoldPipeline([doc]).extract_many, model_version="tiny-3")
    task = simulate_export(tasks)[0]
    annotation = task.pop("annotations")[0]
    return {"action": action, "annotation": annotation, "task": task, "project": {"id": 1}}


def test_webhook_stores_annotations_and_ignores_other_events(make_client, gold_docs, tmp_path):
    client = make_client()
    response = client.post("/webhook", json=_annotation_event(gold_docs[0]))
    assert response.status_code == 201, response.text
    assert response.json()["stored"] == [gold_docs[0].id]
    assert response.json()["start_training"] is False
    client.post("/webhook", json=_annotation_event(gold_docs[0], "ANNOTATION_UPDATED"))
    assert client.get("/v1/training/jobs").json() == {"jobs": [], "inbox_documents": 1}
    assert client.post("/webhook", json={"action": "PROJECT_UPDATED", "project": {}}).json()["ignored"] is True
    assert client.post("/webhook", json={"action": "TASKS_CREATED", "tasks": []}).status_code == 201
    deleted = client.post("/webhook", json={"action": "ANNOTATIONS_DELETED", "annotations": [{"id": 1001}]})
    assert deleted.json()["removed"] == 1
    assert client.get("/v1/training/jobs").json()["inbox_documents"] == 0


def test_webhook_reports_a_broken_annotation_and_stores_nothing(make_client, gold_docs):
    client = make_client()
    event = _annotation_event(gold_docs[0])
    event["annotation"]["result"][0]["value"]["text"] = "wrong"
    answer = client.post("/webhook", json=event).json()
    assert answer["stored"] == [] and "task 1" in answer["problems"][0]


def test_training_is_off_unless_enabled(make_client):
    answer = make_client().post("/webhook", json={"action": "START_TRAINING", "project": {"id": 1}}).json()
    assert answer["training"]["status"] == "training_disabled"


def test_start_training_launches_a_background_job(make_client, tmp_path):
    marker = tmp_path / "trained"
    command = [sys.executable, "-c",
               f"import time, pathlib; time.sleep(1.5); pathlib.Path({str(marker)!r}).write_text('done')"]
    client = make_client(training=True, train_command=command)
    started = time.monotonic()
    answer = client.post("/webhook", json={"action": "START_TRAINING", "project": {"id": 1}}).json()
    elapsed = time.monotonic() - started
    # The request only launched the job: it answered before the job could finish.
    assert elapsed < 1.0 and not marker.exists()
    assert answer["training"]["status"] == "started"
    job_id = answer["training"]["job"]
    job = client.get(f"/v1/training/jobs/{job_id}").json()
    assert job["status"] == "running" and job["command"] == command and job["reason"] == "START_TRAINING"
    again = client.post("/webhook", json={"action": "START_TRAINING", "project": {"id": 1}}).json()
    assert again["training"] == {"status": "already_running", "job": job_id, "job_status": "running"}
    assert client.post("/job_status", json={"job": job_id}).json()["status"] == "running"
    deadline = time.monotonic() + 20
    while client.get(f"/v1/training/jobs/{job_id}").json()["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    job = client.get(f"/v1/training/jobs/{job_id}").json()
    assert job["status"] == "succeeded" and job["returncode"] == 0 and marker.read_text() == "done"
    assert [j["id"] for j in client.get("/v1/training/jobs").json()["jobs"]] == [job_id]
    assert client.get("/v1/training/jobs/nope").status_code == 404


def test_annotation_events_can_start_training(make_client, gold_docs):
    client = make_client(training=True, train_on_annotation=True, train_command=[sys.executable, "-c", "pass"])
    answer = client.post("/webhook", json=_annotation_event(gold_docs[0])).json()
    assert answer["start_training"] is True and answer["training"]["status"] == "started"


def test_a_failing_job_is_reported(make_client):
    client = make_client(training=True, train_command=[sys.executable, "-c", "import sys; print('boom'); sys.exit(3)"])
    job_id = client.post("/webhook", json={"action": "START_TRAINING"}).json()["training"]["job"]
    client.app.state.labelstudio.jobs.wait(job_id, timeout=20)
    job = client.get(f"/v1/training/jobs/{job_id}").json()
    assert job["status"] == "failed" and job["returncode"] == 3
    assert "boom" in open(job["log_path"], encoding="utf-8").read()


def test_legacy_train_call_stores_the_tasks_and_starts_a_job(make_client, gold_docs):
    client = make_client(training=True, train_command=[sys.executable, "-c", "pass"])
    tasks = simulate_export(build_tasks([DocumentInput(id=d.id, text=d.text) for d in gold_docs],
                                        extract_many=GoldPipeline(gold_docs).extract_many, model_version="tiny-3"))
    answer = client.post("/train", json={"annotations": tasks, "project": "1.1"})
    assert answer.status_code == 201, answer.text
    assert len(answer.json()["stored"]) == len(gold_docs) and "job" in answer.json()


def test_default_training_command_retrains_on_the_inbox(tmp_path):
    from solieu.service.ml_backend import LabelStudioState

    settings = LabelStudioSettings(inbox=tmp_path / "inbox", jobs_dir=tmp_path / "jobs", retrain_args="--set a=1")
    with_token = LabelStudioState(settings, "http://127.0.0.1:8000").train_command()
    assert with_token[1:] == ["-m", "solieu.cli_commands.retrain", "--new", str(tmp_path / "inbox"),
                              "--reload-url", "http://127.0.0.1:8000", "--set", "a=1"]
    assert "--reload-url" not in LabelStudioState(settings, None).train_command()
