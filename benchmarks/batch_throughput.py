"""Batch throughput: documents/s and characters/s for 1 and 2 local processes and for Ray.

    python benchmarks/batch_throughput.py                     # the trained model (rules if it is missing)
    python benchmarks/batch_throughput.py --extractor rules
    python benchmarks/batch_throughput.py --model DIR --documents 600

The corpus is the seed reports (../shared/seeds) cut at paragraph breaks into
pieces of about --chars characters, cycled to --documents documents. Each
engine runs `run_batch` on it into a fresh output directory, end to end
(worker or Ray start, model load, tagging, commits, manifest): that is "wall".
"Steady" leaves start-up out: each engine also runs on the first half of the
corpus, and the steady rate is the second half's documents over the extra time
the whole corpus took; it is what a long archive run sees. "start s" is the
start-up that this leaves (wall minus twice that extra time).
Printed side by side with the speed-up over one process.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


def build_corpus(root: Path, *, documents: int, chars: int) -> tuple[int, int]:
    pieces: list[str] = []
    for seed in sorted(SEEDS.glob("*.txt")):
        current = ""
        for paragraph in seed.read_text(encoding="utf-8").split("\n\n"):
            current = f"{current}\n\n{paragraph}" if current else paragraph
            if len(current) >= chars:
                pieces.append(current)
                current = ""
        if current.strip():
            pieces.append(current)
    if not pieces:
        sys.exit(f"no seed reports in {SEEDS}")
    total = 0
    for i in range(documents):
        text = f"Báo cáo số {i}.\n\n{pieces[i % len(pieces)]}"
        path = root / f"p{i % 10:02d}" / f"doc-{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text)
    return documents, total


def pick_extractor(name: str, model: str | None) -> tuple[str, str | None]:
    if name != "model":
        return name, model
    from solieu.batch.work import describe_extractor
    from solieu.errors import ModelError

    try:
        describe_extractor("model", model=model)
    except ModelError as e:
        print(f"note: {e}\nnote: the model is missing, so this benchmark measures the rules extractor instead\n",
              file=sys.stderr)
        return "rules", None
    return name, model


def timed_run(source: Path, out: Path, **kwargs) -> tuple[float, int]:
    """Wall seconds of one run_batch, and how many documents failed (they count as processed)."""
    from solieu.batch import run_batch

    t0 = time.perf_counter()
    summary = run_batch(str(source), out, **kwargs)
    seconds = time.perf_counter() - t0
    if summary.status != "complete":
        sys.exit(f"benchmark run did not complete: {summary.manifest['documents']}")
    return seconds, summary.failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extractor", default="model", help="model (default), rules or underthesea")
    parser.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    parser.add_argument("--documents", type=int, default=400, help="documents in the corpus (default 400)")
    parser.add_argument("--chars", type=int, default=1500, help="about this many characters each (default 1500)")
    parser.add_argument("--shard-size", type=int, default=16, help="documents per commit (default 16)")
    parser.add_argument("--no-ray", action="store_true", help="leave the Ray engine out")
    args = parser.parse_args()

    extractor, model = pick_extractor(args.extractor, args.model)
    configs = [("local", 1), ("local", 2)]
    if not args.no_ray:
        try:
            import ray.data  # noqa: F401
        except ImportError:
            print("note: Ray is not installed (pip install 'solieu[ray]'); the Ray engine is left out\n",
                  file=sys.stderr)
        else:
            configs.append(("ray", 2))

    with tempfile.TemporaryDirectory(prefix="solieu-bench-") as tmp:
        tmp_path = Path(tmp)
        corpus, half = tmp_path / "corpus", tmp_path / "half"
        documents, characters = build_corpus(corpus, documents=args.documents, chars=args.chars)
        half_docs, half_chars = build_corpus(half, documents=args.documents // 2, chars=args.chars)
        rows = []
        for engine, workers in configs:
            common = dict(extractor=extractor, model=model, engine=engine, n_process=workers,
                          shard_size=args.shard_size)
            wall_half, _ = timed_run(half, tmp_path / f"half-{engine}-{workers}", **common)
            wall, failed = timed_run(corpus, tmp_path / f"out-{engine}-{workers}", **common)
            extra = max(wall - wall_half, 1e-9)  # the second half of the documents, start-up cancelled out
            start = max(wall - 2 * extra, 0.0)
            rows.append((engine, workers, wall, start, documents / wall, characters / wall,
                         (documents - half_docs) / extra, (characters - half_chars) / extra, failed))

    print(f"batch throughput: extractor {extractor}{' ' + model if model else ''}, {documents} documents, "
          f"{characters:,} characters, {os.cpu_count()} CPU core(s)\n")
    header = (f"{'engine':<8}{'workers':>8}{'wall s':>9}{'start s':>9}{'docs/s':>9}{'chars/s':>12}"
              f"{'steady docs/s':>15}{'steady chars/s':>16}{'speed-up':>10}{'steady speed-up':>17}")
    print(header)
    print("-" * len(header))
    base = rows[0]
    for engine, workers, wall, startup, dps, cps, sdps, scps, _ in rows:
        print(f"{engine:<8}{workers:>8}{wall:>9.2f}{startup:>9.2f}{dps:>9.1f}{cps:>12,.0f}"
              f"{sdps:>15.1f}{scps:>16,.0f}{dps / base[4]:>9.2f}x{sdps / base[6]:>16.2f}x")
    failed = {f"{r[0]}-{r[1]}": r[8] for r in rows if r[8]}
    if failed:
        print(f"\nnote: documents the extractor failed on (in errors.jsonl, counted as processed): {failed}")
    print("\nspeed-up: documents/s over local with 1 process. steady: the marginal rate (whole corpus against "
          "its first half), i.e. without start-up (processes or Ray, model load); start s: that start-up.")


if __name__ == "__main__":
    main()
