"""Codes of the strategy map and the rules for writing them.

Codes are checked by level:

- theme: one capital letter (``D``);
- objective: theme letter + perspective letter + number (``DP2``);
- KPI: objective code + ``.n`` (``DP2.2``);
- action plan: KPI code + ``.n`` (``DP2.2.1``).

City and department codes look alike; which namespace a code lives in is decided
by the file it is written in, never by its shape (see ``linking.graph.QualifiedCode``).
"""

from __future__ import annotations

import re
import types
import typing
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue, WithJsonSchema
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from stratmap.characters import INVISIBLE, describe
from stratmap.i18n import N_


class Perspective(StrEnum):
    """The four balanced-scorecard perspectives, by the letter used in codes, in the document's order (the
    maps' lanes top to bottom, the scorecards' groups): 顧客, 內部流程, 學習成長, 財務."""

    CUSTOMER = "C"
    PROCESS = "P"
    LEARNING = "L"
    FINANCE = "F"

    @property
    def label(self) -> str:
        """The Chinese name used on the scorecards (顧客, 內部流程, ...)."""
        return PERSPECTIVE_LABELS[self]


PERSPECTIVE_LABELS = {
    Perspective.CUSTOMER: "顧客",
    Perspective.PROCESS: "內部流程",
    Perspective.LEARNING: "學習成長",
    Perspective.FINANCE: "財務",
}
"""The Chinese name of each perspective: on the scorecards, and accepted for it in the files."""
_PERSPECTIVE_ENGLISH = {
    Perspective.CUSTOMER: "customer",
    Perspective.PROCESS: "internal process",
    Perspective.LEARNING: "learning and growth",
    Perspective.FINANCE: "financial",
}


@dataclass(frozen=True)
class Words:
    """The Chinese words planning staff write for a field's values (``內部流程`` for ``P``), each read as the
    value it stands for: put in an ``Annotated`` type, the model accepts the word and holds the value, every
    rule sees the value only, the JSON Schema lists both forms and ``stratmap fmt`` writes the value."""

    pairs: tuple[tuple[str, str], ...]
    """(word, value) in the order the values are listed."""
    description: str | None = None
    """What the values mean, for the JSON Schema (in English and Chinese)."""

    @property
    def table(self) -> dict[str, str]:
        """Word -> the value it stands for."""
        return dict(self.pairs)

    def read(self, value: Any) -> Any:
        """The value a word stands for; anything else as it is (for the type to check)."""
        if isinstance(value, str):
            return self.table.get(value, value)
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self.read, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        inner = handler(schema)
        values = list(handler.resolve_ref_schema(inner).get("enum", []))
        written: JsonSchemaValue = {"type": "string", "enum": values + [word for word, _value in self.pairs]}
        if self.description:
            written["description"] = self.description
        return written


def words_of(annotation: Any, metadata: Sequence[Any] = ()) -> Words | None:
    """The :class:`Words` of a field (its ``annotation`` and pydantic's ``metadata`` of it), if it has any."""
    for item in metadata:
        if isinstance(item, Words):
            return item
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return words_of(typing.get_args(annotation)[0], typing.get_args(annotation)[1:])
    if origin is typing.Union or origin is types.UnionType:
        return next((found for arg in typing.get_args(annotation) if (found := words_of(arg))), None)
    return None


PERSPECTIVE_WORDS = Words(
    tuple((label, perspective.value) for perspective, label in PERSPECTIVE_LABELS.items()),
    "構面 perspective: "
    + ", ".join(f"{p.value} {label} ({_PERSPECTIVE_ENGLISH[p]})" for p, label in PERSPECTIVE_LABELS.items())
    + "; write the letter or the Chinese name (寫代號或中文名稱皆可).",
)
PerspectiveField = Annotated[Perspective, PERSPECTIVE_WORDS]
"""A perspective, by its letter or its Chinese name (``內部流程`` is read as ``P``)."""

_NUMBER = r"[1-9][0-9]{0,5}"
THEME_PATTERN = re.compile(r"[A-Z]")
OBJECTIVE_PATTERN = re.compile(rf"([A-Z])([CPLF])({_NUMBER})")
KPI_PATTERN = re.compile(rf"([A-Z][CPLF]{_NUMBER})\.({_NUMBER})")
ACTION_PLAN_PATTERN = re.compile(rf"([A-Z][CPLF]{_NUMBER}\.{_NUMBER})\.({_NUMBER})")
DEPARTMENT_ID_PATTERN = re.compile(r"[a-z][a-z0-9-]{0,31}")


class CodeLevel(StrEnum):
    """The levels of the cascade that carry a code."""

    THEME = "theme"
    OBJECTIVE = "objective"
    KPI = "KPI"
    ACTION_PLAN = "action plan"


LEVEL_PATTERNS = {
    CodeLevel.THEME: THEME_PATTERN,
    CodeLevel.OBJECTIVE: OBJECTIVE_PATTERN,
    CodeLevel.KPI: KPI_PATTERN,
    CodeLevel.ACTION_PLAN: ACTION_PLAN_PATTERN,
}

