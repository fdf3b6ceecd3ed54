import xml.etree.ElementTree as ET

from solieu.labelstudio.config import labeling_config
from solieu.schema import ENTITY_LABELS, RELATION_LABELS


def test_config_parses_and_holds_every_label():
    root = ET.fromstring(labeling_config())
    assert root.tag == "View"
    texts = root.findall("Text")
    assert [(t.get("name"), t.get("value")) for t in texts] == [("text", "$text")]
    labels = root.findall("Labels")
    assert len(labels) == 1 and labels[0].get("name") == "label" and labels[0].get("toName") == "text"
    assert [lab.get("value") for lab in labels[0].findall("Label")] == list(ENTITY_LABELS)
    assert all(lab.get("background", "").startswith("#") for lab in labels[0].findall("Label"))
    assert [r.get("value") for r in root.findall("Relations/Relation")] == list(RELATION_LABELS)


def test_config_command_prints_it():
    from typer.testing import CliRunner

    from solieu.cli_commands.labelstudio import labelstudio_app

    result = CliRunner().invoke(labelstudio_app, ["config"])
    assert result.exit_code == 0
    assert ET.fromstring(result.output).tag == "View"
