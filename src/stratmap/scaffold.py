"""``stratmap init``: a new plan year, or a new department under an existing year, that validates at once.

The files hold placeholders (「待填」) where a person must write the plan; they never invent content. They
are written for Taipei's planners: their placeholders and comments are Chinese, whatever the language of
the messages.
Nothing is overwritten without ``--force``, a department that exists is never replaced, and nothing
is ever deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stratmap.files import write_all_or_none
from stratmap.i18n import _
from stratmap.linking.graph import PlanGraph
from stratmap.loading.discovery import PLAN_FILE, repository_root, year_of
from stratmap.loading.placeholders import PLACEHOLDER
from stratmap.model.codes import DEPARTMENT_ID_PATTERN

TODO = PLACEHOLDER
PERSPECTIVES = (("C", "顧客"), ("P", "內部流程"), ("L", "學習成長"), ("F", "財務"))


class ScaffoldError(Exception):
    """A folder or id init will not write (exit status 2)."""


@dataclass(frozen=True)
class StrategyText:
    """A strategy file to write: its kind (for the schema modeline) and its text."""

    kind: str
    text: str


def new_year(root: Path, department: str, force: bool, cwd: Path) -> dict[Path, str]:
    """The files of a new plan year in ``root`` (named after the year), with schemas where none are found."""
    check_department_id(department)
    year = root.resolve().name
    if year_of(year) is None:
        message = _("{folder}: name a new plan folder after its year (民國 1-999, no leading zero), e.g. data/111")
        raise ScaffoldError(message.format(folder=root))
    if root.exists() and any(root.iterdir()) and not force:
        raise ScaffoldError(
            _("{folder} already has files; nothing was written (use --force to add to it)").format(folder=root)
        )
    texts = {
        root / PLAN_FILE: StrategyText("plan", f"kind: plan\nyear: {year}\n"),
        root / "city.yaml": StrategyText("city_map", _city_map(year)),
        **_department(department, "A", "AC1", root),
    }
    return _with_schemas(texts, root, cwd, force)


def new_department(root: Path, department: str, graph: PlanGraph, force: bool, cwd: Path) -> dict[Path, str]:
    """A new department in the existing plan ``root``, aligned to the city map's first objective."""
    check_department_id(department)
    if department in graph.departments:
        where = graph.departments[department].file.path.as_posix()
        message = _("department '{department}' already exists ({where}); init never replaces a department")
        raise ScaffoldError(message.format(department=department, where=where))
    first = next((objective for theme in graph.city_themes for objective in theme.children), None)
    if first is None or first.parent is None:
        raise ScaffoldError(
            _("{folder}: the city map has no objective to align a department theme to").format(folder=root)
        )
    return _with_schemas(_department(department, first.parent.code.code, first.code.code, root), root, cwd, force)


def check_department_id(department: str) -> None:
    """Refuse an id that could not qualify codes (``doed:DP2.1``)."""
    if department == "city" or not DEPARTMENT_ID_PATTERN.fullmatch(department):
        message = _(
            "'{department}' is not a department id: lower-case letters, digits and '-', starting with a letter "
            "(and not 'city')"
        )
        raise ScaffoldError(message.format(department=department))


def write_files(files: dict[Path, str]) -> list[Path]:
    """Write every file or none, creating folders as needed."""
    write_all_or_none({path: text.encode("utf-8") for path, text in files.items()})
    return list(files)


def _with_schemas(texts: dict[Path, StrategyText], root: Path, cwd: Path, force: bool) -> dict[Path, str]:
    """The texts with their schema modelines, plus the schemas themselves where the repository has none."""
    from stratmap.editing.roundtrip import SCHEMAS_FOLDER, find_schemas, schema_line

    files: dict[Path, str] = {}
    schemas = find_schemas(root.resolve().parent, "plan")
    if schemas is None:
        from stratmap.schema_export import schema_texts

        schemas = (repository_root(cwd) or cwd.resolve()) / SCHEMAS_FOLDER
        files.update({schemas / name: text for name, text in schema_texts().items()})
    for path, item in texts.items():
        files[path] = f"{schema_line(path.parent, schemas, item.kind)}\n{item.text}"
    existing = [path for path in files if path.exists()]
    if existing and not force:
        message = _("{file} already exists; nothing was written (use --force to overwrite it)")
        raise ScaffoldError(message.format(file=existing[0]))
    return files


def _city_map(year: str) -> str:
    return (
        "kind: city_map\n"
        f"title: {TODO}：市府{year}年度策略地圖\n"
        f"mission: {TODO}：使命\n"
        f"vision: {TODO}：願景\n"
        f"core_values: [{TODO}：核心價值]\n"
        "themes:\n"
        "  - code: A\n"
        f"    name: {TODO}：策略主題\n"
        "    objectives:\n"
        "      - code: AC1\n"
        "        perspective: C\n"
        f"        name: {TODO}：策略目標\n"
    )


def _department(department: str, city_theme: str, city_objective: str, root: Path) -> dict[Path, StrategyText]:
    """A department frame and one theme with an objective, KPI and action plan in each perspective."""
    folder = root / "departments" / department
    objectives = "".join(
        f"  - code: A{letter}1\n"
        f"    perspective: {letter}\n"
        f"    name: {TODO}：{label}策略目標\n"
        "    kpis:\n"
        f"      - code: A{letter}1.1\n"
        f"        name: {TODO}：關鍵績效指標\n"
        "        action_plans:\n"
        f"          - {{code: A{letter}1.1.1, name: {TODO}：行動計畫}}\n"
        for letter, label in PERSPECTIVES
    )
    frame = (
        "kind: department\n"
        f"id: {department}\n"
        f"name: {TODO}：機關名稱\n"
        f"mission: {TODO}：使命\n"
        f"vision: {TODO}：願景\n"
        f"core_values: [{TODO}：核心價值]\n"
        "city_roles:\n"
        f"  member: [{city_theme}]\n"
    )
    theme = f"kind: theme\ncode: A\nname: {TODO}：策略主題\naligns_to: [{city_objective}]\nobjectives:\n{objectives}"
    return {folder / "department.yaml": StrategyText("department", frame),
            folder / "theme-a.yaml": StrategyText("theme", theme)}  # fmt: skip
