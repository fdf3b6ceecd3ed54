"""GET / in headless Chromium (Debian's `chromium`): type a report, upload a
file, see highlighted entities and drawn relations; keeps a screenshot."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from service_helpers import SAMPLE, SAMPLE_OWNER, make_docx

from tests.conftest import REPO

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OUTPUT = Path(__file__).parent / "output"  # ignored by its own .gitignore

if CHROMIUM is None:
    pytest.skip("no chromium binary on PATH: install Debian's package with `apt-get install -y chromium`",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (the Python driver) is not installed")

# Flags for a sandbox without network: no background connections, no GPU.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def page(live_server):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(live_server.url + "/")
        page.errors = errors  # type: ignore[attr-defined]
        yield page
        browser.close()


def test_text_box_renders_entities_and_relations(page, tmp_path):
    page.fill("#text", SAMPLE + "\n" + SAMPLE_OWNER)
    page.click("#extract-text")
    page.wait_for_selector("#result:not([hidden]) mark.ent")
    labels = page.eval_on_selector_all("#doc mark.ent", "els => els.map(e => e.dataset.label)")
    texts = page.eval_on_selector_all("#doc mark.ent", "els => els.map(e => e.firstChild.textContent)")
    assert {"MONEY", "PERCENT", "DATE"} <= set(labels)
    assert "17.271 triệu đồng" in texts and "55,3%" in texts
    relations = page.eval_on_selector_all("#relations li.relation", "els => els.map(e => e.textContent)")
    assert any("AS_OF" in r and "17.271 triệu đồng" in r for r in relations), relations
    arcs = page.eval_on_selector_all("#arcs path.arc", "els => els.length")
    assert arcs == len(relations) > 0
    # The whole text is shown, entities in place.
    assert page.inner_text("#doc").replace("MONEY", "").replace("PERCENT", "").replace("DATE", "") \
        .replace("AGENCY", "").replace("PROJECT", "").count("dự toán tỉnh giao") == 1
    OUTPUT.mkdir(exist_ok=True)
    shot = OUTPUT / "ui_text.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert not page.errors, page.errors


def test_file_upload_renders_the_extracted_text(page, tmp_path):
    report = tmp_path / "bao-cao.docx"
    report.write_bytes(make_docx([SAMPLE]))
    page.set_input_files("#file", str(report))
    page.click("#extract-file")
    page.wait_for_selector("#summary:has-text('bao-cao.docx')")
    texts = page.eval_on_selector_all("#doc mark.ent", "els => els.map(e => e.firstChild.textContent)")
    assert "17.271 triệu đồng" in texts
    page.screenshot(path=str(OUTPUT / "ui_file.png"), full_page=True)


def test_errors_are_shown_to_the_person(page):
    page.fill("#text", "   ")
    page.click("#extract-text")
    page.wait_for_selector("#error:not([hidden])")
    # The person reads Vietnamese; the API's own message and code are kept under the details.
    assert page.inner_text("#error .error-text").startswith("Văn bản trống")
    assert "empty_text" in page.eval_on_selector("#error details code", "e => e.textContent")
    assert page.is_hidden("#result")
    page.screenshot(path=str(OUTPUT / "ui_error.png"), full_page=True)


# A page of a real report as its PDF dump reads: every printed line broken, a blank line between.
REPORT = json.loads((REPO / "annotations" / "corpus" / "000_caaf9eeb95557159.jsonl").read_text(
    encoding="utf-8").splitlines()[0])["text"][:2500]


def _render(page, text):
    page.fill("#text", text)
    page.click("#extract-text")
    page.wait_for_selector("#result:not([hidden]):not(.stale) #doc mark.ent")


def test_a_pdf_dump_reads_as_paragraphs_with_its_text_and_offsets_unchanged(page):
    from solieu.text.reader import read

    # The paragraphs solieu's reader finds, written out as clean paragraphs: what the page should look like.
    read_text = read(REPORT)
    paragraphs = "\n\n".join(" ".join(read_text.clean[s.start:s.end].split()) for s in read_text.segments)
    _render(page, paragraphs)
    clean_height = page.eval_on_selector("#doc", "e => e.getBoundingClientRect().height")
    _render(page, REPORT)
    height = page.eval_on_selector("#doc", "e => e.getBoundingClientRect().height")
    # Hard line breaks inside sentences no longer each take a tall line and a blank one.
    assert abs(height - clean_height) < 0.15 * clean_height, (height, clean_height)
    shown = page.eval_on_selector("#doc", "e => { const c = e.cloneNode(true); "
                                  "c.querySelectorAll('.lbl').forEach(x => x.remove()); return c.textContent; }")
    assert shown == REPORT  # every character is still there, so offsets are the document's
    page.screenshot(path=str(OUTPUT / "ui_pdf_dump.png"), full_page=True)


def test_arc_labels_collide_neither_with_each_other_nor_with_entity_chips(page):
    text = " ".join([SAMPLE_OWNER, SAMPLE, "Ngày 20/6/2025, Sở Tài chính đã chi 3 tỷ đồng, đạt 12%, và 4 tỷ đồng, đạt 15%."])
    _render(page, text)
    labels = page.eval_on_selector_all("#arcs text.arc-label", "els => els.map(e => { const r = "
                                       "e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })")
    chips = page.eval_on_selector_all("#doc mark.ent", "els => els.flatMap(e => Array.from(e.getClientRects())"
                                      ".map(r => [r.left, r.top, r.right, r.bottom]))")

    def overlap(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    assert len(labels) >= 3
    assert not [(a, b) for i, a in enumerate(labels) for b in labels[i + 1:] if overlap(a, b)]
    assert not [(a, c) for a in labels for c in chips if overlap(a, c)]
    page.screenshot(path=str(OUTPUT / "ui_arcs.png"), full_page=True)


def test_a_slow_request_shows_that_it_is_working_and_greys_the_old_result(page):
    _render(page, SAMPLE)
    release = []

    def hold(route):
        release.append(route)

    page.route("**/v1/extract", hold)
    try:
        page.fill("#text", SAMPLE_OWNER)
        page.click("#extract-text")
        page.wait_for_selector("#status:not([hidden])")
        assert page.eval_on_selector("#result", "e => e.classList.contains('stale')")
        assert page.is_disabled("#extract-text") and page.is_disabled("#extract-file")
        assert "Đang trích xuất" in page.inner_text("#extract-text")
        page.screenshot(path=str(OUTPUT / "ui_busy.png"), full_page=True)
        page.wait_for_function("() => true")
        release[0].continue_()
        page.wait_for_selector("#status", state="hidden")
        assert not page.eval_on_selector("#result", "e => e.classList.contains('stale')")
        assert "Cao tốc" in page.inner_text("#doc")
    finally:
        page.unroute("**/v1/extract")


def test_the_figures_shown_download_as_a_spreadsheet(page):
    _render(page, SAMPLE + "\n" + SAMPLE_OWNER)
    errors_before = len(page.errors)
    with page.expect_download() as info:
        page.click("#download-csv")
    download = info.value
    assert download.suggested_filename == "figures.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so that Excel reads Vietnamese as written
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    shown = page.eval_on_selector_all(
        "#doc mark.ent", "els => els.filter(e => ['MONEY', 'PERCENT'].includes(e.dataset.label))"
                         ".map(e => e.firstChild.textContent)")
    assert [r["figure"] for r in rows] == shown and "17.271 triệu đồng" in shown
    assert page.is_visible("#result") and page.errors[errors_before:] == []
