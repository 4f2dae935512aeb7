"""Settings a run is made with: the configuration file, and each rule's severity (never the rule's own)."""

from __future__ import annotations

import datetime
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from stratmap.i18n import N_, _
from stratmap.problems import Severity
from stratmap.rules.catalog import RULES

if TYPE_CHECKING:
    from stratmap.scoring.kpi import Scoring

T = TypeVar("T")

WARN_BY_DEFAULT = frozenset({"Y013", "M005", "M007", "R009", "R011", "R012"})
DEFAULT_SEVERITY: Mapping[str, Severity] = {
    code: Severity.WARNING if code.startswith("N") or code in WARN_BY_DEFAULT else Severity.ERROR for code in RULES
}
"""Completeness rules (N), invisible marks in text (Y013), a lowered target (M005), a city KPI no city
objective lists (R009), a missing actual (M007), and a cause-and-effect link against the perspective order
(R011) or in a circle (R012) warn; everything else is an error."""


@dataclass(frozen=True)
class Settings:
    """What a check runs with: rule severities, overridable per rule code."""

    severity_overrides: Mapping[str, Severity | None] = field(default_factory=dict)
    """Per rule code: a severity, or None to ignore the rule."""
    as_of: datetime.date | None = None
    """``--as-of``: the date by which every ended period should have its actual (rule M007)."""

    def severity(self, rule: str) -> Severity | None:
        """The severity a rule's findings get, or None when the rule is ignored."""
        if rule in self.severity_overrides:
            return self.severity_overrides[rule]
        return DEFAULT_SEVERITY[rule]


CONFIG_KEYS = {
    "data": N_("the data folder holding the plan years (default: data/)"),
    "year": N_("the plan year trace, coverage and render use by default"),
    "department": N_("the department id that 'stratmap init' scaffolds by default"),
    "output": N_("the output folder of render; the format is added below it (default: build/)"),
    "ignore": N_("rule codes never reported"),
    "error": N_("rule codes reported as errors, e.g. warnings a team wants to fail on"),
    "near": N_("the percent of a target at or above which a KPI that missed it is near (接近), default 90"),
    "rollup": N_("how objectives and above are scored from their parts: 'weighted' (default) or 'worst'"),
    "lang": N_("the language of the messages when no --lang is given: 'zh-TW' or 'en' (default: the locale's)"),
}
"""Every key of ``[tool.stratmap]`` in pyproject.toml, or of stratmap.toml, with its meaning (in English:
translate it where it is shown)."""


class ConfigError(Exception):
    """A configuration file that cannot be read or holds something unknown (exit status 2)."""


@dataclass(frozen=True)
class Config:
    """What the configuration file says; paths are resolved against the file's folder."""

    source: Path | None = None
    data: Path | None = None
    year: int | None = None
    department: str | None = None
    output: Path | None = None
    ignore: tuple[str, ...] = ()
    error: tuple[str, ...] = ()
    near: int | float | None = None
    rollup: str | None = None
    lang: str | None = None

    def scoring(self) -> Scoring:
        """How scores are judged: the configured near threshold and roll-up, or the defaults."""
        from decimal import Decimal

        from stratmap.scoring.kpi import Scoring

        default = Scoring()
        near = Decimal(str(self.near)) / 100 if self.near is not None else default.near
        return Scoring(near=near, rollup="worst" if self.rollup == "worst" else "weighted")

    def settings(
        self, ignore: Sequence[str] = (), error: Sequence[str] = (), as_of: datetime.date | None = None
    ) -> Settings:
        """Severities from the file, then from the command line (which wins); the date checks are made as of."""
        overrides: dict[str, Severity | None] = {}
        for codes, severity in ((self.error, Severity.ERROR), (self.ignore, None)):
            overrides.update(dict.fromkeys(codes, severity))
        for given, level in ((error, Severity.ERROR), (ignore, None)):
            overrides.update(dict.fromkeys(_rule_codes(given, _("the command line")), level))
        return Settings(overrides, as_of)


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """``stratmap.toml``, or a ``pyproject.toml`` with a ``[tool.stratmap]`` table, in ``start`` or above it,
    up to the repository root; with its settings table."""
    from stratmap.loading.discovery import up_to_repository

    for folder in up_to_repository(start):
        own = folder / "stratmap.toml"
        if own.is_file():
            return own, _read_toml(own)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            tool = _read_toml(pyproject).get("tool")
            if isinstance(tool, dict) and "stratmap" in tool:
                return pyproject, tool["stratmap"]
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            _("{path}: cannot read the configuration: {reason}").format(path=path, reason=error)
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_("{path}: not valid TOML: {reason}").format(path=path, reason=error)) from None


