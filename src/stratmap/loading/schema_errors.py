"""Turn Pydantic validation errors into findings at the line and column of the source."""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from stratmap.loading.positions import Path_, PositionIndex
from stratmap.problems import Finding, FindingCap, Location

_RULE_BY_ERROR_TYPE = {
    "extra_forbidden": "S002",
    "missing": "S003",
    "invalid_code": "S005",
    "full_width_code": "S005",
    "perspective_mismatch": "S006",
}


def findings_from_validation(
    error: ValidationError, model: type[BaseModel], positions: PositionIndex, display: Path
) -> list[Finding]:
    """One finding per Pydantic error, placed where the offending value was written; past the cap of
    findings per rule, errors are only counted (working out a hint for 700,000 unknown keys takes minutes)."""
    cap = FindingCap()
    findings = [
        cap.keep(_finding(detail, model, positions, display))
        for detail in error.errors(include_url=False, include_context=False, include_input=True)
        if cap.admits(display, _RULE_BY_ERROR_TYPE.get(detail["type"], "S004"))
    ]
    return findings + cap.summaries()


def _finding(detail: ErrorDetails, model: type[BaseModel], positions: PositionIndex, display: Path) -> Finding:
    loc: Path_ = tuple(detail["loc"])
    kind = detail["type"]
    rule = _RULE_BY_ERROR_TYPE.get(kind, "S004")
    where = _dotted(loc)
    hint = ""
    if kind == "extra_forbidden":
        line, column = positions.of_key(loc)
        key = str(loc[-1])
        allowed = _fields_at(model, loc[:-1])
        message = f"unknown key '{key}'" + (f" in {_dotted(loc[:-1])}" if loc[:-1] else "")
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else ("allowed keys: " + ", ".join(allowed) if allowed else "")
    elif kind == "missing":
        line, column = positions.of_value(loc[:-1])
        message = f"missing required key '{loc[-1]}'" + (f" in {_dotted(loc[:-1])}" if loc[:-1] else "")
        hint = f"add '{loc[-1]}:' here"
    elif kind == "perspective_mismatch":
        line, column = positions.of_value((*loc, "perspective"))
        message = detail["msg"]
        hint = "make the perspective agree with the code's second letter (C, P, L or F)"
    else:
        line, column = positions.of_value(loc)
        message = f"{where}: {_sentence(detail)}" if where else _sentence(detail)
        if kind == "literal_error" and loc == ("kind",):
            from stratmap.model import FILE_KINDS

            hint = "kind is one of: " + ", ".join(FILE_KINDS)
    return Finding(rule, Location(display, line, column), message, hint)


def _sentence(detail: ErrorDetails) -> str:
    message = detail["msg"]
    if detail["type"] in ("invalid_code", "full_width_code"):
        return message
    value: Any = detail.get("input")
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return f"{message[0].lower()}{message[1:]} (got '{value}')"
    return f"{message[0].lower()}{message[1:]}"


def _dotted(loc: Path_) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _fields_at(model: type[BaseModel], loc: Path_) -> list[str]:
    """Field names of the model found by following ``loc`` from ``model``."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return []
        current = _model_in(current.model_fields[part].annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_in(annotation: Any) -> Any:
    """The model class inside ``list[X] | None`` and the like, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for argument in typing.get_args(annotation):
            found = _model_in(argument)
            if found is not None:
                return found
    return None
