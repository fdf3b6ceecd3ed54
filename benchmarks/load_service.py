"""Bounded load test of the HTTP service against the library it wraps.

Starts `solieu serve` on 127.0.0.1 (a free port), sends --requests documents
of about --chars characters cut from ../shared/seeds from --concurrency
clients, then runs the same documents through the library in-process, one after another,
and prints latency percentiles, throughput and errors side by side with the
HTTP overhead as ratios (latency against a one-client HTTP pass, so queueing
does not count as overhead; throughput against the loaded pass).

    python benchmarks/load_service.py --requests 400
    python benchmarks/load_service.py --model models/trained/solieu_vi_default --workers 2

Exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def cut_documents(seeds: Path, *, chars: int, count: int) -> list[str]:
    """`count` pieces of about `chars` characters, cut at line ends, cycling over the seeds."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no seed texts in {seeds}")
    pieces: list[str] = []
    for text in texts:
        lines, current = text.splitlines(keepends=True), ""
        for line in lines:
            current += line
            if len(current) >= chars:
                if current.strip():
                    pieces.append(current)
                current = ""
    pieces = [p for p in pieces if p.strip()]
    return [pieces[i % len(pieces)] for i in range(count)]


def percentiles(values_ms: list[float]) -> dict[str, float]:
    if not values_ms:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
    qs = statistics.quantiles(values_ms, n=100, method="inclusive")
    return {"p50": qs[49], "p95": qs[94], "p99": qs[98]}


def worker_memory_mb(pid: int) -> list[float]:
    """Resident memory of the server's worker processes (Linux /proc; the server itself when it has none)."""
    def rss(p: int) -> float | None:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    try:
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        children = []
    workers = [m for c in children if (m := rss(c)) is not None and m > 50]  # not the resource tracker
    return workers or [m for m in [rss(pid)] if m is not None]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def resolve_model(path: str | None) -> tuple[str, Path | None]:
    """('model', dir) when a model directory exists, else ('rules', None) with a message."""
    from solieu.model_store import default_model_path

    model = Path(path) if path else default_model_path()
    if (model / "config.cfg").is_file():
        return "model", model
    print(f"note: {model} is not a model directory (no config.cfg); "
          "benchmarking the rules extractor instead. Train one, or pass --model PATH.", file=sys.stderr)
    return "rules", None


def start_server(extractor: str, model: Path | None, *, workers: int | None, port: int, log_path: Path):
    command = [sys.executable, "-m", "solieu.cli_commands.serve", "--host", "127.0.0.1", "--port", str(port),
               "--extractor", extractor, "--log-level", "warning"]
    if workers is not None:
        command += ["--workers", str(workers)]
    if model is not None:
        command += ["--model", str(model)]
    log = open(log_path, "wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}; see {log_path}")
        try:
            if httpx.get(url + "/ready", timeout=2).status_code == 200:
                return process, url, log
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"server not ready after 180 s; see {log_path}")


async def http_load(url: str, docs: list[str], *, concurrency: int) -> tuple[list[float], int, float, list[str]]:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for doc in docs:
        queue.put_nowait(doc)
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client(http: httpx.AsyncClient) -> None:
        while True:
            try:
                text = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            try:
                r = await http.post("/v1/extract", json={"text": text})
                if r.status_code != 200:
                    errors.append(f"{r.status_code}: {r.text[:200]}")
                else:
                    latencies.append((time.perf_counter() - started) * 1000)
            except httpx.HTTPError as e:
                errors.append(f"{type(e).__name__}: {e}")

    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        # Warm-up outside the measurement.
        await http.post("/v1/extract", json={"text": docs[0]})
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return latencies, len(errors), wall, errors[:5]


