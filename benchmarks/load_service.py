"""Bounded load test of the HTTP service against the library it wraps.

Starts `solieu serve` on 127.0.0.1 (a free port), sends --requests documents
of about --chars characters cut from ../shared/seeds from --concurrency
clients, then runs the same documents through the library in-process, one after another,
and prints latency percentiles, throughput and errors side by side with the
HTTP overhead as ratios (throughput against the loaded pass).

Latency overhead is measured at one client, so that queueing does not count as
overhead, two ways: against the library's time inside the server on the same
request (the answer's `timing.inference_ms`), which the machine's drift between
passes cannot move, and against the library pass in this process. That client
is a plain `httpx.Client`, as a one-caller script would use; the round trip of
`GET /health` on it is printed as the floor any request pays on this client.

    python benchmarks/load_service.py --requests 400
    python benchmarks/load_service.py --model models/trained/solieu_vi_default --workers 2

Exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

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


def worker_pids(pid: int) -> list[int]:
    """The server's worker processes (Linux /proc; the server itself when it has none)."""
    try:
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        children = []
    workers = [c for c in children if (m := _rss_mb(c)) is not None and m > 50]  # not the resource tracker
    return workers or [pid]


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def worker_memory_mb(pid: int) -> list[float]:
    """Resident memory of the server's worker processes."""
    return [m for p in worker_pids(pid) if (m := _rss_mb(p)) is not None]


def cpu_seconds(pids: list[int]) -> list[float]:
    """User + system CPU time of each process so far (Linux /proc), to see how the load spread."""
    ticks = os.sysconf("SC_CLK_TCK")
    out = []
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            out.append(float("nan"))
            continue
        out.append((int(fields[11]) + int(fields[12])) / ticks)
    return out


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


