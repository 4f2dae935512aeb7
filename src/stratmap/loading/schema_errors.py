"""Turn Pydantic validation errors into findings a civil servant can act on.

Each finding stands at the line and column where the value was written, names the item by its kind and
code (``關鍵績效指標 BP2.2``) or 1-based place, and speaks Traditional Chinese first, English after; no
Python or Pydantic name is shown. Every wording is a template of ``MESSAGES``, so it can go into a
gettext catalog. A block written at the wrong level is one finding, not one per key it holds.
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

from stratmap.loading.positions import Path_, PositionIndex
from stratmap.model.city import CityKpi, CityMapFile, CityObjective, CityTheme
from stratmap.model.codes import PERSPECTIVE_LABELS, CodeLevel, level_of, parent_code
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
    "perspective_mismatch": "S006",
}

# ---- wording: every message and hint, Chinese first and English after --------------------------------

MESSAGES: dict[str, tuple[str, str]] = {
    "unknown_key": ("{place}有不認得的鍵 '{key}'", "{place_en}: unknown key '{key}'"),
    "did_you_mean": ("是不是要寫 '{close}'？", "did you mean '{close}'?"),
    "allowed_keys": ("這裡可以寫的鍵：{keys}", "allowed keys: {keys}"),
    "key_of_other_level": ("'{key}' 是{owner}的鍵，不屬於{kind}", "{key} belongs to {owner_en}, not to {kind_en}"),
    "missing": ("{place}少了必填的鍵 '{key}'", "{place_en}: missing required key '{key}'"),
    "add_key": ("在這裡加上 '{key}:'", "add '{key}:' here"),
    "empty_value": ("{place}沒有寫值", "{place_en} has no value"),
    "empty_list": (
        "{place}是空的：在底下列出項目（- …），或刪掉這一行",
        "{place_en} is empty: list its items (- …) under it, or delete the line",
    ),
    "not_text": ("{place}要寫一段文字，不是{got}", "{place_en} must be text, not {got_en}"),
    "blank_text": ("{place}不能是空白", "{place_en} must not be blank"),
    "not_item": ("{place}要寫成 {form}，不是一段文字", "{place_en} is written as {form}, not plain text"),
    "not_mapping": ("{place}要寫成「鍵: 值」，不是{got}", "{place_en} must be keys with values, not {got_en}"),
    "not_list": (
        "{place}要寫成清單（每項一行 - …），不是{got}",
        "{place_en} must be a list (one '- …' per item), not {got_en}",
    ),
    "not_one_of": ("{place}只能寫 {choices}，不能寫 '{value}'", "{place_en} must be one of {choices}, not '{value}'"),
    "write_the_code": (
        "{field}要寫代號：{value} 寫成 {code}",
        "{field_en} is written as a code: write {code} for {value}",
    ),
    "not_number": ("{place}要寫數字，'{value}' 不是數字", "{place_en} must be a number, not '{value}'"),
    "percent_number": (
        "{place}寫數字 {number}，把 % 寫在 unit: 裡",
        "{place_en}: write the number {number} and put % in unit:",
    ),
    "not_whole_number": ("{place}要寫整數，'{value}' 不是整數", "{place_en} must be a whole number, not '{value}'"),
    "not_finite": ("{place}要寫有限的數字，不能寫 '{value}'", "{place_en} must be a finite number, not '{value}'"),
    "too_many_digits": (
        "{place}的數字太長：小數點前最多 24 位、小數點後最多 12 位",
        "{place_en}: numbers have at most 24 digits before the point and 12 after",
    ),
    "at_least": ("{place}要大於或等於 {limit}", "{place_en} must be at least {limit}"),
    "more_than": ("{place}要大於 {limit}", "{place_en} must be more than {limit}"),
    "at_most": ("{place}要小於或等於 {limit}", "{place_en} must be at most {limit}"),
    "less_than": ("{place}要小於 {limit}", "{place_en} must be less than {limit}"),
    "too_few": ("{place}至少要列 {limit} 項", "{place_en} must list at least {limit}"),
    "too_many": ("{place}最多只能列 {limit} 項", "{place_en} must list at most {limit}"),
    "bad_form": ("{place}的 '{value}' 寫法不對", "{place_en}: '{value}' is not written the way this entry expects"),
    "not_allowed": ("{place}的值不合規定", "{place_en}: this value is not allowed here"),
    "misplaced": (
        "這看起來是寫成{kind}的{actual}：請把它{move}到某個{parent}的 {list_key}: 底下",
        "this looks like {actual_a} written as {kind_a}: {move_en} it under {parent_a}'s {list_key}:",
    ),
    "misplaced_parent": (
        "代號 {code} 屬於{parent} {parent_code}：把它放到 {parent_code} 的 {list_key}: 底下",
        "code {code} belongs to {parent_en} {parent_code}: put it under {parent_code}'s {list_key}:",
    ),
    "bad_code": ("'{value}' 不是{level}代號的寫法：應為{form}，例如 '{example}'", "{msg}"),
    "hidden_in_code": ("{level}代號 '{value}' 含有看不見的字元 {character}：請重新輸入代號", "{msg}"),
    "spaces_in_code": ("{level}代號 '{value}' 前後有空白：寫成 '{stripped}'", "{msg}"),
    "full_width_code": ("{level}代號 '{value}' 用了全形字：寫成 '{folded}'", "{msg}"),
    "bad_department_id": ("'{value}' 不是機關代號的寫法：用小寫英文字母、數字與 -，以字母開頭", "{msg}"),
    "perspective_mismatch": ("策略目標 {code} 寫構面 {stated}，但代號的構面字母是 '{letter}'", "{msg}"),
    "perspective_hint": (
        "讓構面與代號的第二個字母一致（C、P、L 或 F）",
        "make the perspective agree with the code's second letter (C, P, L or F)",
    ),
    "listed_twice": ("{what} {value} 重複列了兩次", "{msg}"),
    "milestones_but_statistics": (
        "{place}有寫 milestones，但 basis 是 statistics：請寫 basis: milestones",
        "{place_en}: {msg}",
    ),
    "milestones_needed": (
        "{place}寫 basis: milestones，就要列出 milestones：每個階段寫 stage 與 percent",
        "{place_en}: {msg}",
    ),
    "percents_rise": ("{place}的里程碑 percent 要一階比一階高", "{place_en}: {msg}"),
    "target_not_number": ("{place}的目標值{year} '{target}' 不是數字", "{place_en}: {msg}"),
    "target_not_stage": ("{place}的目標值{year} '{target}' 不是任何一個階段：{stages}", "{place_en}: {msg}"),
    "bad_period": ("'{period}' 不是期別：寫年 (110)、半年 (110H1)、季 (110Q1) 或月 (110M01)", "{msg}"),
    "kind_choices": ("kind 只能是：{kinds}", "kind is one of: {kinds}"),
}
"""Templates by message id: (Traditional Chinese, English). ``{place}`` names the item in Chinese and
``{place_en}`` in English; the English of our own validators' messages is their ``{msg}``."""


