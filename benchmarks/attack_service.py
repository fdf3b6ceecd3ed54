"""The time budget under attack: the inputs that once stalled the service, sent to a running
`solieu serve`, while an ordinary client goes on asking small questions; side by side with the
same ordinary client on the idle server.

    python benchmarks/attack_service.py [--model DIR] [--workers 2] [--budget 5]

Attacks (each on its own connection, all at once, then again): `"5% "` × 8 000 and × 130 000
(390 KB), a 200-row Markdown table, `"ngày "` × 80 000. For each: its status and seconds (a
figure-dense text that fits the budget is answered 200, one that does not 504, and no answer
comes later than the budget plus one piece). For the ordinary client (a 2 000-character report
passage every 0.2 s): latency percentiles and failures, idle and under attack. Exits 1 if the
ordinary client saw an error or an attack was answered with a 5xx other than 504.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_service import SEEDS, cut_documents, free_port, percentiles, resolve_model, start_server  # noqa: E402

ATTACKS = {
    "'5% ' x 8 000": "5% " * 8_000,
    "'5% ' x 130 000 (390 KB)": "5% " * 130_000,
    "200-row Markdown table": "| Dự án | Vốn | Tỷ lệ |\n|---|---|---|\n" + "".join(
        f"| Dự án đường huyện số {i} | {i},5 tỷ đồng | {i % 100}% |\n" for i in range(200)),
    "'ngày ' x 80 000": "ngày " * 80_000,
}


async def ordinary_client(url: str, docs: list[str], stop: asyncio.Event) -> tuple[list[float], list[str]]:
    latencies, errors = [], []
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        i = 0
        while not stop.is_set():
            started = time.perf_counter()
            try:
                r = await http.post("/v1/extract", json={"text": docs[i % len(docs)]})
                if r.status_code == 200:
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    errors.append(f"{r.status_code}: {r.text[:120]}")
            except httpx.HTTPError as e:
                errors.append(f"{type(e).__name__}: {e}")
            i += 1
            await asyncio.sleep(0.2)
    return latencies, errors


async def attack(url: str, name: str, text: str) -> tuple[str, int | str, float]:
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=url, timeout=300) as http:
        try:
            r = await http.post("/v1/extract", json={"text": text})
            status: int | str = r.status_code
        except httpx.HTTPError as e:
            status = type(e).__name__
    return name, status, time.perf_counter() - started


async def run(url: str, docs: list[str], *, idle_s: float, rounds: int):
    stop = asyncio.Event()
    client = asyncio.create_task(ordinary_client(url, docs, stop))
    await asyncio.sleep(idle_s)
    stop.set()
    idle = await client
    stop = asyncio.Event()
    client = asyncio.create_task(ordinary_client(url, docs, stop))
    answers = []
    for _ in range(rounds):
        answers += await asyncio.gather(*(attack(url, name, text) for name, text in ATTACKS.items()))
    stop.set()
    attacked = await client
    return idle, attacked, answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--budget", type=float, default=5.0, help="SOLIEU_REQUEST_TIMEOUT_S for the run")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    extractor, model = resolve_model(args.model)
    os.environ["SOLIEU_REQUEST_TIMEOUT_S"] = str(args.budget)
    docs = cut_documents(SEEDS, chars=2000, count=50)
    log_path = Path(tempfile.mkdtemp(prefix="solieu-attack-")) / "server.log"
    process, url, log = start_server(extractor, model, workers=args.workers, port=free_port(), log_path=log_path)
    try:
        httpx.post(url + "/v1/extract", json={"text": docs[0]}, timeout=120)
        idle, attacked, answers = asyncio.run(run(url, docs, idle_s=10, rounds=args.rounds))
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    print(f"server: {extractor} {model or ''}, {args.workers} worker(s), time budget {args.budget:g} s; "
          f"{len(ATTACKS)} attacks x {args.rounds} rounds, all at once per round")
    print(f"\n{'attack':<28}{'chars':>9}{'status':>8}{'seconds':>9}")
    for name, status, seconds in answers:
        print(f"{name:<28}{len(ATTACKS[name]):>9}{status!s:>8}{seconds:>9.1f}")
    print(f"\n{'ordinary client (2 000 chars)':<34}{'answered':>9}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name, (latencies, errors) in (("idle server", idle), ("under attack", attacked)):
        p = percentiles(latencies)
        print(f"{name:<34}{len(latencies):>9}{len(errors):>8}{p['p50']:>9.0f}{p['p95']:>9.0f}"
              f"{max(latencies, default=float('nan')):>9.0f}")
    bad = [a for a in answers if a[1] not in (200, 504, 413)]
    if idle[1] or attacked[1] or bad:
        print(f"failures: ordinary {idle[1][:3] + attacked[1][:3]}, attacks {bad}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
