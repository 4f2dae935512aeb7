"""Help and usage errors in the language of the run, translated when they are shown.

Typer builds the app once per process (the tests run several languages in one), so help texts stay
English msgids on the commands and parameters; ``LocalisedCommand`` and ``LocalisedGroup`` put each
through ``_()`` just before help is formatted. Typer's own words (``Options``, ``[default: …]``) come
through ``i18n.speak_for_typer``; the Click that Typer vendors has no gettext, so its usage errors are
translated here by their English shape and said in stratmap's one style (``stratmap: error: …``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from typer._click.core import Command, Context, Parameter
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer._click.formatting import HelpFormatter, wrap_text
from typer.core import TyperArgument, TyperCommand, TyperGroup
from typer.exceptions import Abort

from stratmap.i18n import N_, _, language, speak_for_typer

USAGE_ERRORS: tuple[tuple[str, str], ...] = (
    (r"(?P<message>.+) \(Possible options: (?P<options>.+)\)", N_("{message} (Possible options: {options})")),
    (r"(?P<sentence>.+?)[.。]* Did you mean (?P<names>.+)\?", N_("{sentence}. Did you mean {names}?")),
    (r"No such option: (?P<name>.+)", N_("No such option: {name}")),
    (r"No such command (?P<name>'.*')", N_("No such command {name}")),
    (r"Missing argument (?P<name>'.+')\.", N_("Missing argument {name}.")),
    (r"Missing option (?P<name>'.+')\.", N_("Missing option {name}.")),
    (r"Invalid value for (?P<name>'.+?'): (?P<message>.+)", N_("Invalid value for {name}: {message}")),
    (r"Invalid value: (?P<message>.+)", N_("Invalid value: {message}")),
    (r"(?P<value>.+) is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
    (r"(?P<value>.+) is not a valid int(?:eger)?\.", N_("{value} is not a valid integer.")),
    (r"(?P<value>.+) is not a valid float\.", N_("{value} is not a valid float.")),
    (r"(?P<value>.+) is not in the range (?P<range>.+)\.", N_("{value} is not in the range {range}.")),
    (r"Option (?P<name>'.+') requires an argument\.", N_("Option {name} requires an argument.")),
    (r"Option (?P<name>'.+') requires (?P<count>\d+) arguments\.", N_("Option {name} requires {count} arguments.")),
    (r"Option (?P<name>'.+') does not take a value\.", N_("Option {name} does not take a value.")),
    (r"Got unexpected extra argument\(s\) \((?P<arguments>.*)\)", N_("Got unexpected extra argument(s) ({arguments})")),
)
"""The usage errors of Typer's Click, by their English shape, and the msgid each is said with; a
``message`` or ``sentence`` group is itself a message, translated the same way."""
_SHAPES = tuple((re.compile(shape, re.DOTALL), msgid) for shape, msgid in USAGE_ERRORS)


def localised_message(text: str) -> str:
    """A message of Click's in the language of the run (as it is, when no shape fits)."""
    if language() == "en":
        return text
    for shape, msgid in _SHAPES:
        found = shape.fullmatch(text)
        if found is not None:
            parts = found.groupdict()
            if "message" in parts:
                parts["message"] = localised_message(parts["message"])
            if "sentence" in parts:  # one sentence ended by the message around it
                parts["sentence"] = localised_message(parts["sentence"]).rstrip(".。")
            return _(msgid).format(**parts)
    return text


def _translate(thing: Command | Parameter) -> None:
    """Give ``thing`` its help in the language of the run, from the English it was built with."""
    english = thing.__dict__.setdefault("_english_help", getattr(thing, "help", None))
    if english:
        thing.__dict__["help"] = _(english)


def _translate_metavars(command: Command) -> None:
    """``[OPTIONS]`` and ``COMMAND [ARGS]...`` of a usage line in the language of the run (``[選項]``)."""
    for name in ("options_metavar", "subcommand_metavar"):
        english = command.__dict__.setdefault(f"_english_{name}", getattr(command, name, None))
        if english:
            command.__dict__[name] = _(english)


def _localise(command: Command, ctx: Context) -> None:
    """The help texts of ``command`` and its parameters, in the language of the run."""
    speak_for_typer()
    _translate(command)
    _translate_metavars(command)
    for param in command.get_params(ctx):
        _translate(param)


def _wide(char: str) -> bool:
    import unicodedata  # a C extension, needed only when help is shown: not loaded on every start

    return unicodedata.east_asian_width(char) in "WF"


def _columns(text: str) -> int:
    """How many columns ``text`` takes on a terminal (a Chinese character takes two)."""
    return sum(2 if _wide(char) else 1 for char in text)


_NO_LINE_START = set("，。、；：？！）」』〉》,.;:?!)")


def _words(text: str) -> list[str]:
    """``text`` cut where a line may break: at spaces, and in Chinese between any two characters (in
    English help, a Chinese term such as 實際值 stays whole)."""
    between = r"|[\u2e80-\u9fff\uf900-\uffef]" if language() != "en" else ""
    return [piece for piece in re.split(rf"(\s+{between})", text) if piece]


