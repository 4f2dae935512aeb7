"""Find the plan folders a PATH names, and the strategy files in each.

A PATH is a plan folder (holding ``plan.yaml``, e.g. ``data/110``), a data
folder holding year folders (``data/``), or a file inside a plan folder (the
whole plan is then checked, since cross-file checks need every file). With no
PATH, the ``data/`` folder of the repository stratmap runs in is used.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from stratmap.i18n import _

PLAN_FILE = "plan.yaml"
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters a file or folder name may not hold: they would break report lines and annotations."""
YAML_SUFFIXES = (".yaml", ".yml")
YEAR_PATTERN = re.compile(r"[1-9][0-9]{0,2}")
"""A plan folder's name: its year in the Republic of China calendar (1-999), with no leading zero."""


class UsageError(Exception):
    """A PATH that names no strategy data: reported with exit status 2."""


Listing = tuple[tuple[Path, ...], tuple[tuple[Path, str, str], ...]]
"""A plan folder's YAML files, sorted, and what under it could not be listed or read for its name."""


@dataclass(frozen=True)
class PlanFolder:
    """One plan year's folder and the YAML files under it, sorted.

    The folder is walked when its files are first asked for, not when it is found: a command on one plan
    of a data folder (trace, the latest year) walks that year and the one before it, not all of them."""

    root: Path
    listed: Listing | None = field(default=None, compare=False, repr=False)
    """The listing, when the caller already has it."""

    @cached_property
    def _listing(self) -> Listing:
        return self.listed if self.listed is not None else _listing(self.root)

    @property
    def files(self) -> tuple[Path, ...]:
        """Every ``.yaml``/``.yml`` file under the folder, sorted."""
        return self._listing[0]

    @property
    def unreadable(self) -> tuple[tuple[Path, str, str], ...]:
        """Folders under the root that could not be listed, and files or folders not read for their names:
        each with what went wrong and what to do."""
        return self._listing[1]

    @property
    def name(self) -> str:
        """The folder's own name, which is the plan year (``110``), even when given as ``.``."""
        return self.root.resolve().name


def up_to_repository(start: Path) -> Iterator[Path]:
    """``start`` and the folders above it, up to the repository root (the folder holding ``.git``)."""
    for folder in (start, *start.parents):
        yield folder
        if (folder / ".git").exists():
            return


def repository_root(start: Path) -> Path | None:
    """The folder holding ``.git`` at or above ``start``, if any."""
    for folder in up_to_repository(start.resolve()):
        if (folder / ".git").exists():
            return folder
    return None


def repository_of(plan_root: Path) -> Path:
    """The repository a plan folder belongs to: the folder holding ``.git``, or, outside git, the folder
    above its data folder (``data/110`` -> the folder holding ``data``)."""
    start = plan_root.resolve()
    return repository_root(start) or start.parent.parent


def default_data_folder(start: Path) -> Path:
    """The ``data/`` folder of the repository that ``start`` lies in."""
    for folder in up_to_repository(start):
        if (folder / "data").is_dir():
            return folder / "data"
    raise UsageError(
        _(
            "no data/ folder found in {start} or the repository around it; "
            "run stratmap in the repository root or pass the plan folder, e.g. 'stratmap validate data/110'"
        ).format(start=start)
    )


def find_plans(paths: list[Path], cwd: Path) -> list[PlanFolder]:
    """The plan folders the PATHs name, each once, in a stable order."""
    targets = paths or [shown_path(default_data_folder(cwd), cwd)]
    roots: dict[Path, Path] = {}  # resolved -> as shown; one plan named twice is checked once
    for target in targets:
        for root in _plan_roots(target):
            if _CONTROL.search(str(root)):
                shown = str(root).encode("unicode_escape").decode()
                raise UsageError(
                    _("{path}: a folder name holds a control character; rename the folder").format(path=shown)
                )
            roots.setdefault(root.resolve(), root)
    return [_plan_folder(root) for root in roots.values()]


def shown_path(path: Path, cwd: Path) -> Path:
    """``path`` relative to ``cwd`` when it lies below it; as given otherwise."""
    if path.is_absolute() and path.is_relative_to(cwd):
        return Path(os.path.relpath(path, cwd))
    return path


def _plan_roots(target: Path) -> list[Path]:
    try:
        info = os.stat(target)
    except OSError as error:
        if os.path.lexists(target):
            raise UsageError(
                _("{path}: cannot open ({reason}); is it a symbolic link loop?").format(
                    path=target, reason=error.strerror
                )
            ) from None
        raise UsageError(_("{path}: no such file or folder").format(path=target)) from None
    try:
        if stat.S_ISREG(info.st_mode):
            for folder in target.resolve().parents:
                if (folder / PLAN_FILE).is_file():
                    return [_shown(folder, target)]
            raise UsageError(
                _("{path}: not inside a plan folder (no {plan_file} beside it or above it)").format(
                    path=target, plan_file=PLAN_FILE
                )
            )
        if not stat.S_ISDIR(info.st_mode):
            raise UsageError(_("{path}: not a folder or a strategy file").format(path=target))
        if (target / PLAN_FILE).is_file():
            return [target]
        years = sorted((child for child in target.iterdir() if _holds_a_plan(child)), key=_year_key)
    except OSError as error:
        raise UsageError(
            _("{path}: cannot open ({reason})").format(path=error.filename or target, reason=error.strerror)
        ) from None
    if not years:
        raise UsageError(
            _(
                "{path}: no strategy plan here; a plan folder holds {plan_file} "
                "(e.g. data/110) and a data folder holds plan folders (e.g. data/)"
            ).format(path=target, plan_file=PLAN_FILE)
        )
    return years