async def drive_clients(http: httpx.AsyncClient, docs: list[str], *, concurrency: int,
                        ) -> tuple[list[float], list[str], float]:
    """`docs` sent from `concurrency` clients sharing `http`, each taking the next document when
    it has its answer: latencies of the answered ones, errors, and the wall time."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for doc in docs:
        queue.put_nowait(doc)
    latencies: list[float] = []
    errors: list[str] = []

    async def client() -> None:
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

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return latencies, errors, time.perf_counter() - started


async def http_load(url: str, docs: list[str], *, concurrency: int) -> tuple[list[float], int, float, list[str]]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        # Warm-up outside the measurement.
        await http.post("/v1/extract", json={"text": docs[0]})
        latencies, errors, wall = await drive_clients(http, docs, concurrency=concurrency)
    return latencies, len(errors), wall, errors[:5]


def load_library(extractor: str, model: Path | None, warm_up: str):
    """The pipeline the server runs, entity scores included when it computes them."""
    from solieu.service.pipelines import loader_for
    from solieu.service.settings import Settings

    loader = loader_for(extractor, entity_scores=Settings().beam_scores)
    pipeline = loader(model if model is not None else Settings().model_path)
    pipeline.extract(warm_up, doc_id="warm-up")
    return pipeline


def library_load(pipeline, docs: list[str]) -> tuple[list[float], int, float, list[str]]:
    """The same documents through the pipeline in-process, one after another:
    the work the server does per request, without HTTP or queueing."""
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


class StdlibClient:
    """One keep-alive connection of the standard library's `http.client`: the least a Python
    client spends on a request, to tell the server's overhead from the client's."""

    def __init__(self, url: str):
        self.connection = http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port, timeout=120)

    def post_json(self, path: str, payload: dict) -> tuple[int, bytes]:
        self.connection.request("POST", path, body=json.dumps(payload).encode(),
                                headers={"Content-Type": "application/json"})
        response = self.connection.getresponse()
        return response.status, response.read()

    def get(self, path: str) -> None:
        self.connection.request("GET", path)
        self.connection.getresponse().read()

    def close(self) -> None:
        self.connection.close()


class HttpxClient:
    def __init__(self, url: str):
        self.http = httpx.Client(base_url=url, timeout=120)

    def post_json(self, path: str, payload: dict) -> tuple[int, bytes]:
        r = self.http.post(path, json=payload)
        return r.status_code, r.content

    def get(self, path: str) -> None:
        self.http.get(path)

    def close(self) -> None:
        self.http.close()


def single_client_pass(client: HttpxClient | StdlibClient, docs: list[str]) -> dict:
    """Each document over HTTP by one client, one after another: the latencies, the library's
    time inside the server on each (`timing.inference_ms`), and `GET /health` round trips."""
    http_ms: list[float] = []
    inside_ms: list[float] = []
    health_ms: list[float] = []
    errors: list[str] = []
    try:
        client.post_json("/v1/extract", {"text": docs[0]})  # warm-up outside the measurement
        for text in docs:
            t0 = time.perf_counter()
            try:
                status, body = client.post_json("/v1/extract", {"text": text})
            except (httpx.HTTPError, OSError, http.client.HTTPException) as e:
                errors.append(f"{type(e).__name__}: {e}")
                continue
            elapsed = (time.perf_counter() - t0) * 1000
            if status != 200:
                errors.append(f"{status}: {body[:200]!r}")
                continue
            http_ms.append(elapsed)
            inside_ms.append(json.loads(body)["timing"]["inference_ms"])
        for _ in range(50):
            t0 = time.perf_counter()
            client.get("/health")
            health_ms.append((time.perf_counter() - t0) * 1000)
    finally:
        client.close()
    ratios = [h / i for h, i in zip(http_ms, inside_ms, strict=True)]
    return {"http": http_ms, "inside": inside_ms, "health": health_ms, "ratios": ratios, "errors": errors}


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
        workers = worker_pids(process.pid)
        cpu_before = cpu_seconds(workers)
        loaded = asyncio.run(http_load(url, docs, concurrency=args.concurrency))
        cpu_loaded = [after - before for before, after in zip(cpu_before, cpu_seconds(workers), strict=True)]
        single = single_client_pass(HttpxClient(url), docs)
        lean = single_client_pass(StdlibClient(url), docs)
        memory = worker_memory_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    # Loaded only once the server is gone: it has the cores to itself, as the server had.
    library = library_load(load_library(extractor, model, docs[0]), docs)

    print(f"{'':30} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'req/s':>8} {'errors':>7}")
    loaded_name = f"http {args.concurrency} clients"
    for name, (lat, err, wall, _) in ((loaded_name, loaded), ("library 1 caller", library)):
        p = percentiles(lat)
        print(f"{name:30} {p['p50']:9.1f} {p['p95']:9.1f} {p['p99']:9.1f} "
              f"{len(lat) / wall if wall else float('nan'):8.1f} {err:7d}")
    for client_name, one in (("httpx.Client", single), ("http.client", lean)):
        for name, key in ((f"http 1 client, {client_name}", "http"), ("  library inside server", "inside"),
                          ("  GET /health", "health")):
            p = percentiles(one[key])
            print(f"{name:30} {p['p50']:9.1f} {p['p95']:9.1f} {p['p99']:9.1f} {'':>8} "
                  f"{len(one['errors']) if key == 'http' else 0:7d}")
    lp = percentiles(library[0])
    for client_name, one in (("httpx.Client", single), ("http.client", lean)):
        ratio, hp = percentiles(one["ratios"]), percentiles(one["http"])
        print(f"HTTP overhead at 1 client ({client_name}): http/library inside the server, per request "
              f"(over {len(one['ratios'])}): median {ratio['p50']:.3f}x, p95 {ratio['p95']:.3f}x; "
              f"http p50 / library 1 caller p50 {hp['p50'] / lp['p50']:.3f}x")
    lrps = len(library[0]) / library[2] if library[2] else float("nan")
    hrps = len(loaded[0]) / loaded[2] if loaded[2] else float("nan")
    print(f"throughput library/http({args.concurrency} clients, {args.workers or 'default'} worker(s)) "
          f"{lrps / hrps:.2f}x")
    if memory:
        print(f"server workers: {len(memory)}; resident memory after the run, MiB: "
              + ", ".join(f"{m:.0f}" for m in memory)
              + f"; CPU seconds each in the {args.concurrency}-client pass: " + ", ".join(f"{c:.2f}" for c in cpu_loaded))
    errors = loaded[3] + single["errors"][:5] + lean["errors"][:5] + library[3]
    for sample in errors:
        print(f"error: {sample}", file=sys.stderr)
    return 1 if loaded[1] or single["errors"] or lean["errors"] or library[1] else 0


if __name__ == "__main__":
    sys.exit(main())
