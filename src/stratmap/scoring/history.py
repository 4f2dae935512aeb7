"""A KPI's values across plan years, for trends: the same department and KPI code in the measures files
(``departments/<folder>/measures.yaml``) of earlier year folders beside the plan."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from stratmap.linking.graph import Measure, Node, PlanGraph
from stratmap.loading.discovery import PlanFolder, year_of
from stratmap.model.periods import Period
from stratmap.model.theme import Kpi
from stratmap.scoring.kpi import value_to_date

MEASURES_FILE = "measures.yaml"
EarlierMeasures = Mapping[int, Mapping[tuple[str, str], Sequence[Measure]]]
"""Plan year -> (department id, KPI code) -> values."""


@dataclass(frozen=True)
class Point:
    """One value of a trend: a period and the value for it (a number, or a milestone stage)."""

    period: Period
    value: Decimal | str


def earlier_measures(
    plan: PlanFolder,
    cwd: Path,
    known: dict[Path, dict[tuple[str, str], Sequence[Measure]]] | None = None,
    on_year: Callable[[PlanFolder], None] | None = None,
    years: Sequence[PlanFolder] | None = None,
) -> EarlierMeasures:
    """The measures of every plan year before ``plan`` in its data folder (files that fail to load are
    skipped: validating those years is validate's work, not a trend's). ``known`` keeps each year's measures
    by resolved plan folder, for a run that renders many years (each is read once); ``on_year`` hears of each
    year read; ``years`` are those earlier plan years when the caller has found them already (so that their
    folders are walked once)."""
    from stratmap.caching import open_cache
    from stratmap.loading.discovery import earlier_plans, repository_of, shown_path
    from stratmap.loading.loader import LoadedFile, load_bytes
    from stratmap.loading.reading import read_bytes
    from stratmap.model import DepartmentFile, MeasuresFile

    current = year_of(plan.name)
    found: dict[int, dict[tuple[str, str], Sequence[Measure]]] = {}
    if current is None:
        return found
    from stratmap.linking.linker import measures_of_file

    for earlier in earlier_plans(plan) if years is None else years:
        year = year_of(earlier.name)
        if year is None:
            continue
        if known is not None and earlier.root.resolve() in known:
            found[year] = known[earlier.root.resolve()]
            continue
        repository = repository_of(earlier.root)
        cache = open_cache(earlier.root, repository)
        by_code: dict[tuple[str, str], Sequence[Measure]] = {}
        for path in earlier.files:
            if path.name != MEASURES_FILE:
                continue
            loaded = []
            for file in (path.parent / "department.yaml", path):
                shown = shown_path(file, cwd)
                raw = read_bytes(file, shown, repository)
                outcome = load_bytes(raw, shown, cache) if isinstance(raw, bytes) else None
                loaded.append(outcome if isinstance(outcome, LoadedFile) else None)
            department, measures = loaded
            if department is None or measures is None:
                continue
            if isinstance(department.model, DepartmentFile) and isinstance(measures.model, MeasuresFile):
                for code, values in measures_of_file(measures).items():
                    by_code[(department.model.id, code)] = values
        found[year] = by_code
        if known is not None:
            known[earlier.root.resolve()] = by_code
        if on_year is not None:
            on_year(earlier)
    return found


def measures_by_code(graph: PlanGraph) -> dict[tuple[str, str], Sequence[Measure]]:
    """The measures of a plan that validated, as ``earlier_measures`` would read them for a later year."""
    return {
        (department.id, code): values
        for department in graph.departments.values()
        for code, values in department.measures.items()
    }


def trend(graph: PlanGraph, node: Node, earlier: EarlierMeasures) -> list[Point]:
    """A KPI's yearly values in earlier plan years, then this year's values period by period."""
    kpi = node.source
    assert isinstance(kpi, Kpi)
    points = []
    for year in sorted(earlier):
        values = earlier[year].get((node.code.namespace, node.code.code), ())
        whole = Period(year, 12, "year")
        value = value_to_date(kpi, values, whole)
        if value is not None:
            points.append(Point(whole, value))
    points.extend(Point(measure.period, measure.value) for measure in graph.measures_of(node))
    return points
