"""``stratmap init``: start a plan year, or add a department to one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stratmap.commands._shared import open_graph, selector
from stratmap.commands.options import LangOption, NoColorOption, QuietOption, config, fail_usage, list_written
from stratmap.i18n import N_, _

if TYPE_CHECKING:
    from stratmap.pipeline import PlanSelector


def init(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="<FOLDER>",
            help=N_("A new year folder (data/111, or just 111), or an existing one to add a department to."),
        ),
    ],
    from_plan: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="<PLAN>",
            help=N_("Start the new year as a copy of this plan (a year such as 110, or its folder)."),
        ),
    ] = None,
    department: Annotated[
        str | None,
        typer.Option(
            "--department", "-d", metavar="<ID>", help=N_("The new department's id (default: configured, or 'dept').")
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=N_("Overwrite the files init writes (never deletes)."))
    ] = False,
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
    lang: LangOption = None,
) -> None:
    """Start a plan year: a copy of last year's (--from), or a scaffold that validates once filled in;
    or add a department to an existing year (--department).

    With --from, every strategy file is carried over with its comments; the year changes, each KPI's
    target for the new year (targets:) becomes its target, and measured values stay behind. Without
    it, the files hold 待填 placeholders, which validate reports (S007) until they are filled in.

    Exit status: 0 written, 1 the plan copied from does not validate, 2 usage error (nothing written).

    Example: stratmap init 111 --from 110
    """
    from stratmap.loading.discovery import UsageError
    from stratmap.scaffold import ScaffoldError, write_files

    plans = selector()
    if department is not None and not department:
        fail_usage(_("--department needs an id: lower-case letters, digits and '-', e.g. --department doed"))
    try:
        written = write_files(_files(folder, from_plan, department, force, plans))
    except (ScaffoldError, UsageError) as error:
        fail_usage(str(error))
    except OSError as error:
        fail_usage(
            _("cannot write to {folder}: {reason}; nothing was written").format(
                folder=folder, reason=error.strerror or error
            )
        )
    list_written(_("created {path}"), written, quiet)


def _files(
    folder: Path, from_plan: str | None, department: str | None, force: bool, plans: PlanSelector
) -> dict[Path, str]:
    """The files init writes: a copy of ``from_plan``, a new department in a year, or a new year's scaffold."""
    from stratmap.loading.discovery import PLAN_FILE, shown_path
    from stratmap.scaffold import new_department, new_year

    source = shown_path(plans.named(Path(from_plan)), Path.cwd()) if from_plan else None
    target = _new_year_folder(folder, (lambda: source.parent) if source is not None else plans.data_folder)
    if (target / PLAN_FILE).is_file() and (source is not None or department is None):
        shown = shown_path(target, Path.cwd()).as_posix()
        fail_usage(
            _(
                "{folder} already holds a plan; nothing was written. To add a department to it: "
                "stratmap init {folder} --department ID"
            ).format(folder=shown)
        )
    if source is not None:
        if department is not None:
            fail_usage(_("--from copies every department; add a new one afterwards with --department ID"))
        return _next_year(source, target, force)
    if (target / PLAN_FILE).is_file():
        # a year still being filled in from init's scaffold may take another department
        graph = open_graph([target], None, ignore=("S007",))
        return new_department(target, department or "", graph, force, Path.cwd())
    return new_year(target, department or config().department or "dept", force, Path.cwd())


def _new_year_folder(folder: Path, data_folder: Callable[[], Path]) -> Path:
    """The folder a new year goes into: ``folder`` as given, or a bare year (``111``) in the data folder."""
    from stratmap.loading.discovery import UsageError, shown_path, year_of

    if not folder.exists() and len(folder.parts) == 1 and year_of(folder.name) is not None:
        try:
            return shown_path(data_folder() / folder.name, Path.cwd())
        except UsageError:  # no data folder around: the year folder goes where it was named
            return folder
    return folder


def _next_year(source: Path, target: Path, force: bool) -> dict[Path, str]:
    """The files of ``target`` copied from the plan in ``source``, which must validate."""
    from stratmap.editing.new_year import NewYearError, next_year_files
    from stratmap.loading.discovery import find_plans
    from stratmap.scaffold import ScaffoldError

    if target.exists() and any(target.iterdir()) and not force:
        raise ScaffoldError(
            _("{folder} already has files; nothing was written (use --force to add to it)").format(folder=target)
        )
    open_graph([source], None)  # a plan that does not validate is not copied (exit 1, with its problems)
    try:
        return next_year_files(find_plans([source], Path.cwd())[0], target, Path.cwd())
    except NewYearError as error:
        raise ScaffoldError(str(error)) from error
