"""Pydantic models of every kind of strategy file, selected by its ``kind:`` key."""

from __future__ import annotations

from pydantic import BaseModel

from stratmap.model.city import CityMapFile
from stratmap.model.department import DepartmentFile
from stratmap.model.measures import MeasuresFile
from stratmap.model.plan import PlanFile
from stratmap.model.theme import ThemeFile

StrategyFile = PlanFile | CityMapFile | DepartmentFile | ThemeFile | MeasuresFile

FILE_KINDS: dict[str, type[BaseModel]] = {
    "plan": PlanFile,
    "city_map": CityMapFile,
    "department": DepartmentFile,
    "theme": ThemeFile,
    "measures": MeasuresFile,
}
"""Every kind of file, by the value of its ``kind:`` key."""

SCHEMA_NAMES: dict[str, str] = {
    "plan": "plan.schema.json",
    "city_map": "city-map.schema.json",
    "department": "department.schema.json",
    "theme": "theme.schema.json",
    "measures": "measures.schema.json",
}
"""The file name of each kind's JSON Schema under ``schemas/``."""

__all__ = [
    "FILE_KINDS",
    "SCHEMA_NAMES",
    "CityMapFile",
    "DepartmentFile",
    "MeasuresFile",
    "PlanFile",
    "StrategyFile",
    "ThemeFile",
]
