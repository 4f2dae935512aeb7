"""Turn Pydantic validation errors into findings a civil servant can act on.

Each finding stands at the line and column where the value was written, names the item by its kind and
code (``KPI BP2.2``, ``關鍵績效指標 BP2.2``) or 1-based place, in the language of the run; no Python or
Pydantic name is shown. Every wording is an English template of ``MESSAGES``, translated through the
gettext catalogs. A block written at the wrong level is one finding, not one per key it holds.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from stratmap.i18n import N_, _
from stratmap.loading.positions import Path_, PositionIndex
from stratmap.model.city import CityKpi, CityMapFile, CityObjective, CityTheme
from stratmap.model.codes import CodeLevel, level_of, parent_code, words_of
from stratmap.model.department import DepartmentFile
from stratmap.model.measures import MeasuresFile
from stratmap.model.plan import PlanFile
from stratmap.model.theme import ActionPlan, Kpi, Milestone, Objective, ThemeFile
from stratmap.problems import Finding, FindingCap, Location

_RULE_BY_ERROR_TYPE = {
    "extra_forbidden": "S002",
    "missing": "S003",
    "invalid_code": "S005",
    "full_width_code": "S005",
    "foreign_code": "S005",
    "perspective_mismatch": "S006",
}

# ---- wording: every message and hint, in English here and in the catalogs' languages through gettext -----

MESSAGES: dict[str, str] = {
    "unknown_key": N_("{place}: unknown key '{key}'"),
    "did_you_mean": N_("did you mean '{close}'?"),
    "allowed_keys": N_("allowed keys: {keys}"),
    "key_of_other_level": N_("{key} belongs to {owner}, not to {kind}"),
    "missing": N_("{place}: missing required key '{key}'"),
    "add_key": N_("add '{key}:' here"),
    "empty_value": N_("{place} has no value"),
    "empty_list": N_("{place} is empty: list its items (- …) under it, or delete the line"),
    "not_text": N_("{place} must be text, not {got}"),
    "blank_text": N_("{place} must not be blank"),
    "not_item": N_("{place} is written as {form}, not plain text"),
    "not_mapping": N_("{place} must be keys with values, not {got}"),
    "not_list": N_("{place} must be a list (one '- …' per item), not {got}"),
    "not_one_of": N_("{place} must be one of {choices}, not '{value}'"),
    "not_one_of_words": N_("{place} must be one of {choices} (or in Chinese {words}), not '{value}'"),
    "write_the_code": N_("{field} is written as a code: write {code} for {value}"),
    "not_number": N_("{place} must be a number, not '{value}'"),
    "percent_number": N_("{place}: write the number {number} and put % in unit:"),
    "not_whole_number": N_("{place} must be a whole number, not '{value}'"),
    "not_finite": N_("{place} must be a finite number, not '{value}'"),
    "too_many_digits": N_("{place}: numbers have at most 24 digits before the point and 12 after"),
    "at_least": N_("{place} must be at least {limit}"),
    "more_than": N_("{place} must be more than {limit}"),
    "at_most": N_("{place} must be at most {limit}"),
    "less_than": N_("{place} must be less than {limit}"),
    "too_few": N_("{place} must list at least {limit}"),
    "too_many": N_("{place} must list at most {limit}"),
    "bad_form": N_("{place}: '{value}' is not written the way this entry expects"),
    "not_allowed": N_("{place}: this value is not allowed here"),
    "misplaced_deeper": N_("this looks like {actual} written as {kind}: indent it under {parent}'s {list_key}:"),
    "misplaced_higher": N_("this looks like {actual} written as {kind}: move it under {parent}'s {list_key}:"),
    "misplaced_parent": N_("code {code} belongs to {parent} {parent_code}: put it under {parent_code}'s {list_key}:"),
    "bad_code": N_("'{value}' is not a valid {level} code: expected {form}, for example '{example}'"),
    "hidden_in_code": N_("{level} code '{value}' holds the invisible character {character}; type the code again"),
    "spaces_in_code": N_("{level} code '{value}' has spaces around it; write it as '{stripped}'"),
    "full_width_code": N_("{level} code '{value}' is written with full-width characters; write it as '{folded}'"),
    "foreign_code": N_("{place}: '{value}' names an objective of another map ('{namespace}:')"),
    "same_map_only": N_("drives lists objectives of the same map, by their code alone: write {code}, if it is one"),
    "bad_department_id": N_(
        "'{value}' is not a valid department id: use lower-case letters, digits and '-', "
        "starting with a letter (and not 'city', which names the city map)"
    ),
    "perspective_mismatch": N_("objective {code} says perspective {stated} but its code has '{letter}'"),
    "perspective_hint": N_("make the perspective agree with the code's second letter (C, P, L or F)"),
    "listed_twice": N_("{what} {value} is listed twice"),
    "milestones_but_statistics": N_("{place}: milestones are given but basis is statistics; write basis: milestones"),
    "milestones_needed": N_("{place}: basis: milestones needs its milestones: a stage and percent each"),
    "percents_rise": N_("{place}: milestone percents must rise from stage to stage"),
    "target_not_number": N_("{place}: target '{target}' is not a number{why}"),
    "target_of_year_not_number": N_("{place}: target of {year} '{target}' is not a number{why}"),
    "target_not_stage": N_("{place}: target '{target}' is not one of the stages: {stages}"),
    "target_of_year_not_stage": N_("{place}: target of {year} '{target}' is not one of the stages: {stages}"),
    "bad_period": N_("'{period}' is not a period: write a year (110), half (110H1), quarter (110Q1), month (110M01)"),
    "kind_choices": N_("kind is one of: {kinds}"),
}
"""Templates by message id, in English; ``say`` fills one in, in the language of the run."""

_IDEOGRAPH = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FIELD = re.compile("\\{(\\w+)\\}")
_IDEOGRAPHS = re.compile(f"[{_IDEOGRAPH}]")
_LATIN = re.compile("[A-Za-z0-9_.'()]")
_LATIN_BESIDE_CHINESE = re.compile(f"(?<=[A-Za-z0-9_.')])(?=[{_IDEOGRAPH}])|(?<=[{_IDEOGRAPH}])(?=[A-Za-z0-9_'(])")


def say(message: str, **fields: Any) -> str:
    """The message ``message`` with its fields filled in, in the language of the run. Where Chinese text
    meets a field that begins or ends in a letter or digit (a code, a key), a space parts them, as
    ``關鍵績效指標 BP2.1 有不認得的鍵`` is written."""
    template = _(MESSAGES[message])

    def spaced(match: re.Match[str]) -> str:
        text = str(fields.get(match.group(1), ""))
        before, after = template[match.start() - 1 : match.start()], template[match.end() : match.end() + 1]
        lead = " " if _IDEOGRAPHS.fullmatch(before) and _LATIN.fullmatch(text[:1]) else ""
        trail = " " if _IDEOGRAPHS.fullmatch(after) and _LATIN.fullmatch(text[-1:]) else ""
        return lead + match.group() + trail

    return _FIELD.sub(spaced, template).format(**fields)


def _spaced(text: str) -> str:
    """``text`` with a space where Chinese meets a letter or digit: ``關鍵績效指標 BP2.1 的 target``."""
    return _LATIN_BESIDE_CHINESE.sub(" ", text)


@dataclass(frozen=True)
class Kind:
    """What an item is called, in the words of the strategy map (English, translated where shown)."""

    name: str
    """The name, "objective" (策略目標)."""
    a: str
    """The name with its article: "an objective" (策略目標)."""
    the: str
    """The name with the definite article, for an item without code: "the objective" (策略目標)."""
    level: CodeLevel | None = None
    list_key: str = ""
    """The key under which items of this kind are listed."""
    parent: str = ""
    """The kind of item that lists this kind (a key of ``KINDS``)."""


KINDS: dict[str, Kind] = {
    "theme": Kind(N_("theme"), N_("a theme"), N_("the theme"), CodeLevel.THEME),
    "objective": Kind(
        N_("objective"), N_("an objective"), N_("the objective"), CodeLevel.OBJECTIVE, "objectives", "theme"
    ),
    "kpi": Kind(N_("KPI"), N_("a KPI"), N_("the KPI"), CodeLevel.KPI, "kpis", "objective"),
    "action_plan": Kind(
        N_("action plan"), N_("an action plan"), N_("the action plan"), CodeLevel.ACTION_PLAN, "action_plans", "kpi"
    ),
    "milestone": Kind(N_("milestone"), N_("a milestone"), N_("the milestone")),
    "city_map": Kind(N_("the city map"), N_("the city map"), N_("the city map")),
    "city_theme": Kind(
        N_("city theme"), N_("a city theme"), N_("the city theme"), CodeLevel.THEME, "themes", "city_map"
    ),
    "city_objective": Kind(
        N_("city objective"),
        N_("a city objective"),
        N_("the city objective"),
        CodeLevel.OBJECTIVE,
        "objectives",
        "city_theme",
    ),
    "city_kpi": Kind(N_("city KPI"), N_("a city KPI"), N_("the city KPI"), CodeLevel.KPI, "kpis", "city_objective"),
    "department": Kind(N_("the department file"), N_("the department file"), N_("the department file")),
    "plan": Kind(N_("the plan file"), N_("the plan file"), N_("the plan file")),
    "measures": Kind(N_("the measures file"), N_("the measures file"), N_("the measures file")),
}

_KIND_OF_MODEL: dict[type[BaseModel], str] = {
    ThemeFile: "theme",
    Objective: "objective",
    Kpi: "kpi",
    ActionPlan: "action_plan",
    Milestone: "milestone",
    CityMapFile: "city_map",
    CityTheme: "city_theme",
    CityObjective: "city_objective",
    CityKpi: "city_kpi",
    DepartmentFile: "department",
    PlanFile: "plan",
    MeasuresFile: "measures",
}

_LEVEL_WORDS = {"theme": N_("theme"), "objective": N_("objective"), "KPI": N_("KPI"), "action plan": N_("action plan")}
"""A code's level as our validators name it (``CodeLevel``'s values), in words to translate."""
_LISTED_WORDS = {"tag": N_("tag"), "stage": N_("stage"), "step": N_("step")}

ALIASES: dict[str, tuple[str, dict[str, str]]] = {
    "basis": (N_("basis"), {"統計數據": "statistics", "完成工作項目": "milestones"}),
}
"""Chinese words staff write for a value the models do not accept, by key: refused, with the code to write
instead. (Those they accept, 內部流程 for P and the like, are the ``Words`` of the models' fields.)"""

_GOT: dict[type, str] = {
    str: N_("plain text"),
    list: N_("a list"),
    dict: N_("keys with values"),
}

# ---- findings ------------------------------------------------------------------------------------------


def findings_from_validation(
    error: ValidationError, model: type[BaseModel], positions: PositionIndex, display: Path, data: Any
) -> list[Finding]:
    """One finding per Pydantic error, placed where the offending value was written, except that a block
    at the wrong level is one finding; past the cap of findings per rule, errors are only counted
    (working out a hint for 700,000 unknown keys takes minutes)."""
    source = _Source(model, positions, display, data)
    cap = FindingCap()
    findings: list[Finding] = []
    for detail in error.errors(include_url=False, include_context=True, include_input=True):
        loc: Path_ = tuple(detail["loc"])
        block = source.misplaced_block(loc)
        if block is not None:
            if block not in source.reported and cap.admits(display, "S005"):
                source.reported.add(block)
                findings.append(cap.keep(source.misplaced(block)))
            continue
        if cap.admits(display, _RULE_BY_ERROR_TYPE.get(detail["type"], "S004")):
            findings.append(cap.keep(source.finding(detail)))
    return findings + cap.summaries()


class _Source:
    """A file that failed validation: its model, data and positions."""

    def __init__(self, model: type[BaseModel], positions: PositionIndex, display: Path, data: Any) -> None:
        self.model, self.positions, self.display, self.data = model, positions, display, data
        self.reported: set[Path_] = set()
        self._misplaced: dict[Path_, tuple[str, str] | None] = {}

    def at(self, loc: Path_) -> Any:
        """The data at ``loc``, or None."""
        node = self.data
        for part in loc:
            if isinstance(node, dict):
                node = node.get(part if isinstance(part, str) else str(part))
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                return None
        return node

    def location(self, line_column: tuple[int, int]) -> Location:
        return Location(self.display, *line_column)

    # ---- blocks at the wrong level

    def misplaced_block(self, loc: Path_) -> Path_ | None:
        """The outermost block enclosing ``loc`` that is written at the wrong level, if any."""
        for end in range(1, len(loc) + 1):
            block = loc[:end]
            if isinstance(block[-1], int) and self._misplacement(block) is not None:
                return block
        return None

    def _misplacement(self, block: Path_) -> tuple[str, str] | None:
        """(kind written as, kind it looks like) of the item at ``block``, when that is another level."""
        if block not in self._misplaced:
            self._misplaced[block] = _looks_like(_kind_at(self.model, block), self.at(block))
        return self._misplaced[block]

    def misplaced(self, block: Path_) -> Finding:
        written, actual = self._misplacement(block) or ("", "")
        kind, looks = KINDS[written], KINDS[actual]
        parent = KINDS[looks.parent]
        deeper = _DEPTH.index(looks.level) > _DEPTH.index(kind.level)
        message = say(
            "misplaced_deeper" if deeper else "misplaced_higher", kind=_(kind.a), actual=_(looks.a),
            parent=_(parent.a), list_key=looks.list_key,
        )  # fmt: skip
        item = self.at(block)
        code = item.get("code")
        hint = ""
        up = parent_code(code) if isinstance(code, str) else None
        if isinstance(code, str) and up is not None and level_of(code) == looks.level:
            hint = say(
                "misplaced_parent", code=code, parent=_(parent.name), parent_code=up,
                list_key=looks.list_key,
            )  # fmt: skip
        where = (*block, "code") if "code" in item else block
        return Finding(_rule_of_misplaced(item, looks), self.location(self.positions.of_value(where)), message, hint)

    # ---- one error

    def finding(self, detail: ErrorDetails) -> Finding:
        loc: Path_ = tuple(detail["loc"])
        kind = detail["type"]
        rule = _RULE_BY_ERROR_TYPE.get(kind, "S004")
        if kind == "extra_forbidden":
            message, hint = self.unknown_key(loc)
            return Finding(rule, self.location(self.positions.of_key(loc)), message, hint)
        if kind == "missing":
            message = say("missing", place=self.place(loc[:-1]), key=loc[-1])
            return Finding(rule, self.location(self.positions.of_value(loc[:-1])), message, say("add_key", key=loc[-1]))
        if kind == "perspective_mismatch":
            ctx = dict(detail.get("ctx", {}))
            written = self.at((*loc, "perspective"))
            if isinstance(written, str) and written:  # as written: 顧客, not the letter it was read as
                ctx["stated"] = written
            message = say("perspective_mismatch", **ctx)
            where = self.positions.of_value((*loc, "perspective"))
            return Finding(rule, self.location(where), message, say("perspective_hint"))
        where_loc, message, hint = self.value_message(detail, loc)
        return Finding(rule, self.location(self.positions.of_value(where_loc)), message, hint)

    def unknown_key(self, loc: Path_) -> tuple[str, str]:
        key = str(loc[-1])
        message = say("unknown_key", place=self.place(loc[:-1]), key=key)
        here = _model_at(self.model, loc[:-1])
        allowed = list(here.model_fields) if here is not None else []
        owner = _owner_of_key(self.model, key, here)
        if owner is not None and here is not None and here in _KIND_OF_MODEL:
            mine = KINDS[_KIND_OF_MODEL[here]]
            owned = KINDS[owner]
            return message, say("key_of_other_level", key=key, owner=_(owned.a), kind=_(mine.a))
        close = difflib.get_close_matches(key, allowed, n=1)
        if close:
            return message, say("did_you_mean", close=close[0])
        return message, (say("allowed_keys", keys=", ".join(allowed)) if allowed else "")

    def value_message(self, detail: ErrorDetails, loc: Path_) -> tuple[Path_, str, str]:
        """Where to point, the message and the hint for an error about a value."""
        kind = detail["type"]
        ctx: dict[str, Any] = dict(detail.get("ctx", {}))
        value: Any = detail.get("input")
        words: dict[str, Any] = {"place": self.place(loc), "value": value, "msg": detail["msg"]}
        hint = ""
        if kind in _CUSTOM:
            return _CUSTOM[kind](self, loc, ctx, words)
        if value is None and kind != "list_type":
            return loc, say("empty_value", **words), hint
        if kind in ("string_type", "string_too_short"):
            key = "blank_text" if kind == "string_too_short" else "not_text"
            return loc, say(key, got=_got(value), **words), hint
        if kind in ("dict_type", "model_type", "model_attributes_type"):
            return loc, *self.not_mapping(loc, value, words)
        if kind == "list_type":
            if value is None:
                return loc, say("empty_list", **words), ""
            return loc, say("not_list", got=_got(value), **words), hint
        if kind in ("literal_error", "enum"):
            return loc, *_not_one_of(self.model, loc, value, ctx, words)
        if kind in ("decimal_parsing", "decimal_type", "float_parsing", "float_type"):
            return loc, _not_a_number(value, words), hint
        if kind in ("int_parsing", "int_type", "int_from_float"):
            return loc, say("not_whole_number", **words), hint
        if kind == "finite_number":
            return loc, say("not_finite", **words), hint
        if kind in ("decimal_max_digits", "decimal_max_places", "decimal_whole_digits"):
            return loc, say("too_many_digits", **words), hint
        if kind in _LIMITS:
            message, field = _LIMITS[kind]
            return loc, say(message, limit=ctx.get(field, ""), **words), hint
        if kind == "string_pattern_mismatch":
            return loc, say("bad_form", **words), hint
        return loc, say("not_allowed", **words), hint

    def not_mapping(self, loc: Path_, value: Any, words: dict[str, Any]) -> tuple[str, str]:
        """The message and hint for plain text or a list where an item (a mapping) belongs."""
        model = _model_at(self.model, loc)
        if isinstance(value, str) and model is not None:
            required = [name for name, field in model.model_fields.items() if field.is_required()]
            form = "{" + ", ".join(f"{name}: …" for name in required or list(model.model_fields)[:2]) + "}"
            hint = ""
            parent = self.at(loc[:-2]) if len(loc) >= 2 and isinstance(loc[-1], int) else None  # noqa: PLR2004
            if "code" in required and isinstance(parent, dict) and isinstance(parent.get("code"), str):
                hint = f"- {{code: {parent['code']}.{int(loc[-1]) + 1}, name: {value}}}"
            return say("not_item", form=form, **words), hint
        return say("not_mapping", got=_got(value), **words), ""

    # ---- naming the item

    def place(self, loc: Path_) -> str:
        """The item at ``loc`` named by its nearest enclosing code and kind, e.g. ``the 3rd action plan of
        KPI BP2.1`` (``關鍵績效指標 BP2.1 的第 3 個行動計畫``)."""
        model: type[BaseModel] | None = self.model
        root = KINDS[_KIND_OF_MODEL.get(self.model, "plan")]
        base = _named(root, self.data)
        pieces: list[str] = []
        node: Any = self.data
        index = 0
        while index < len(loc):
            part = loc[index]
            field = _field_model(model, part)
            node = _child(node, part)
            if isinstance(part, str) and index + 1 < len(loc) and isinstance(loc[index + 1], int):
                position = int(loc[index + 1])
                node = _child(node, position)
                element = _kind_of(field)
                if element is not None and element.level is not None and _code(node):
                    base, pieces = _named(element, node), []
                else:
                    number, ordinal = position + 1, _ordinal(position + 1)
                    if element is not None:
                        piece = _("the {ordinal} {kind}").format(ordinal=ordinal, number=number, kind=_(element.name))
                    else:
                        piece = _("the {ordinal} entry of {key}").format(ordinal=ordinal, number=number, key=part)
                    pieces.append(piece)
                index += 2
            else:
                pieces.append(str(part))
                index += 1
            model = field
        named = base
        for piece in pieces:
            named = _("{part} of {whole}").format(part=piece, whole=named)
        return _spaced(named)


# ---- our validators' own errors ------------------------------------------------------------------------

_Custom = typing.Callable[[_Source, Path_, dict[str, Any], dict[str, Any]], tuple[Path_, str, str]]


def _invalid_code(source: _Source, loc: Path_, ctx: dict[str, Any], words: dict[str, Any]) -> tuple[Path_, str, str]:
    level = str(ctx.get("level", ""))
    form = str(ctx.get("form", ""))
    fields = {**words, **ctx, "level": _(_LEVEL_WORDS.get(level, level)), "form": _(form) if form else ""}
    for key, message in (
        ("character", "hidden_in_code"),
        ("stripped", "spaces_in_code"),
        ("folded", "full_width_code"),
    ):
        if key in ctx:
            return loc, say(message, **fields), ""
    return loc, say("bad_code" if "form" in ctx else "bad_department_id", **fields), ""


def _foreign(source: _Source, loc: Path_, ctx: dict[str, Any], words: dict[str, Any]) -> tuple[Path_, str, str]:
    value = str(ctx.get("value", ""))
    code = value.split(":", 1)[-1].strip()
    return loc, say("foreign_code", **{**words, **ctx}), say("same_map_only", code=code)


def _duplicate(source: _Source, loc: Path_, ctx: dict[str, Any], words: dict[str, Any]) -> tuple[Path_, str, str]:
    what = str(ctx.get("what", ""))
    return loc, say("listed_twice", **{**words, **ctx, "what": _(_LISTED_WORDS.get(what, what))}), ""


def _basis(source: _Source, loc: Path_, ctx: dict[str, Any], words: dict[str, Any]) -> tuple[Path_, str, str]:
    if "target" not in ctx:
        message = next((key for key, text in _BASIS_TEXT.items() if text in words["msg"]), "not_allowed")
        return loc, say(message, **words), ""
    year = str(ctx.get("year", "")).removeprefix(" of ")
    where = (*loc, "targets", year) if year else (*loc, "target")
    target = str(ctx["target"])
    why = str(ctx.get("why", ""))
    fields = {**words, **ctx, "year": year, "why": _(why) if why else ""}
    if "stages" in ctx:
        return where, say("target_of_year_not_stage" if year else "target_not_stage", **fields), ""
    if target.endswith("%") and _is_number(target[:-1]):
        return where, say("percent_number", place=source.place(where), number=target[:-1].strip()), ""
    return where, say("target_of_year_not_number" if year else "target_not_number", **fields), ""


_BASIS_TEXT = {
    "milestones_but_statistics": "milestones are given",
    "milestones_needed": "needs its milestones",
    "percents_rise": "must rise",
}


def _period(source: _Source, loc: Path_, ctx: dict[str, Any], words: dict[str, Any]) -> tuple[Path_, str, str]:
    return loc, say("bad_period", **{**words, **ctx}), ""


_CUSTOM: dict[str, _Custom] = {
    "invalid_code": _invalid_code,
    "full_width_code": _invalid_code,
    "foreign_code": _foreign,
    "duplicate_value": _duplicate,
    "basis": _basis,
    "period": _period,
}

_LIMITS = {
    "greater_than_equal": ("at_least", "ge"),
    "greater_than": ("more_than", "gt"),
    "less_than_equal": ("at_most", "le"),
    "less_than": ("less_than", "lt"),
    "too_short": ("too_few", "min_length"),
    "too_long": ("too_many", "max_length"),
}


def _not_one_of(
    model: type[BaseModel], loc: Path_, value: Any, ctx: dict[str, Any], words: dict[str, Any]
) -> tuple[str, str]:
    """The message and hint for a value outside its list: the Chinese words a field accepts are listed too,
    a Chinese word it does not accept gets the code to write."""
    key = next((part for part in reversed(loc) if isinstance(part, str)), "")
    choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
    if key in ALIASES and isinstance(value, str) and value.strip() in ALIASES[key][1]:
        field, codes = ALIASES[key]
        code = codes[value.strip()]
        return say("write_the_code", field=_(field), value=value.strip(), code=code), ""
    accepted = _words_of_field(model, loc)
    if accepted:
        close = difflib.get_close_matches(str(value).strip(), choices + accepted, n=1) if value is not None else []
        hint = say("did_you_mean", close=close[0]) if close else ""
        return say("not_one_of_words", choices=", ".join(choices), words=", ".join(accepted), **words), hint
    hint = ""
    if loc == ("kind",):
        from stratmap.model import FILE_KINDS

        hint = say("kind_choices", kinds=", ".join(FILE_KINDS))
    return say("not_one_of", choices=", ".join(choices), **words), hint


def _words_of_field(model: type[BaseModel], loc: Path_) -> list[str]:
    """The Chinese words the field at ``loc`` accepts for its values (顧客, 內部流程, ...), if any."""
    here = _model_at(model, loc[:-1])
    field = here.model_fields.get(str(loc[-1])) if here is not None and loc else None
    found = words_of(field.annotation, field.metadata) if field is not None else None
    return list(found.table) if found is not None else []


def _not_a_number(value: Any, words: dict[str, Any]) -> str:
    text = str(value).strip()
    if text.endswith("%") and _is_number(text[:-1]):
        return say("percent_number", number=text[:-1].strip(), **words)
    return say("not_number", **words)


def _got(value: Any) -> str:
    """What was written instead, in words: ("一段文字", "plain text")."""
    return _(_GOT.get(type(value), N_("something else")))


def _is_number(text: str) -> bool:
    return re.fullmatch(r"\s*[-+]?[0-9]+(\.[0-9]+)?\s*", text) is not None


# ---- blocks at the wrong level -------------------------------------------------------------------------


def _looks_like(written: str | None, item: Any) -> tuple[str, str] | None:
    """(kind written as, kind it looks like) when ``item``'s code and keys belong to another level."""
    if written is None or not isinstance(item, dict) or KINDS[written].level is None:
        return None
    code = item.get("code")
    code_level = level_of(code) if isinstance(code, str) else None
    keys = set(map(str, item))
    mine = _MODEL_OF_KIND[written]
    if code_level == KINDS[written].level:
        return None
    fits_mine = keys <= set(mine.model_fields) and _required(mine) <= keys
    for other in _family(written):
        fields = set(_MODEL_OF_KIND[other].model_fields)
        if not keys <= fields:
            continue
        if code_level == KINDS[other].level or (not fits_mine and keys - set(mine.model_fields)):
            return written, other
    return None


def _rule_of_misplaced(item: dict[str, Any], looks: Kind) -> str:
    code = item.get("code")
    return "S005" if isinstance(code, str) and level_of(code) == looks.level else "S004"


_DEPTH = [None, CodeLevel.THEME, CodeLevel.OBJECTIVE, CodeLevel.KPI, CodeLevel.ACTION_PLAN]
_MODEL_OF_KIND = {kind: model for model, kind in _KIND_OF_MODEL.items()}
_FAMILIES = (("objective", "kpi", "action_plan"), ("city_theme", "city_objective", "city_kpi"))


def _family(kind: str) -> list[str]:
    """The other coded kinds of the same map (department or city) as ``kind``."""
    return [other for family in _FAMILIES if kind in family for other in family if other != kind]


def _required(model: type[BaseModel]) -> set[str]:
    return {name for name, field in model.model_fields.items() if field.is_required()}


def _owner_of_key(root: type[BaseModel], key: str, here: type[BaseModel] | None) -> str | None:
    """The kind of item of the file's map that has ``key``, when the item at hand has not."""
    for model in _models_under(root):
        if model is not here and model in _KIND_OF_MODEL and key in model.model_fields:
            return _KIND_OF_MODEL[model]
    return None


@cache
def _models_under(root: type[BaseModel]) -> tuple[type[BaseModel], ...]:
    """Every model reachable from ``root`` through its fields, ``root`` first."""
    found: list[type[BaseModel]] = [root]
    for model in found:
        for field in model.model_fields.values():
            inner = _model_in(field.annotation)
            if inner is not None and inner not in found:
                found.append(inner)
    return tuple(found)


# ---- walking data and models ---------------------------------------------------------------------------


def _kind_of(model: type[BaseModel] | None) -> Kind | None:
    kind = _KIND_OF_MODEL.get(model) if model is not None else None
    return KINDS[kind] if kind is not None else None


def _kind_at(root: type[BaseModel], loc: Path_) -> str | None:
    model = _model_at(root, loc)
    return _KIND_OF_MODEL.get(model) if model is not None else None


def _model_at(root: type[BaseModel], loc: Path_) -> type[BaseModel] | None:
    """The model of the mapping at ``loc``, following the fields from ``root``."""
    current: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int):
            continue
        current = _field_model(current, part)
        if current is None:
            return None
    return current


def _field_model(model: type[BaseModel] | None, part: str | int) -> type[BaseModel] | None:
    if model is None or isinstance(part, int) or part not in model.model_fields:
        return None if isinstance(part, str) else model
    found = _model_in(model.model_fields[part].annotation)
    return found if isinstance(found, type) and issubclass(found, BaseModel) else None


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


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(str(part))
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def _code(node: Any) -> str | None:
    code = node.get("code") if isinstance(node, dict) else None
    return code if isinstance(code, str) and code.strip() else None


def _named(kind: Kind, node: Any) -> str:
    """``theme B`` (``策略主題 B``), or the kind alone when the item has no code."""
    code = _code(node) if kind.level is not None else None
    if code is None:
        return _(kind.the)
    return _("{kind} {code}").format(kind=_(kind.name), code=code)


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")  # noqa: PLR2004
    return f"{number}{suffix}"
