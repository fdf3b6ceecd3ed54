"""Property-based tests of the API against its own OpenAPI schema.

Few examples per operation so that it stays in the normal run; raise
SOLIEU_SCHEMATHESIS_EXAMPLES for a deeper search.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from solieu.service.app import create_app
from solieu.service.pipelines import loader_for
from solieu.service.settings import Settings

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("SOLIEU_SCHEMATHESIS_EXAMPLES", "30"))

app = create_app(Settings(admin_token="schema-secret", max_documents=8), pipeline_loader=loader_for("rules", entity_scores=False))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case):
    # Every other check runs (no 5xx, status codes, content types, response
    # schemas, schema-invalid data rejected). Positive-data acceptance is off:
    # the schema cannot say "not blank", "no control characters" or the
    # configured limits, which the service enforces with a documented 4xx.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
