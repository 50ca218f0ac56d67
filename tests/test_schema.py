"""The JSON Schema for editors: generated from the model, kept in the repository.

It agrees with `fichegen check` on the shape of a file, as an independent
validator (jsonschema) shows on the examples and the corpus of invalid files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from fichegen.cli import main
from fichegen.model import Fiche, General
from fichegen.schema import build_schema, schema_text

REPO = Path(__file__).resolve().parents[1]
COPY = REPO / "schema" / "fiche.schema.json"
CORPUS = REPO / "tests" / "invalid"

# What the schema can say about the corpus. A new case must be put in one list.
REJECTED = {  # wrong shape: an editor marks these while typing
    "comments-only",
    "legislative-element-vocabulary",
    "communication-field-in-legislative",
    "control-character",
    "empty-values",
    "enum-typo-stance",
    "enum-typo-type",
    "enum-typo-verdict",
    "invalid-footnote-key",
    "invalid-id",
    "legislative-field-in-communication",
    "legislative-missing-sections",
    "list-not-mapping",
    "missing-section-1",
    "missing-stance",
    "missing-top",
    "missing-verdict",
    "several-mistakes",
    "type-boolean-where-text",
    "type-list-where-text",
    "type-mapping-where-list",
    "type-number-where-text",
    "type-text-where-list",
    "type-text-where-mapping",
    "unknown-annex",
    "unknown-key-action",
    "unknown-key-nested",
    "unknown-key-top",
}
ACCEPTED = {  # the right shape: only the reviewer's rules of `fichegen check` find these
    "date-com-number-tab",
    "bom",
    "draft-placeholder",
    "duplicate-action-ids",
    "final-no-position",
    "final-placeholder",
    "footnote-nested",
    "footnote-undefined",
    "footnote-unused",
    "heading-in-prose",
    "indented-code",
    "link-address",
    "link-brackets",
    "note-no-section",
    "raw-html",
    "several-rule-problems",
    "stance-concerns",
    "stance-conditions",
    "unclosed-emphasis",
}
UNREADABLE = {  # not YAML, or not plain data: the YAML parser of the editor reports these
    "duplicate-key",
    "duplicate-key-nested",
    "empty",
    "invalid-utf8",
    "syntax-alias",
    "syntax-bad-indentation",
    "syntax-colon-in-value",
    "syntax-custom-tag",
    "syntax-list-item-in-mapping",
    "syntax-tab",
    "syntax-unclosed-bracket",
    "syntax-unclosed-quote",
    "utf16",
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(COPY.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def as_json(path: Path) -> Any:
    """A YAML file as the editor sees it: plain JSON data, dates as text (YAML 1.2)."""
    data = YAML(typ="safe", pure=True).load(path.read_bytes().decode("utf-8-sig"))
    return json.loads(json.dumps(data, default=str))


def errors(validator: jsonschema.Draft202012Validator, path: Path) -> list[str]:
    return [error.message for error in validator.iter_errors(as_json(path))]


def test_the_schema_in_the_repository_is_up_to_date() -> None:
    assert COPY.read_text("utf-8") == schema_text(), (
        "schema/fiche.schema.json is stale; regenerate it with "
        "`fichegen schema -o schema/fiche.schema.json` and commit it"
    )


def test_the_schema_command_prints_it_and_writes_it(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(main, ["schema"])
    assert printed.exit_code == 0 and printed.stdout == schema_text()
    target = tmp_path / "fiche.schema.json"
    written = runner.invoke(main, ["schema", "-o", str(target)])
    assert written.exit_code == 0 and target.read_text("utf-8") == schema_text()


def test_hover_help_is_the_dutch_doc_of_each_field() -> None:
    schema = build_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    title = next(f for f in Fiche.__dataclass_fields__.values() if f.name == "title")
    assert schema["properties"]["title"]["description"] == title.metadata["doc"]
    general = schema["$defs"]["General"]
    assert (
        general["properties"]["lead_ministry"]["description"]
        == (General.__dataclass_fields__["lead_ministry"].metadata["doc"])
    )
    assert general["additionalProperties"] is False
    stance = schema["$defs"]["Action"]["properties"]["stance"]
    assert stance["enum"] == [
        "support",
        "support_with_conditions",
        "critical",
        "oppose",
        "no_position",
        # The Dutch labels, which fichegen accepts as the ids, are valid in the editor too.
        "steun",
        "steun onder voorwaarden",
        "kritisch",
        "afwijzend",
        "nog geen positie",
    ]
    assert "stance" in schema["$defs"]["Action"]["required"]


@pytest.mark.parametrize(
    "example",
    [
        *sorted((REPO / "positions").glob("*.yaml")),
        *sorted((REPO / "tests" / "golden").glob("*/input.yaml")),
    ],
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_every_example_is_valid_by_the_schema(
    validator: jsonschema.Draft202012Validator, example: Path
) -> None:
    assert errors(validator, example) == []


def test_every_corpus_case_is_classified() -> None:
    cases = {path.stem for path in CORPUS.glob("*.yaml")}
    assert cases == REJECTED | ACCEPTED | UNREADABLE
    assert not REJECTED & ACCEPTED and not (REJECTED | ACCEPTED) & UNREADABLE


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_the_schema_rejects_what_it_can_express(
    validator: jsonschema.Draft202012Validator, case: str
) -> None:
    assert errors(validator, CORPUS / f"{case}.yaml")


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_the_reviewer_rules_are_left_to_check(
    validator: jsonschema.Draft202012Validator, case: str
) -> None:
    assert errors(validator, CORPUS / f"{case}.yaml") == []


def test_fields_of_the_other_fiche_type_depend_on_type(
    validator: jsonschema.Draft202012Validator,
) -> None:
    legislative = as_json(REPO / "tests" / "invalid" / "communication-field-in-legislative.yaml")
    del legislative["areas"]
    assert list(validator.iter_errors(legislative)) == []
    del legislative["legal"]
    assert [e.message for e in validator.iter_errors(legislative)] == [
        "'legal' is a required property"
    ]
    legislative["legal"] = None
    assert [e.message for e in validator.iter_errors(legislative)] == [
        "None should not be valid under {'type': 'null'}"
    ]
