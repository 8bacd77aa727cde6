"""The answer forms' UI specs come from the domain's form models: every field, required flag and choice, labelled."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from domain.forms import FORMS
from domain.models import HandlingKind
from web.answer.form_specs import FIXED_LISTS, SPECS, WIDGETS, FieldSpec, ListSpec
from web.i18n import LANGUAGES, catalogue


def _rows(form: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """List field -> the model of its rows."""
    rows = {}
    for name, info in form.model_fields.items():
        args = getattr(info.annotation, "__args__", ())
        if args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
            rows[name] = args[0]
    return rows


def _assert_matches(spec: FieldSpec, model: type[BaseModel]) -> None:
    info = model.model_fields[spec.name]
    assert spec.required == info.is_required(), spec.name
    if isinstance(info.annotation, type) and issubclass(info.annotation, StrEnum):
        assert spec.kind == "select" and spec.choices == tuple(m.value for m in info.annotation), spec.name


def test_every_domain_field_has_a_ui_entry_with_its_required_flag_and_choices() -> None:
    assert SPECS.keys() == FORMS.keys()
    for name, form in FORMS.items():
        spec, rows = SPECS[name], _rows(form)
        assert [s.name for s in spec.sections] == list(form.model_fields), name
        for section in spec.sections:
            if isinstance(section, ListSpec):
                assert [f.name for f in section.fields] == list(rows[section.name].model_fields), section.name
                for field in section.fields:
                    _assert_matches(field, rows[section.name])
            else:
                _assert_matches(section, form)
    handling_kind = SPECS["adoption"].lists[0].field("kind")
    assert handling_kind is not None and handling_kind.choices == tuple(k.value for k in HandlingKind)
    priority = SPECS["input"].lists[1].field("priority")
    assert priority is not None and (priority.kind, priority.choices) == ("intselect", ("1", "2", "3"))


def test_every_visible_field_has_a_label_in_every_language_and_every_widget_names_a_field() -> None:
    texts = catalogue()
    scopes: set[str] = set()
    for spec in SPECS.values():
        scopes |= {f"{spec.name}.{f.name}" for f in spec.scalars}
        for field in spec.scalars:
            assert set(texts[f"field.{field.name}"]) >= set(LANGUAGES), field.name
        for rows in spec.lists:
            scopes |= {f"{rows.name}.{f.name}" for f in rows.fields}
            for field in (f for f in rows.fields if f.kind != "hidden"):
                assert set(texts[f"field.{rows.name}.{field.name}"]) >= set(LANGUAGES), field.name
    assert set(WIDGETS) <= scopes
    assert {rows.name for spec in SPECS.values() for rows in spec.lists} >= FIXED_LISTS


def test_every_row_field_has_a_name_a_posted_row_can_carry() -> None:
    from web.answer.formdata import ROW_NAME

    for spec in SPECS.values():
        for list_spec in spec.lists:
            for field in list_spec.fields:
                assert ROW_NAME.match(f"{list_spec.name}-0-{field.name}"), f"{list_spec.name}.{field.name}"
