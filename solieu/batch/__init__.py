"""Offline batch tagging of whole archives: resumable, exactly-once, local or on Ray.

    from solieu.batch import run_batch
    summary = run_batch("reports/", "out/", extractor="model", n_process=4)

See `state.py` for how the output stays exactly-once through a kill,
`sources.py` for how documents get their ids, `local.py` and `ray_engine.py`
for the two engines, and `solieu.figures` for the flat export of figures.
"""

from solieu.batch.run import ENGINES, TABLE_FORMATS, BatchSummary, run_batch
from solieu.batch.sources import SourceItem, SourceListing, enumerate_source, load_item
from solieu.figures import export_figures, figure_rows

__all__ = [
    "ENGINES", "TABLE_FORMATS", "BatchSummary", "SourceItem", "SourceListing",
    "enumerate_source", "export_figures", "figure_rows", "load_item", "run_batch",
]