def library_load(extractor: str, model: Path | None, docs: list[str]) -> tuple[list[float], int, float, list[str]]:
    """The same documents through the pipeline in-process, one after another:
    the work the server does per request, without HTTP or queueing."""
    from solieu.service.pipelines import loader_for
    from solieu.service.settings import Settings

    # The loader the server uses, entity scores included when it computes them.
    loader = loader_for(extractor, entity_scores=Settings().beam_scores)
    pipeline = loader(model if model is not None else Settings().model_path)
    pipeline.extract(docs[0], doc_id="warm-up")
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    for i, text in enumerate(docs):
        t0 = time.perf_counter()
        try:
            pipeline.extract(text, doc_id=f"d{i}")
        except Exception as e:  # counted and shown, like an HTTP error
            errors.append(f"{type(e).__name__}: {e}")
            continue
        latencies.append((time.perf_counter() - t0) * 1000)
    return latencies, len(errors), time.perf_counter() - started, errors[:5]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="Model directory (default: the shipped model; rules if absent).")
    parser.add_argument("--extractor", choices=["model", "rules"], help="Force an extractor.")
    parser.add_argument("--requests", type=int, default=200, help="Documents sent (default 200).")
    parser.add_argument("--concurrency", type=int, default=8, help="Concurrent clients (default 8).")
    parser.add_argument("--chars", type=int, default=3000, help="Characters per document (default 3000).")
    parser.add_argument("--workers", type=int, default=None,
                        help="Server worker processes (default: the server's own, one per core).")
    parser.add_argument("--seeds", type=Path, default=SEEDS, help=f"Seed texts (default {SEEDS}).")
    args = parser.parse_args(argv)

    extractor, model = resolve_model(args.model)
    if args.extractor == "rules":
        extractor, model = "rules", None
    elif args.extractor == "model" and extractor != "model":
        raise SystemExit("--extractor model: no model directory found")
    docs = cut_documents(args.seeds, chars=args.chars, count=args.requests)
    mean_chars = statistics.mean(len(d) for d in docs)
    print(f"extractor={extractor} model={model or '-'} requests={len(docs)} concurrency={args.concurrency} "
          f"workers={args.workers} mean_chars={mean_chars:.0f}")

    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"solieu-load-{os.getpid()}.log"
    process, url, log = start_server(extractor, model, workers=args.workers, port=free_port(), log_path=log_path)
    try:
        loaded = asyncio.run(http_load(url, docs, concurrency=args.concurrency))
        # A short one-client pass: latency without queueing, to compare with the library's.
        single = asyncio.run(http_load(url, docs[: max(20, len(docs) // 4)], concurrency=1))
        memory = worker_memory_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    library = library_load(extractor, model, docs)

    rows = {}
    print(f"{'':18} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'req/s':>8} {'errors':>7}")
    for name, (lat, err, wall, _) in ((f"http {args.concurrency} clients", loaded), ("http 1 client", single),
                                      ("library 1 caller", library)):
        p = percentiles(lat)
        rows[name] = (p, len(lat) / wall if wall else float("nan"))
        print(f"{name:18} {p['p50']:9.1f} {p['p95']:9.1f} {p['p99']:9.1f} {rows[name][1]:8.1f} {err:7d}")
    (hp, _), (lp, lrps) = rows["http 1 client"], rows["library 1 caller"]
    hrps = rows[f"http {args.concurrency} clients"][1]
    print(f"HTTP overhead: latency http(1 client)/library p50 {hp['p50'] / lp['p50']:.2f}x, "
          f"p95 {hp['p95'] / lp['p95']:.2f}x, p99 {hp['p99'] / lp['p99']:.2f}x; "
          f"throughput library/http({args.concurrency} clients, {args.workers} worker(s)) {lrps / hrps:.2f}x")
    if memory:
        print(f"server workers: {len(memory)}; resident memory after the run, MiB: "
              + ", ".join(f"{m:.0f}" for m in memory))
    errors = loaded[3] + single[3] + library[3]
    for sample in errors:
        print(f"error: {sample}", file=sys.stderr)
    return 1 if loaded[1] or single[1] or library[1] else 0


if __name__ == "__main__":
    sys.exit(main())
