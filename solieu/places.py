"""Vietnam's administrative units, from the data underthesea ships (`underthesea/address`).

Two uses: a gazetteer of place names for the recogniser's features (names of
provinces, districts, communes and wards, before and after the July 2025
merger), and the post-merger province a passage belongs to, which is how the
corpus is split (no territory in two splits). The data is underthesea's
(itself from `vietnamadminunits`): nothing here is typed by hand from the
seed reports.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from solieu.errors import ConfigError

# The kinds of unit a name is written after in running text; the data's full
# names carry them as a prefix ("Tỉnh Hà Giang", "Huyện Bắc Mê", "Phường An Hòa").
UNIT_WORDS = ("tỉnh", "thành phố", "quận", "huyện", "thị xã", "thị trấn", "xã", "phường", "đặc khu", "tp", "tp.")
_PREFIX = re.compile(r"^(?:tỉnh|thành phố|quận|huyện|thị xã|thị trấn|xã|phường|đặc khu)\s+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def _address_data_path() -> Path:
    # Found, not imported: importing underthesea imports its translation pipeline and transformers
    # with it (about 80 MB resident in every process that reads place names).
    from importlib.util import find_spec

    spec = find_spec("underthesea")
    if spec is None or spec.origin is None:  # pragma: no cover - underthesea is a core dependency
        raise ConfigError("underthesea's address data is needed for place names; install underthesea")
    return Path(spec.origin).parent / "address" / "data" / "mapping.json"


@cache
def _data() -> dict:
    path = _address_data_path()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ConfigError(f"{path}: cannot read underthesea's address data: {e}") from e


def _bare(name: str) -> str:
    return _SPACES.sub(" ", _PREFIX.sub("", unicodedata.normalize("NFC", name).strip()))


def _key(name: str) -> str:
    """The data's key style: lower case, no diacritics, no spaces ("Hà Giang" -> "hagiang")."""
    text = unicodedata.normalize("NFD", _bare(name).lower()).replace("đ", "d")
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


@cache
def place_names() -> frozenset[str]:
    """Bare names (no unit word) of every province, district, commune and ward, old and new."""
    data = _data()
    names: set[str] = set()
    for table in ("province_names", "old_province_names"):
        names.update(_bare(v["name"]) for v in data[table].values())
        names.update(_bare(v["short"]) for v in data[table].values())
    for row in data["ward_mapping"]:
        for field in ("old_district", "old_ward", "new_ward"):
            if row.get(field):
                names.add(_bare(row[field]))
    # Numbered wards ("Phường 1") leave a bare number, which names nothing on its own.
    return frozenset(n for n in names if n and n[0].isupper())


@cache
def _new_province_by_key() -> dict[str, str]:
    data = _data()
    new_short = {key: v["short"] for key, v in data["province_names"].items()}
    by_key: dict[str, str] = {}
    for old_key, new_key in data["province_mapping"].items():
        old = data["old_province_names"][old_key]
        by_key[_key(old["short"])] = new_short[new_key]
    for v in data["province_names"].values():
        by_key[_key(v["short"])] = v["short"]
    # Common longer spellings of two names.
    by_key.setdefault(_key("Thừa Thiên Huế"), by_key[_key("Huế")])
    by_key.setdefault(_key("TP Hồ Chí Minh"), by_key[_key("Hồ Chí Minh")])
    by_key.setdefault(_key("Thành phố Hồ Chí Minh"), by_key[_key("Hồ Chí Minh")])
    return by_key


def post_merger_province(name: str) -> str:
    """The province (of the 34 since July 2025) whose territory `name`, old or new, lies in."""
    cleaned = re.sub(r"^(?:TP\.?|Thành phố)\s+", "", unicodedata.normalize("NFC", name).strip())
    for candidate in (name, cleaned):
        found = _new_province_by_key().get(_key(candidate))
        if found is not None:
            return found
    raise ConfigError(f"{name!r} is not a province of Viet Nam that underthesea's address data knows")