_LEVEL_FORMS = {
    CodeLevel.THEME: (N_("one capital letter"), "D"),
    CodeLevel.OBJECTIVE: (N_("theme letter + perspective letter (C, P, L or F) + number"), "DP2"),
    CodeLevel.KPI: (N_("objective code + '.n'"), "DP2.2"),
    CodeLevel.ACTION_PLAN: (N_("KPI code + '.n'"), "DP2.2.1"),
}
"""How a code of each level is written (in English: the loader's messages translate it), with an example."""


def normalise_width(text: str) -> str:
    """Fold full-width letters and digits (``ＤＰ２.２``) to ASCII (``DP2.2``). Plain ASCII, nearly every
    code, is left as it is: NFKC changes none of it, and normalising 170,000 codes costs 0.5 s."""
    if text.isascii():
        return text.strip()
    return unicodedata.normalize("NFKC", text).strip()


def level_of(code: str) -> CodeLevel | None:
    """The level a code is written at, or None when it fits no level."""
    for level, pattern in LEVEL_PATTERNS.items():
        if pattern.fullmatch(code):
            return level
    return None


def parent_code(code: str) -> str | None:
    """The code one level up: ``DP2.2.1`` -> ``DP2.2`` -> ``DP2`` -> ``D``."""
    if "." in code:
        return code.rsplit(".", 1)[0]
    if OBJECTIVE_PATTERN.fullmatch(code):
        return code[0]
    return None


def _checker(level: CodeLevel) -> AfterValidator:
    pattern = LEVEL_PATTERNS[level]
    form, example = _LEVEL_FORMS[level]

    def check(value: str) -> str:
        if value.isascii() and pattern.fullmatch(value):  # nearly every code: none of the slips below
            return value
        hidden = INVISIBLE.search(value)
        if hidden:
            raise PydanticCustomError(
                "invalid_code",
                "{level} code '{value}' holds the invisible character {character}; type the code again",
                {"level": level.value, "value": value, "character": describe(hidden.group())},
            )
        if value != value.strip() and pattern.fullmatch(value.strip()):
            raise PydanticCustomError(
                "invalid_code",
                "{level} code '{value}' has spaces around it; write it as '{stripped}'",
                {"level": level.value, "value": value, "stripped": value.strip()},
            )
        folded = normalise_width(value)
        if folded != value and pattern.fullmatch(folded):
            raise PydanticCustomError(
                "full_width_code",
                "{level} code '{value}' is written with full-width characters; write it as '{folded}'",
                {"level": level.value, "value": value, "folded": folded},
            )
        if not pattern.fullmatch(value):
            raise PydanticCustomError(
                "invalid_code",
                "'{value}' is not a valid {level} code: expected {form}, for example '{example}'",
                {"value": value, "level": level.value, "form": form, "example": example},
            )
        return value

    return AfterValidator(check)


def _json_schema(level: CodeLevel) -> WithJsonSchema:
    form, example = _LEVEL_FORMS[level]
    return WithJsonSchema(
        {
            "type": "string",
            "pattern": f"^{LEVEL_PATTERNS[level].pattern}$",
            "description": f"{level.value} code: {form}, e.g. {example}",
        }
    )


ThemeCode = Annotated[str, _checker(CodeLevel.THEME), _json_schema(CodeLevel.THEME)]
ObjectiveCode = Annotated[str, _checker(CodeLevel.OBJECTIVE), _json_schema(CodeLevel.OBJECTIVE)]
KpiCode = Annotated[str, _checker(CodeLevel.KPI), _json_schema(CodeLevel.KPI)]
ActionPlanCode = Annotated[str, _checker(CodeLevel.ACTION_PLAN), _json_schema(CodeLevel.ACTION_PLAN)]


def _same_map(value: str) -> str:
    """Refuse a code qualified by a namespace (``city:DP2``): cause and effect stays within one map."""
    if ":" in value:
        raise PydanticCustomError(
            "foreign_code",
            "'{value}' names an objective of another map ('{namespace}:'): drives lists objectives of the same "
            "map, by their code alone",
            {"value": value, "namespace": value.split(":", 1)[0].strip()},
        )
    return value


DRIVES_DESCRIPTION = (
    "因果關係 cause and effect: the objectives (策略目標) of the same map this objective supports (支持), by their "
    "code alone (BP2, never doed:BP2 or city:DP2); cause runs up the map, 財務 F → 學習成長 L → 內部流程 P → 顧客 C, "
    "or within one perspective (同構面亦可). 本目標支持（驅動）之同一策略地圖內策略目標代號。"
)
"""The description of ``drives:`` in the JSON Schema, for department and city objectives alike."""

DrivenCode = Annotated[
    str,
    AfterValidator(_same_map),
    _checker(CodeLevel.OBJECTIVE),
    _json_schema(CodeLevel.OBJECTIVE),
]
"""An objective this objective supports (``drives:``): an objective code of the same map, unqualified."""


def _check_department_id(value: str) -> str:
    if value == "city" or not DEPARTMENT_ID_PATTERN.fullmatch(value):
        raise PydanticCustomError(
            "invalid_code",
            "'{value}' is not a valid department id: use lower-case letters, digits and '-', "
            "starting with a letter (and not 'city', which names the city map)",
            {"value": value},
        )
    return value


DepartmentId = Annotated[
    str,
    AfterValidator(_check_department_id),
    WithJsonSchema({"type": "string", "pattern": f"^{DEPARTMENT_ID_PATTERN.pattern}$"}),
]