def say(message: str, **fields: Any) -> str:
    """The message ``message`` with its fields filled in: Chinese, then English in brackets."""
    chinese, english = MESSAGES[message]
    return f"{chinese.format(**fields)} ({english.format(**fields)})"


@dataclass(frozen=True)
class Kind:
    """What an item is called, in the words of the strategy map."""

    zh: str
    en: str
    a: str
    """The English with its article: "an objective"."""
    level: CodeLevel | None = None
    list_key: str = ""
    """The key under which items of this kind are listed."""
    parent: str = ""
    """The kind of item that lists this kind (a key of ``KINDS``)."""


KINDS: dict[str, Kind] = {
    "theme": Kind("策略主題", "theme", "a theme", CodeLevel.THEME),
    "objective": Kind("策略目標", "objective", "an objective", CodeLevel.OBJECTIVE, "objectives", "theme"),
    "kpi": Kind("關鍵績效指標", "KPI", "a KPI", CodeLevel.KPI, "kpis", "objective"),
    "action_plan": Kind("行動計畫", "action plan", "an action plan", CodeLevel.ACTION_PLAN, "action_plans", "kpi"),
    "milestone": Kind("里程碑", "milestone", "a milestone"),
    "city_map": Kind("市府策略地圖", "the city map", "the city map"),
    "city_theme": Kind("府級策略主題", "city theme", "a city theme", CodeLevel.THEME, "themes", "city_map"),
    "city_objective": Kind(
        "府級策略目標", "city objective", "a city objective", CodeLevel.OBJECTIVE, "objectives", "city_theme"
    ),
    "city_kpi": Kind("府級關鍵績效指標", "city KPI", "a city KPI", CodeLevel.KPI, "kpis", "city_objective"),
    "department": Kind("機關資料檔", "the department file", "the department file"),
    "plan": Kind("年度計畫檔", "the plan file", "the plan file"),
    "measures": Kind("實績檔", "the measures file", "the measures file"),
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

_LEVEL_WORDS = {"theme": "策略主題", "objective": "策略目標", "KPI": "關鍵績效指標", "action plan": "行動計畫"}
_LEVEL_FORMS_ZH = {
    "theme": "一個大寫字母",
    "objective": "主題字母 + 構面字母 (C、P、L 或 F) + 數字",
    "KPI": "策略目標代號 + '.n'",
    "action plan": "關鍵績效指標代號 + '.n'",
}
_LISTED_WORDS = {"tag": "標籤", "stage": "階段", "step": "步驟"}

ALIASES: dict[str, tuple[str, dict[str, str]]] = {
    "perspective": ("構面", {label: letter.value for letter, label in PERSPECTIVE_LABELS.items()}),
    "direction": ("方向", {"越高越好": "higher", "越低越好": "lower"}),
    "frequency": ("頻率", {"每月": "monthly", "每季": "quarterly", "每半年": "half-yearly", "每年": "yearly"}),
    "basis": ("評估體制", {"統計數據": "statistics", "完成工作項目": "milestones"}),
}
"""Chinese words staff write for a value, by key: refused, with the code to write instead."""

_GOT: dict[type, tuple[str, str]] = {
    str: ("一段文字", "plain text"),
    list: ("清單", "a list"),
    dict: ("「鍵: 值」", "keys with values"),
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
            "misplaced", kind=kind.zh, actual=looks.zh, kind_a=kind.a, actual_a=looks.a, parent=parent.zh,
            parent_a=parent.a, list_key=looks.list_key, move="縮排" if deeper else "移",
            move_en="indent" if deeper else "move",
        )  # fmt: skip
        item = self.at(block)
        code = item.get("code")
        hint = ""
        up = parent_code(code) if isinstance(code, str) else None
        if isinstance(code, str) and up is not None and level_of(code) == looks.level:
            hint = say(
                "misplaced_parent", code=code, parent=parent.zh, parent_en=parent.en, parent_code=up,
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
            place, place_en = self.place(loc[:-1])
            message = say("missing", place=place, place_en=place_en, key=loc[-1])
            return Finding(rule, self.location(self.positions.of_value(loc[:-1])), message, say("add_key", key=loc[-1]))
        if kind == "perspective_mismatch":
            message = say("perspective_mismatch", msg=detail["msg"], **detail.get("ctx", {}))
            where = self.positions.of_value((*loc, "perspective"))
            return Finding(rule, self.location(where), message, say("perspective_hint"))
        where_loc, message, hint = self.value_message(detail, loc)
        return Finding(rule, self.location(self.positions.of_value(where_loc)), message, hint)

    def unknown_key(self, loc: Path_) -> tuple[str, str]:
        key = str(loc[-1])
        place, place_en = self.place(loc[:-1])
        message = say("unknown_key", place=place, place_en=place_en, key=key)
        here = _model_at(self.model, loc[:-1])
        allowed = list(here.model_fields) if here is not None else []
        owner = _owner_of_key(self.model, key, here)
        if owner is not None and here is not None and here in _KIND_OF_MODEL:
            mine = KINDS[_KIND_OF_MODEL[here]]
            owned = KINDS[owner]
            return message, say(
                "key_of_other_level", key=key, owner=owned.zh, owner_en=owned.a, kind=mine.zh, kind_en=mine.a
            )
        close = difflib.get_close_matches(key, allowed, n=1)
        if close:
            return message, say("did_you_mean", close=close[0])
        return message, (say("allowed_keys", keys=", ".join(allowed)) if allowed else "")

    def value_message(self, detail: ErrorDetails, loc: Path_) -> tuple[Path_, str, str]:
        """Where to point, the message and the hint for an error about a value."""
        kind = detail["type"]
        ctx: dict[str, Any] = dict(detail.get("ctx", {}))
        value: Any = detail.get("input")
        place, place_en = self.place(loc)
        words: dict[str, Any] = {"place": place, "place_en": place_en, "value": value, "msg": detail["msg"]}
        hint = ""
        if kind in _CUSTOM:
            return _CUSTOM[kind](self, loc, ctx, words)
        if value is None and kind != "list_type":
            return loc, say("empty_value", **words), hint
        if kind in ("string_type", "string_too_short"):
            got, got_en = _got(value)
            key = "blank_text" if kind == "string_too_short" else "not_text"
            return loc, say(key, got=got, got_en=got_en, **words), hint
        if kind in ("dict_type", "model_type", "model_attributes_type"):
            return loc, *self.not_mapping(loc, value, words)
        if kind == "list_type":
            if value is None:
                return loc, say("empty_list", **words), ""
            got, got_en = _got(value)
            return loc, say("not_list", got=got, got_en=got_en, **words), hint
        if kind in ("literal_error", "enum"):
            return loc, *_not_one_of(loc, value, ctx, words)
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
        got, got_en = _got(value)
        return say("not_mapping", got=got, got_en=got_en, **words), ""

    # ---- naming the item

    def place(self, loc: Path_) -> tuple[str, str]:
        """The item at ``loc`` named by its nearest enclosing code and kind, e.g. (``關鍵績效指標 BP2.1
        的第 3 個行動計畫``, ``the 3rd action plan of KPI BP2.1``)."""
        model: type[BaseModel] | None = self.model
        root = KINDS[_KIND_OF_MODEL.get(self.model, "plan")]
        base = _named(root, self.data)
        pieces: list[tuple[str, str]] = []
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
                    what, what_en = (element.zh, element.en) if element else (f"{part} 的", f"entry of {part}")
                    pieces.append((f"第 {position + 1} 個{what}", f"the {_ordinal(position + 1)} {what_en}"))
                index += 2
            else:
                pieces.append((str(part), str(part)))
                index += 1
            model = field
        chinese = base[0]
        for zh, _ in pieces:
            chinese += (" 的" if chinese[-1].isascii() else "的") + (zh if zh.startswith("第") else f" {zh}")
        chinese += " " if chinese[-1].isascii() else ""
        english = " of ".join([en for _, en in reversed(pieces)] + [base[1]])
        return chinese, english


# ---- our validators' own errors ------------------------------------------------------------------------

_Custom = typing.Callable[[_Source, Path_, dict[str, Any], dict[str, Any]], tuple[Path_, str, str]]


def _invalid_code(source: _Source, loc: Path_, ctx: dict[str, Any], words: dict[str, Any]) -> tuple[Path_, str, str]:
    level = str(ctx.get("level", ""))
    fields = {**words, **ctx, "level": _LEVEL_WORDS.get(level, level), "form": _LEVEL_FORMS_ZH.get(level, "")}
    for key, message in (
        ("character", "hidden_in_code"),
        ("stripped", "spaces_in_code"),
        ("folded", "full_width_code"),
    ):
        if key in ctx:
            return loc, say(message, **fields), ""
    return loc, say("bad_code" if "form" in ctx else "bad_department_id", **fields), ""


def _duplicate(source: _Source, loc: Path_, ctx: dict[str, Any], words: dict[str, Any]) -> tuple[Path_, str, str]:
    what = str(ctx.get("what", ""))
    return loc, say("listed_twice", **{**words, **ctx, "what": _LISTED_WORDS.get(what, what)}), ""


def _basis(source: _Source, loc: Path_, ctx: dict[str, Any], words: dict[str, Any]) -> tuple[Path_, str, str]:
    if "target" not in ctx:
        message = next((key for key, text in _BASIS_TEXT.items() if text in words["msg"]), "not_allowed")
        return loc, say(message, **words), ""
    year = str(ctx.get("year", "")).removeprefix(" of ")
    where = (*loc, "targets", year) if year else (*loc, "target")
    target = str(ctx["target"])
    fields = {**words, **ctx, "year": f"（{year} 年）" if year else ""}
    if "stages" in ctx:
        return where, say("target_not_stage", **fields), ""
    if target.endswith("%") and _is_number(target[:-1]):
        place, place_en = source.place(where)
        return where, say("percent_number", place=place, place_en=place_en, number=target[:-1].strip()), ""
    return where, say("target_not_number", **fields), ""


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


def _not_one_of(loc: Path_, value: Any, ctx: dict[str, Any], words: dict[str, Any]) -> tuple[str, str]:
    """The message and hint for a value outside its list: a Chinese word gets the code to write."""
    key = next((part for part in reversed(loc) if isinstance(part, str)), "")
    choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
    if key in ALIASES and isinstance(value, str) and value.strip() in ALIASES[key][1]:
        field, codes = ALIASES[key]
        code = codes[value.strip()]
        return say("write_the_code", field=field, field_en=key, value=value.strip(), code=code), ""
    hint = ""
    if loc == ("kind",):
        from stratmap.model import FILE_KINDS

        hint = say("kind_choices", kinds=", ".join(FILE_KINDS))
    return say("not_one_of", choices=", ".join(choices), **words), hint


def _not_a_number(value: Any, words: dict[str, Any]) -> str:
    text = str(value).strip()
    if text.endswith("%") and _is_number(text[:-1]):
        return say("percent_number", number=text[:-1].strip(), **words)
    return say("not_number", **words)


def _got(value: Any) -> tuple[str, str]:
    """What was written instead, in words: ("一段文字", "plain text")."""
    return _GOT.get(type(value), ("其他東西", "something else"))


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


def _named(kind: Kind, node: Any) -> tuple[str, str]:
    """``策略主題 B`` / ``theme B``, or the kind alone when the item has no code."""
    code = _code(node) if kind.level is not None else None
    if code is None:
        return (kind.zh, kind.en if kind.level is None else f"the {kind.en}")
    return f"{kind.zh} {code}", f"{kind.en} {code}"


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")  # noqa: PLR2004
    return f"{number}{suffix}"
