"""Reference formulations: the format's checks name the file, the reference and the field."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from ipt_widgets.formulations import (
    FormulationReference,
    load_draft_tasks,
    load_references,
    parse_reference,
)
from ipt_widgets.reference_check import check_reference, main

FIXTURE = Path(__file__).parent / "fixtures" / "formulation.yaml"


@pytest.fixture
def raw():
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def write(tmp_path, data, name="refs.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_valid_reference_loads(raw):
    ref = load_references(FIXTURE)["t_grief"]
    assert ref.problem_area == "grief" and ref.dispute_stage is None
    assert ref.max_points == 9.0
    assert [e.id for e in ref.elements] == ["grief_focus", "illness_frame", "grief_goal", "agreement"]
    assert ref.elements[0].keywords == ()  # keywords are optional


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda r: r.update(task="essay"), "field 'task'"),
        (lambda r: r.update(problem_area="sadness"), "field 'problem_area'"),
        (lambda r: r.update(dispute_stage="impasse"), "field 'dispute_stage' applies only to role_disputes"),
        (lambda r: r.update(problem_area="role_disputes"), "field 'dispute_stage' must be one of"),
        (lambda r: r.pop("expert_formulation"), "field 'expert_formulation'"),
        (lambda r: r.update(elements=[]), "field 'elements'"),
        (lambda r: r.update(colour="blue"), "unknown field 'colour'"),
        (lambda r: r["elements"][1].update(points=True), "elements[2] (illness_frame): field 'points'"),
        (lambda r: r["elements"][1].update(points=9), "elements[2] (illness_frame): field 'points'"),
        (lambda r: r["elements"][0].update(exemplars=["Only one exemplar here."]), "field 'exemplars'"),
        (lambda r: r["elements"][0]["exemplars"].append("Too short"), "exemplars[3]"),
        (lambda r: r["elements"][2].update(id="grief_focus"), "duplicate element id 'grief_focus'"),
        (lambda r: r["elements"][0].update(keywords="grief"), "field 'keywords'"),
        (lambda r: r.update(id="Bad Id"), "field 'id'"),
    ],
)
def test_bad_references_are_rejected_naming_file_reference_and_field(tmp_path, raw, change, field):
    bad = copy.deepcopy(raw)
    change(bad["references"][0])
    path = write(tmp_path, bad)
    with pytest.raises(ValueError) as err:
        load_references(path)
    message = str(err.value)
    assert str(path) in message and field in message
    if "field 'id'" not in field:
        assert "reference 't_grief'" in message


def test_plural_area_names_are_accepted(tmp_path, raw):
    raw["references"][0].update(problem_area="role_disputes", dispute_stage="impasse")
    assert load_references(write(tmp_path, raw))["t_grief"].problem_area == "role_dispute"


def test_file_level_errors_name_the_file(tmp_path):
    for text in ("references: [", "just text", "references: {}"):
        path = tmp_path / "x.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ValueError, match=str(path)):
            load_references(path)
    with pytest.raises(ValueError, match="not found"):
        load_references(tmp_path / "missing.yaml")


def test_duplicate_reference_ids(tmp_path, raw):
    raw["references"].append(copy.deepcopy(raw["references"][0]))
    with pytest.raises(ValueError, match=r"references\[2\]: duplicate reference id 't_grief'"):
        load_references(write(tmp_path, raw))


def test_parse_reference_from_yaml_text(raw):
    ref = parse_reference(yaml.safe_dump(raw["references"][0]), "hidden test")
    assert isinstance(ref, FormulationReference) and ref.id == "t_grief"
    with pytest.raises(ValueError, match="hidden test: is not valid YAML"):
        parse_reference("id: [", "hidden test")


def test_draft_tasks_with_and_without_the_answer(tmp_path, raw):
    released = {"references": [{k: raw["references"][0][k] for k in ("id", "task", "title", "vignette", "prompt")}]}
    task = load_draft_tasks(write(tmp_path, released))["t_grief"]
    assert task.reference is None and "Ngozi" in task.vignette
    assert load_draft_tasks(FIXTURE)["t_grief"].reference is not None
    released["references"][0].pop("prompt")
    with pytest.raises(ValueError, match="field 'prompt'"):
        load_draft_tasks(write(tmp_path, released))


def test_check_reference_flags_generic_exemplars_and_unmet_expert_answer(raw):
    good = load_references(FIXTURE)["t_grief"]
    assert check_reference(good) == []
    generic = copy.deepcopy(raw["references"][0])
    generic["expert_formulation"] = "We will use interpersonal psychotherapy for twelve sessions."
    for element in generic["elements"]:
        element["exemplars"] = [
            "Interpersonal psychotherapy with problem area, sick role and communication analysis.",
            "We will link mood to events over 12-16 weekly sessions.",
        ]
    warnings = check_reference(FormulationReference.from_mapping(generic, "test"))
    assert any("IPT keywords with no patient" in w for w in warnings)
    assert any("expert formulation" in w for w in warnings)


def test_check_command_exit_codes(tmp_path, raw, capsys):
    assert main([str(FIXTURE)]) == 0
    assert "t_grief: ok" in capsys.readouterr().out
    raw["references"][0]["task"] = "essay"
    assert main([str(write(tmp_path, raw))]) == 2
    assert "field 'task'" in capsys.readouterr().err
    assert main([]) == 2


def test_check_reference_warns_when_a_cap_takes_the_expert_below_full_marks(raw):
    capped = copy.deepcopy(raw["references"][0])
    capped["expert_formulation"] += " Honestly, Ada is being selfish and unfair to you."
    warnings = check_reference(FormulationReference.from_mapping(capped, "test"))
    assert any("overall" in w and "taking sides" in w for w in warnings)
