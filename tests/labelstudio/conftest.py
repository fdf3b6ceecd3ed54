"""Fixtures of the Label Studio tests; helpers in ls_helpers.py."""

from __future__ import annotations

import pytest
from ls_helpers import TINY_DOCS

from solieu.schema import Document


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "labelstudio: needs a running Label Studio (LABEL_STUDIO_URL); run by .ci/labelstudio.sh")


@pytest.fixture
def gold_docs() -> list[Document]:
    return [doc.model_copy(deep=True) for doc in TINY_DOCS]