def _holds_a_plan(child: Path) -> bool:
    """Whether a folder of a data folder is a plan: it holds ``plan.yaml``, or strategy files without one (so
    that a year whose ``plan.yaml`` is missing is reported as such, never skipped)."""
    if child.name.startswith(".") or not child.is_dir() or child.is_symlink():
        return False
    if (child / PLAN_FILE).is_file():
        return True
    for _folder, subfolders, files in os.walk(child, followlinks=False):
        if any(name.endswith(YAML_SUFFIXES) for name in files):
            return True
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
    return False


def _shown(folder: Path, target: Path) -> Path:
    """``folder`` written relative like ``target`` was, when it can be."""
    for candidate in (target.parent, *target.parent.parents):
        try:
            if candidate.resolve() == folder:
                return candidate
        except OSError:
            break
    return folder


def year_of(name: str) -> int | None:
    """The plan year a folder name stands for (``110``), or None when it names no year."""
    return int(name) if YEAR_PATTERN.fullmatch(name) else None


def _year_key(path: Path) -> tuple[int, str]:
    """Year folders in numeric order (99 before 110); other names after them."""
    year = year_of(path.name)
    return (year, "") if year is not None else (10**9, path.name)


def _plan_folder(root: Path) -> PlanFolder:
    """The plan folder at ``root``, walked when its files are first wanted."""
    return PlanFolder(root)


def _listing(root: Path) -> Listing:
    """Every ``.yaml``/``.yml`` file under ``root``; symbolic links to folders are not followed."""
    found: list[Path] = []
    unreadable: list[tuple[Path, str, str]] = []

    def note(error: OSError) -> None:
        reason = _("cannot open folder: {reason}").format(reason=error.strerror or error)
        hint = _("the files in it were not checked; make it readable")
        unreadable.append((Path(error.filename or root), reason, hint))

    def named_well(folder: str, name: str) -> bool:
        if not _CONTROL.search(name):
            return True
        unreadable.append((Path(folder) / name, _("its name holds a control character; it is not read"),
                           _("rename it with letters, digits and '-' only")))  # fmt: skip
        return False

    for folder, subfolders, files in os.walk(root, onerror=note, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith(".") and named_well(folder, name))
        found.extend(Path(folder) / name for name in files if name.endswith(YAML_SUFFIXES) and named_well(folder, name))
    return tuple(sorted(found)), tuple(sorted(unreadable))


def earlier_plans(folder: PlanFolder) -> list[PlanFolder]:
    """The plan years before ``folder`` beside it in its data folder, earliest first."""
    year = year_of(folder.name)
    if year is None:
        return []
    try:
        earlier = [
            (found, child)
            for child in folder.root.parent.iterdir()
            if (found := year_of(child.name)) is not None and found < year and (child / PLAN_FILE).is_file()
        ]
    except OSError:
        return []
    return [_plan_folder(child) for _, child in sorted(earlier)]


def previous_plan(folder: PlanFolder) -> PlanFolder | None:
    """The plan year before ``folder`` beside it in its data folder (the highest lower year), if any."""
    earlier = earlier_plans(folder)
    return earlier[-1] if earlier else None


def recency(folder: PlanFolder) -> tuple[bool, int]:
    """Sort key that makes the highest year folder the greatest; folders not named by a year come last."""
    year = year_of(folder.name)
    return (year is not None, year or 0)


def plan_of_year(plans: list[PlanFolder], year: int) -> PlanFolder:
    """The plan folder named after ``year`` among ``plans``."""
    for folder in plans:
        if folder.name == str(year):
            return folder
    raise UsageError(
        _("no plan for year {year}; the plans here are: {plans}").format(
            year=year, plans=", ".join(p.name for p in plans)
        )
    )


def plan_folder_named(given: Path, data_folder: Callable[[], Path]) -> Path:
    """One plan folder: ``given`` itself, or a year (``110``) looked up in the data folder."""
    if not given.exists() and year_of(str(given)) is not None:
        given = data_folder() / str(given)
    if not (given / PLAN_FILE).is_file():
        raise UsageError(
            _("{path}: not a plan folder (no {plan_file}); name a plan folder such as data/110, or a year").format(
                path=given, plan_file=PLAN_FILE
            )
        )
    return given
