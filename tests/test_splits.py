"""The split manifest follows its own rules, and the rules keep territories apart."""

import json
from pathlib import Path

import pytest

from solieu.corpus import expand_corpus_paths, read_documents
from solieu.errors import ConfigError
from solieu.places import place_names, post_merger_province
from solieu.schema import Document
from solieu.splits import SPLITS, assign, split_documents, territory_of

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((ROOT / "annotations" / "splits.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus() -> list[Document]:
    return [d for f in expand_corpus_paths([ROOT / "annotations" / "corpus"]) for d in read_documents(f)]


def test_document_lists_are_what_the_rules_give(manifest, corpus):
    expected = assign(corpus, manifest["territories"], manifest["seed_reports"])
    for split in SPLITS:
        assert manifest[split] == expected[split], f"{split} is stale: run annotations/tools/make_splits.py"


def test_no_territory_in_two_splits(manifest, corpus):
    territories = [t for split in SPLITS for t in manifest["territories"][split]]
    assert len(territories) == len(set(territories))
    parts = split_documents(corpus, manifest)
    seen: dict[str, str] = {}
    for split, docs in parts.items():
        for doc in docs:
            territory = territory_of(doc)
            if territory is not None:
                assert seen.setdefault(territory, split) == split, f"{territory} in {seen[territory]} and {split}"


def test_every_held_out_split_has_out_of_province_passages(manifest, corpus):
    parts = split_documents(corpus, manifest)
    for split in ("dev", "test"):
        assert sum(territory_of(d) is not None for d in parts[split]) >= 20


@pytest.mark.parametrize(("old", "new"), [
    ("Hà Giang", "Tuyên Quang"), ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"), ("TP Hồ Chí Minh", "Hồ Chí Minh"),
    ("Thừa Thiên Huế", "Huế"), ("Đắk Nông", "Lâm Đồng"), ("Kon Tum", "Quảng Ngãi"), ("Nghệ An", "Nghệ An"),
])
def test_old_provinces_map_to_their_post_merger_province(old, new):
    assert post_merger_province(old) == new


def test_an_unknown_province_is_a_clear_error():
    with pytest.raises(ConfigError, match="not a province"):
        post_merger_province("Atlantis")


def test_place_names_come_from_the_data_with_no_unit_word():
    names = place_names()
    assert {"Hà Giang", "Ninh Kiều", "Ea Kar"} <= names
    # "Phường Đúc" is a ward's own name (in Huế), so look for full names, not prefixes.
    assert not {"Tỉnh Hà Giang", "Huyện Ea Kar", "Quận Ninh Kiều"} & names


def test_a_document_no_rule_places_is_reported():
    doc = Document(id="x", text="a", meta={"province": "Nghệ An"})
    with pytest.raises(ConfigError, match="no split"):
        assign([doc], {"train": ["Hà Nội"]}, {})
