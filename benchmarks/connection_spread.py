"""A client pool accepted by one worker: does the load spread over the others?

A keep-alive connection stays with the worker process that accepted it. This script makes the
worst case happen on purpose: it starts `solieu serve` with two workers, stops one of them
(SIGSTOP) while an 8-connection client pool opens its connections, so that the other accepts
them all, lets it go on (SIGCONT), and then sends --requests documents from the pool. It prints
throughput, latency and each worker's CPU seconds, with connection spreading on (the default)
and off (`SOLIEU_SPREAD_CONNECTIONS=false`), side by side in one run.

    python benchmarks/connection_spread.py --requests 300

Linux only (signals and /proc). Exits 1 if a request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_service import (  # noqa: E402
    SEEDS,
    cpu_seconds,
    cut_documents,
    drive_clients,
    free_port,
    percentiles,
    resolve_model,
    start_server,
    worker_memory_mb,
    worker_pids,
)


def wait_for_workers(pid: int, count: int, timeout_s: float = 180) -> list[int]:
    """The worker pids once `count` of them have loaded a model (resident memory over 100 MiB)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        memory = worker_memory_mb(pid)
        if len(memory) == count and all(m > 100 for m in memory):
            return worker_pids(pid)
        time.sleep(0.5)
    raise SystemExit(f"{count} workers did not load a model in {timeout_s:.0f} s")


async def skewed_load(url: str, docs: list[str], stopped: int, *, concurrency: int) -> dict:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        # Every connection of the pool is opened while one worker cannot accept.
        os.kill(stopped, signal.SIGSTOP)
        try:
            await asyncio.gather(*(http.post("/v1/extract", json={"text": docs[0]}) for _ in range(concurrency)))
        finally:
            os.kill(stopped, signal.SIGCONT)
        latencies, errors, wall = await drive_clients(http, docs, concurrency=concurrency)
    return {"latencies": latencies, "wall": wall, "errors": errors}


def run_mode(spread: bool, docs: list[str], extractor: str, model: Path | None, concurrency: int) -> dict:
    os.environ["SOLIEU_SPREAD_CONNECTIONS"] = "true" if spread else "false"
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"solieu-spread-{os.getpid()}.log"
    process, url, log = start_server(extractor, model, workers=2, port=free_port(), log_path=log_path)
    try:
        workers = wait_for_workers(process.pid, 2)
        before = cpu_seconds(workers)
        result = asyncio.run(skewed_load(url, docs, workers[1], concurrency=concurrency))
        result["cpu"] = [b - a for a, b in zip(before, cpu_seconds(workers), strict=True)]
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="Model directory (default: the shipped model; rules if absent).")
    parser.add_argument("--requests", type=int, default=300, help="Documents sent after the skew (default 300).")
    parser.add_argument("--concurrency", type=int, default=8, help="Connections in the client pool (default 8).")
    parser.add_argument("--chars", type=int, default=2000, help="Characters per document (default 2000).")
    args = parser.parse_args(argv)

    extractor, model = resolve_model(args.model)
    docs = cut_documents(SEEDS, chars=args.chars, count=args.requests)
    print(f"extractor={extractor} model={model or '-'} requests={len(docs)} pool={args.concurrency} "
          "workers=2; the pool opened while the second worker was stopped")
    print(f"{'connection spreading':22} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}  CPU s per worker")
    failed = False
    for spread in (False, True):
        r = run_mode(spread, docs, extractor, model, args.concurrency)
        p = percentiles(r["latencies"])
        rps = len(r["latencies"]) / r["wall"] if r["wall"] else float("nan")
        print(f"{'on' if spread else 'off (baseline)':22} {rps:7.1f} {p['p50']:8.1f} {p['p95']:8.1f} "
              f"{len(r['errors']):7d}  " + ", ".join(f"{c:.2f}" for c in r["cpu"]))
        for sample in r["errors"][:5]:
            print(f"error: {sample}", file=sys.stderr)
        failed = failed or bool(r["errors"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
