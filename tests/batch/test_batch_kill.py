"""Killing a real `solieu batch` with SIGKILL, part-way and more than once, loses and repeats nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from .conftest import output_ids, write_corpus

pytestmark = pytest.mark.slow


def _command(source: Path, out: Path) -> list[str]:
    # The same typer command that `solieu batch` runs.
    return [sys.executable, "-m", "solieu.batch", str(source), "-o", str(out),
            "--extractor", "rules", "-j", "2", "--shard-size", "3", "--no-progress"]


def _committed(out: Path) -> int:
    return len(list((out / "shards").glob("*.jsonl"))) if (out / "shards").is_dir() else 0


def _run_and_kill(source: Path, out: Path, *, after_new_shards: int, whole_group: bool) -> None:
    """Start a run, SIGKILL it once it has committed `after_new_shards` more shards; fail if it finished first."""
    before = _committed(out)
    proc = subprocess.Popen(_command(source, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while _committed(out) < before + after_new_shards:
        if proc.poll() is not None:
            pytest.fail(f"the run ended (rc {proc.returncode}) before it could be killed: "
                        f"{proc.stderr.read().decode()[-2000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the run committed nothing within 120 s")
        time.sleep(0.005)
    if whole_group:
        os.killpg(proc.pid, signal.SIGKILL)  # the coordinator and its workers, as an OOM kill or a power cut would
    else:
        os.kill(proc.pid, signal.SIGKILL)  # the coordinator alone; its workers must not commit after it
    proc.wait(timeout=30)
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def test_sigkill_part_way_then_rerun_gives_every_document_exactly_once(tmp_path):
    source = tmp_path / "corpus"
    ids = write_corpus(source, 900, chars=1200)
    out = tmp_path / "out"

    _run_and_kill(source, out, after_new_shards=4, whole_group=False)
    first = output_ids(out)  # every committed line parses: nothing torn
    assert 0 < len(first) < len(ids)
    _run_and_kill(source, out, after_new_shards=15, whole_group=True)
    _run_and_kill(source, out, after_new_shards=30, whole_group=False)
    partial = output_ids(out)
    assert len(partial) < len(ids) and not [i for i, n in Counter(partial).items() if n > 1]

    done = subprocess.run(_command(source, out), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    final = output_ids(out)
    duplicates = [i for i, n in Counter(final).items() if n > 1]
    assert not duplicates, f"{len(duplicates)} document(s) written twice, e.g. {duplicates[:3]}"
    assert sorted(final) == ids, f"{len(set(ids) - set(final))} document(s) missing"
    assert set(first) <= set(final)
    assert not list(out.rglob("*.tmp"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete"
    assert manifest["documents"]["written"] == len(ids) and manifest["documents"]["duplicates"] == 0
    runs = manifest["timings"]["runs"]
    assert [r["status"] for r in runs] == ["stopped", "stopped", "stopped", "complete"]
    # A killed run counts what it committed (each committed at least 4 shards of 3), not what its
    # record said when last saved; together the runs account for every document once.
    assert all(r["documents"] >= 12 for r in runs[:3]), [r["documents"] for r in runs]
    assert sum(r["documents"] for r in runs) == len(ids)
    assert (out / "errors.jsonl").read_text(encoding="utf-8") == ""


def _workers_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    workers = []
    for child in map(int, children):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in cmdline:  # not multiprocessing's resource tracker
            workers.append(child)
    return workers


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc to find worker processes")
def test_a_worker_killed_mid_run_is_replaced_and_nothing_is_lost_or_repeated(tmp_path):
    source = tmp_path / "corpus"
    ids = write_corpus(source, 600, chars=1200)
    out = tmp_path / "out"
    proc = subprocess.Popen(_command(source, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while _committed(out) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.005)
    workers = _workers_of(proc.pid)
    assert workers and proc.poll() is None
    os.kill(workers[0], signal.SIGKILL)  # as the kernel's OOM killer would
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    final = output_ids(out)
    assert sorted(final) == ids and len(final) == len(set(final))
    # Documents lost with the worker were retried alone and tagged; none is blamed for the kill.
    assert (out / "errors.jsonl").read_text(encoding="utf-8") == ""


def test_workers_that_cannot_start_stop_the_run_instead_of_failing_every_document(tmp_path):
    source = tmp_path / "corpus"
    write_corpus(source, 30)
    # A main module read from stdin cannot be re-imported by spawned workers: every worker dies at start.
    script = (
        "from solieu.batch import run_batch\n"
        f"run_batch({str(source)!r}, {str(tmp_path / 'out')!r}, extractor='rules', n_process=2, shard_size=3)\n"
    )
    done = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "WorkersDied" in done.stderr and "without finishing a single document" in done.stderr
    assert output_ids(tmp_path / "out") == []
    assert (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8") == ""