def load_config(start: Path) -> Config:
    """The configuration that applies in ``start``; an empty one when there is none."""
    found = find_config(start)
    if found is None:
        return Config()
    path, table = found
    where = f"{path} [tool.stratmap]" if path.name == "pyproject.toml" else str(path)
    if not isinstance(table, dict):
        raise ConfigError(_("{where}: must be a table of settings").format(where=where))
    unknown = sorted(set(table) - set(CONFIG_KEYS))
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], list(CONFIG_KEYS), n=1)
        if close:
            said = _("{where}: unknown key '{key}'; did you mean '{close}'?").format(
                where=where, key=unknown[0], close=close[0]
            )
        else:
            said = _("{where}: unknown key '{key}'; the keys are: {keys}").format(
                where=where, key=unknown[0], keys=", ".join(CONFIG_KEYS)
            )
        raise ConfigError(said)
    base = path.parent
    config = Config(
        source=path,
        data=base / _typed(table, "data", str, where) if "data" in table else None,
        year=_typed(table, "year", int, where) if "year" in table else None,
        department=_typed(table, "department", str, where) if "department" in table else None,
        output=base / _typed(table, "output", str, where) if "output" in table else None,
        near=_near(table["near"], where) if "near" in table else None,
        rollup=_rollup(table["rollup"], where) if "rollup" in table else None,
        lang=_language(table["lang"], where) if "lang" in table else None,
        ignore=_rule_codes(_typed(table, "ignore", list, where), where) if "ignore" in table else (),
        error=_rule_codes(_typed(table, "error", list, where), where) if "error" in table else (),
    )
    if config.data is not None:
        _inside_repository(config.data, base, where)
    if config.year is not None and not 1 <= config.year <= 999:
        raise ConfigError(
            _("{where}: 'year' must be a plan year from 1 to 999 (民國), not {year}").format(
                where=where, year=config.year
            )
        )
    both = sorted(set(config.ignore) & set(config.error))
    if both:
        raise ConfigError(
            _("{where}: {code} is both in 'ignore' and in 'error'; keep it in one").format(where=where, code=both[0])
        )
    return config


def _near(value: object, where: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
        raise ConfigError(
            _("{where}: 'near' must be a percent above 0 and at most 100, e.g. near = 90").format(where=where)
        )
    return value


def _rollup(value: object, where: str) -> str:
    if value not in ("weighted", "worst"):
        raise ConfigError(_('{where}: \'rollup\' must be "weighted" or "worst"').format(where=where))
    return str(value)


def _language(value: object, where: str) -> str:
    from stratmap.i18n import LANGUAGES

    if value not in LANGUAGES:
        raise ConfigError(
            _("{where}: 'lang' must be one of {languages}").format(
                where=where, languages=", ".join(repr(name) for name in LANGUAGES)
            )
        )
    return str(value)


def _inside_repository(data: Path, base: Path, where: str) -> None:
    """A configured data folder must lie in the repository holding the configuration (or below the
    configuration's folder, outside git): a committed setting may not point stratmap at other files."""
    from stratmap.loading.discovery import repository_root

    home = repository_root(base) or base.resolve()
    if not data.resolve().is_relative_to(home):
        raise ConfigError(
            _("{where}: 'data' ({data}) lies outside the repository {home}; name a folder inside it").format(
                where=where, data=data, home=home
            )
        )


def _typed(table: dict[str, Any], key: str, kind: type[T], where: str) -> T:
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        said = {
            str: _("{where}: '{key}' must be text ({meaning})"),
            int: _("{where}: '{key}' must be a whole number ({meaning})"),
            list: _("{where}: '{key}' must be a list ({meaning})"),
        }[kind]
        raise ConfigError(said.format(where=where, key=key, meaning=_(CONFIG_KEYS[key])))
    return value


def _rule_codes(given: Sequence[object], where: str) -> tuple[str, ...]:
    """The rule codes named: a code (``N001``), a name (``numbering-gap``) or a prefix of codes (``N``,
    ``R00``), as ruff and yamllint accept them."""
    codes: list[str] = []
    for item in given:
        text = item.strip() if isinstance(item, str) else ""
        matched = [c for c, rule in RULES.items() if text and (c.startswith(text.upper()) or rule.name == text)]
        if not matched:
            raise ConfigError(
                _("{where}: '{item}' is not a rule code, name or prefix of codes; 'stratmap rules' lists them").format(
                    where=where, item=item
                )
            )
        codes.extend(code for code in matched if code not in codes)
    return tuple(codes)
