"""``stratmap init``: a new plan year, or a new department under an existing year, that validates at once.

The files hold placeholders (「待填」) where a person must write the plan; they never invent content.
Nothing is overwritten without ``--force``, and nothing is ever deleted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from stratmap.files import write_atomically
from stratmap.linking.graph import PlanGraph
from stratmap.loading.discovery import PLAN_FILE, YEAR_PATTERN
from stratmap.model import SCHEMA_NAMES

TODO = "待填"


class ScaffoldError(Exception):
    """A folder init will not write into (exit status 2)."""


@dataclass(frozen=True)
class CityAnchor:
    """The city theme and objective a new department's first theme is aligned to."""

    theme: str
    objective: str


def new_year(root: Path, department: str, force: bool) -> dict[Path, str]:
    """The files of a new plan year in ``root`` (named after the year), schemas too where none are found."""
    year = check_year_folder(root)
    if root.exists() and any(root.iterdir()) and not force:
        raise ScaffoldError(f"{root} already has files; nothing was written (use --force to add to it)")
    files: dict[Path, str] = {}
    schemas = schemas_folder(root.resolve().parent)
    if schemas is None:
        from stratmap.schema_export import schema_texts

        schemas = root.resolve().parent.parent / "schemas"
        files.update({schemas / name: text for name, text in schema_texts().items()})
    files.update(plan_files(year, department, schemas, root))
    refuse_existing(files, force)
    return files


def new_department(root: Path, department: str, graph: PlanGraph, force: bool) -> dict[Path, str]:
    """The files of a new department in the existing plan ``root``, aligned to the city map's first objective."""
    objectives = [objective for theme in graph.city_themes for objective in theme.children]
    if not objectives:
        raise ScaffoldError(f"{root}: the city map has no objective to align a department theme to")
    first = objectives[0]
    anchor = CityAnchor(first.parent.code.code if first.parent else first.code.code[0], first.code.code)
    schemas = schemas_folder(root.resolve().parent)
    if schemas is None:
        raise ScaffoldError(f"{root}: no schemas/ folder above it; run 'stratmap schema' in the repository first")
    files = with_modelines(department_files(department, anchor, root), schemas)
    refuse_existing(files, force)
    return files


def plan_files(year: str, department: str, schemas: Path, root: Path) -> dict[Path, str]:
    """The files of a new plan year: plan, a one-theme city map, one department with one theme."""
    files = {
        root / PLAN_FILE: f"kind: plan\nyear: {int(year)}\n",
        root / "city.yaml": (
            "kind: city_map\n"
            f"title: {TODO}：市府{int(year)}年度策略地圖\n"
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
        ),
    }
    files.update(department_files(department, CityAnchor("A", "AC1"), root))
    return {path: _with_modeline(path, text, schemas) for path, text in files.items()}


def department_files(department: str, anchor: CityAnchor, root: Path) -> dict[Path, str]:
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
        for letter, label in (("C", "顧客"), ("P", "內部流程"), ("L", "學習成長"), ("F", "財務"))
    )
    return {
        folder / "department.yaml": (
            "kind: department\n"
            f"id: {department}\n"
            f"name: {TODO}：機關名稱\n"
            f"mission: {TODO}：使命\n"
            f"vision: {TODO}：願景\n"
            f"core_values: [{TODO}：核心價值]\n"
            "city_roles:\n"
            f"  member: [{anchor.theme}]\n"
        ),
        folder / "theme-a.yaml": (
            f"kind: theme\ncode: A\nname: {TODO}：策略主題\naligns_to: [{anchor.objective}]\nobjectives:\n" + objectives
        ),
    }


def _with_modeline(path: Path, text: str, schemas: Path) -> str:
    if not text.startswith("kind: "):
        return text  # a schema file
    kind = text.split("\n", 1)[0].removeprefix("kind: ")
    relative = Path(os.path.relpath(schemas / SCHEMA_NAMES[kind], path.parent)).as_posix()
    return f"# yaml-language-server: $schema={relative}\n{text}"


def schemas_folder(start: Path) -> Path | None:
    """The nearest ``schemas/`` folder holding stratmap's schemas, in ``start`` or above it."""
    for folder in (start, *start.parents):
        if (folder / "schemas" / SCHEMA_NAMES["plan"]).is_file():
            return folder / "schemas"
    return None


def check_year_folder(root: Path) -> str:
    """The year a new plan folder is named after, or why it cannot be one."""
    name = root.resolve().name
    if not YEAR_PATTERN.fullmatch(name):
        raise ScaffoldError(f"{root}: name a new plan folder after its year (民國), e.g. data/111")
    return name


def refuse_existing(files: dict[Path, str], force: bool) -> None:
    """Refuse to write over any existing file unless ``force``; never delete."""
    existing = [path for path in files if path.exists()]
    if existing and not force:
        raise ScaffoldError(
            f"{existing[0]} already exists; nothing was written (use --force to overwrite the files init writes)"
        )


def write_files(files: dict[Path, str]) -> list[Path]:
    """Write each file whole, creating folders as needed."""
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text)
    return list(files)


def with_modelines(files: dict[Path, str], schemas: Path) -> dict[Path, str]:
    """Each file with the modeline that points editors at its schema."""
    return {path: _with_modeline(path, text, schemas) for path, text in files.items()}
