"""The Label Studio labeling configuration for solieu's labels.

Names are part of the exchange with Label Studio: tasks carry the report in
`data.text`, regions come from the `<Labels name="label">` control and
relations from `<Relations>`. tasks.py and importer.py use the same names.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from solieu.schema import ENTITY_LABELS, LABEL_DESCRIPTIONS, RELATION_LABELS

TEXT_NAME = "text"  # the <Text> object tag, and the task data key it shows
LABELS_NAME = "label"  # the <Labels> control tag, `from_name` of region results

# Readable on both light and dark themes; one per entity label.
LABEL_COLORS: dict[str, str] = {
    "MONEY": "#2e7d32",
    "PERCENT": "#1565c0",
    "DATE": "#ef6c00",
    "AGENCY": "#6a1b9a",
    "PROJECT": "#c62828",
}


def labeling_config() -> str:
    """The XML to paste into a project's Settings → Labeling Interface."""
    labels = "\n".join(
        f"    <Label value={quoteattr(label)} background={quoteattr(LABEL_COLORS[label])} "
        f"hint={quoteattr(LABEL_DESCRIPTIONS[label]['vi'])}/>"
        for label in ENTITY_LABELS
    )
    relations = "\n".join(f"    <Relation value={quoteattr(label)}/>" for label in RELATION_LABELS)
    return (
        "<View>\n"
        "  <Relations>\n"
        f"{relations}\n"
        "  </Relations>\n"
        f'  <Labels name="{LABELS_NAME}" toName="{TEXT_NAME}">\n'
        f"{labels}\n"
        "  </Labels>\n"
        f'  <Text name="{TEXT_NAME}" value="${TEXT_NAME}"/>\n'
        "</View>\n"
    )
