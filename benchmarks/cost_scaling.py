"""Cost against length on inputs that used to stall the service (issue 11): chars/s at 1x, 4x, 16x.

    python benchmarks/cost_scaling.py [--model DIR]

A cost linear in the length keeps chars/s flat across the three sizes (the issue asks within 1.5x).
Inputs: figures with no sentence end between them ("5% " repeated), a Markdown table of projects,
"ngày " repeated, and a seed-like paragraph repeated (the ordinary case, for scale).
"""

from __future__ import annotations

import argparse
import time

from solieu.pipeline import load_pipeline
from solieu.rules import extract as rules_extract

ROW = "| {i} | Dự án Đường tỉnh ĐT.{i} | {a},5 tỷ đồng | {b},2 tỷ đồng | {p},4% |\n"
PARAGRAPH = ("Tính đến ngày 30/6/2025, Kho bạc Nhà nước khu vực V đã giải ngân 1.207,36 tỷ đồng, đạt 35,7% "
             "kế hoạch vốn năm 2025; dự án Đường ven biển được bố trí 120 tỷ đồng. ")


def inputs(unit: int) -> dict[str, str]:
    table = "| STT | Dự án | Kế hoạch | Giải ngân | Tỷ lệ |\n|---|---|---|---|---|\n" + "".join(
        ROW.format(i=i, a=i * 3, b=i, p=i % 90 + 5) for i in range(1, 25 * unit + 1))
    return {"'5% ' repeated": "5% " * (500 * unit), "Markdown table": table,
            "'ngày ' repeated": "ngày " * (2000 * unit), "report paragraph": PARAGRAPH * (10 * unit)}


def rate(extract, text: str, runs: int = 3) -> float:
    """Characters per second, best of `runs` (one run of a small input is mostly timer noise)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        extract(text)
        best = min(best, time.perf_counter() - start)
    return len(text) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    model = load_pipeline(args.model)
    model.extract("5% ngày 1/1/2025")
    sizes = (1, 4, 16)
    print(f"{'input':<20}{'system':<8}" + "".join(f"{f'{s}x chars/s':>16}" for s in sizes) + f"{'max/min':>10}")
    by_size = {s: inputs(s) for s in sizes}
    for name in by_size[1]:
        for system, run in (("rules", rules_extract), ("model", model.extract)):
            rates = [rate(run, by_size[s][name]) for s in sizes]
            print(f"{name:<20}{system:<8}" + "".join(f"{r:>16,.0f}" for r in rates) + f"{max(rates) / min(rates):>10.2f}")


if __name__ == "__main__":
    main()
