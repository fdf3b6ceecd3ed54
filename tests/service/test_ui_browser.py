"""GET / in headless Chromium (Debian's `chromium`): type a report, upload a
file, see highlighted entities and drawn relations; keeps a screenshot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from service_helpers import SAMPLE, SAMPLE_OWNER, make_docx

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
    message = page.inner_text("#error")
    assert "empty" in message and "empty_text" in message
    assert page.is_hidden("#result")