def _wrap_wide(text: str, width: int, indent: str) -> list[str]:
    """One paragraph with Chinese in it, filled to ``width`` columns by how wide each character is; a
    closing mark (，。）) never starts a line: the character before it goes down with it."""
    lines: list[str] = []
    line: list[str] = []
    for word in _words(" ".join(text.split())):
        if word.isspace():
            line += [" "] if line else []
            continue
        if line and _columns(indent + "".join(line) + word) > width:
            carried: list[str] = []
            if word[0] in _NO_LINE_START:  # closing marks in a row (）。) go down with the word before them
                while len(line) > 1 and (not carried or carried[0][0] in _NO_LINE_START):
                    carried.insert(0, line.pop())
            lines.append(indent + "".join(line).rstrip())
            line = [piece for piece in carried if not piece.isspace()]
        line.append(word)
    lines.append(indent + "".join(line).rstrip())
    return lines


def _wrapped(text: str, width: int, indent: str = "") -> str:
    """``text`` wrapped as Click wraps help, paragraph by paragraph, and by column when it holds Chinese."""
    if not any(_wide(char) for char in text):
        return wrap_text(text, width, initial_indent=indent, subsequent_indent=indent, preserve_paragraphs=True)
    paragraphs = [part for part in re.split(r"\n\s*\n", text) if part.strip()]
    return "\n\n".join("\n".join(_wrap_wide(part, width, indent)) for part in paragraphs)


class WideFormatter(HelpFormatter):
    """Click's help formatter, measuring Chinese text in columns (two a character) when it wraps."""

    def write_heading(self, heading: str) -> None:
        colon = "：" if any(_wide(char) for char in heading) else ":"
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")

    def write_text(self, text: str) -> None:
        self.write(_wrapped(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_width = min(max((len(first) for first, _second in rows), default=0), col_max) + col_spacing
        margin = " " * (first_width + self.current_indent)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            self.write(" " * (first_width - len(first)) if len(first) <= first_width - col_spacing else "\n" + margin)
            lines = _wrapped(second, max(self.width - first_width - 2, 10)).splitlines() or [""]
            self.write(lines[0] + "\n" + "".join(f"{margin}{line}\n" for line in lines[1:]))


class LocalisedContext(Context):
    """A context whose help is wrapped by column."""

    formatter_class = WideFormatter


def _format_usage(command: Command, ctx: Context, formatter: HelpFormatter) -> None:
    _translate_metavars(command)
    formatter.write_usage(ctx.command_path, " ".join(command.collect_usage_pieces(ctx)), _("Usage: "))


class LocalisedCommand(TyperCommand):
    """A command whose help is translated when shown; an argument's usage is its metavar as written
    (``<CODE>``, ``OLD``, ``[PATH]...``)."""

    context_class = LocalisedContext

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        _localise(self, ctx)
        super().format_help(ctx, formatter)

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        _format_usage(self, ctx, formatter)

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except UsageError as error:  # the parser's errors know no context: give them this one's usage
            if error.ctx is None:
                error.ctx, error.cmd = ctx, self
            raise

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument) and param.metavar:
                pieces.append(param.metavar)
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces


class LocalisedGroup(TyperGroup):
    """The app: help translated when shown, each command listed by its first sentence, and usage errors
    said in stratmap's style in the language of the run."""

    context_class = LocalisedContext

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        _localise(self, ctx)
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None:
                _translate(command)
        super().format_help(ctx, formatter)

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        _format_usage(self, ctx, formatter)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        shown = [(name, command) for name, command in commands if command is not None and not command.hidden]
        limit = formatter.width - 6 - max((len(name) for name, _command in shown), default=0)
        rows = [(name, short_help(command, limit)) for name, command in shown]
        if rows:
            with formatter.section(_("Commands")):
                formatter.write_dl(rows)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        from stratmap.commands.options import language_of_run, run
        from stratmap.i18n import set_language

        run.reset()
        set_language(language_of_run(args if args is not None else sys.argv[1:]))  # for help and errors
        speak_for_typer()
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            done = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except ClickException as error:
            show_error(error)
        except Abort:
            sys.stderr.write(_("Aborted!") + "\n")
            sys.exit(1)
        sys.exit(done if isinstance(done, int) else 0)


def short_help(command: Command, limit: int) -> str:
    """A command as the list of commands shows it: Click's short help, or for Chinese the first sentence,
    cut to ``limit`` columns."""
    text = command.help or ""
    if not any(_wide(char) for char in text):
        return command.get_short_help_str(limit)
    sentence = re.split(r"。|(?<=\.)\s", " ".join(text.split("\n\n")[0].split()))[0]
    if _columns(sentence) <= limit:
        return sentence
    english = language() == "en"
    while _columns(sentence + "...") > limit:
        sentence = sentence.rsplit(" ", 1)[0].rstrip(",;:") if english else sentence[:-1]
    return sentence + "..."


def show_error(error: ClickException) -> NoReturn:
    """Say a usage error of Click's: ``stratmap: error: …``, the usage line, where to find help; exit 2."""
    from stratmap.commands.options import error_line

    ctx = getattr(error, "ctx", None) if isinstance(error, UsageError) else None
    if isinstance(error, NoArgsIsHelpError):
        sys.stderr.write(error.format_message() + "\n")
        sys.exit(error.exit_code)
    lines = [error_line(localised_message(error.format_message()))]
    if ctx is not None:
        lines.append(ctx.get_usage() + "\n")
        if ctx.command.get_help_option(ctx) is not None:
            hint = _("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=ctx.help_option_names[0]
            )
            lines.append(hint + "\n")
    sys.stderr.write("".join(lines))
    sys.exit(error.exit_code)
