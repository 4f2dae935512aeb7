"""A labelled tree, printed as plain text, as a rich tree in a terminal, or as Markdown lists.

Trace and coverage build ``Trees`` once; the text and the Markdown writers each draw them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TextIO

from stratmap.reporting.escaping import printable

HEADER = "dim italic"
"""The rich style of section headings inside a tree."""


@dataclass
class Branch:
    """A line of a tree and the lines under it."""

    label: str
    children: list[Branch] = field(default_factory=list)
    style: str = ""
    """A rich style for terminals (``dim``, ``cyan``); plain text and Markdown ignore it."""

    def add(self, label: str, style: str = "") -> Branch:
        """Append a child with ``label`` and return it."""
        child = Branch(label, style=style)
        self.children.append(child)
        return child


def plain_lines(branch: Branch) -> list[str]:
    """The tree drawn with box characters; stable, for pipes and files."""
    lines = [printable(branch.label)]

    def walk(children: list[Branch], prefix: str) -> None:
        for i, child in enumerate(children):
            last = i == len(children) - 1
            lines.append(prefix + ("└── " if last else "├── ") + printable(child.label))
            walk(child.children, prefix + ("    " if last else "│   "))

    walk(branch.children, "")
    return lines


def write_rich(branches: list[Branch], out: TextIO, colour: bool) -> None:
    """Draw the trees with rich, for a terminal (labels are text, never markup)."""
    from rich.console import Console
    from rich.text import Text
    from rich.tree import Tree

    def build(branch: Branch, tree: Tree) -> None:
        for child in branch.children:
            build(child, tree.add(Text(printable(child.label), style=child.style)))

    console = Console(file=out, no_color=not colour, highlight=False)
    for i, branch in enumerate(branches):
        if i:
            console.print()
        root = Tree(Text(printable(branch.label), style="bold"))
        build(branch, root)
        console.print(root)


def markdown_lines(branch: Branch, depth: int = 0) -> list[str]:
    """The tree as nested Markdown bullets; labels escaped so data text stays text."""
    from stratmap.reporting.escaping import escape_inline

    lines = ["  " * depth + "- " + escape_inline(branch.label)]
    for child in branch.children:
        lines.extend(markdown_lines(child, depth + 1))
    return lines


@dataclass(frozen=True)
class Trees:
    """What trace and coverage show in text and Markdown alike: a title, a line before the trees, the trees."""

    title: str
    intro: str
    branches: list[Branch]


def write_text(trees: Trees, out: TextIO, terminal: bool, colour: bool) -> None:
    """The trees as text: ``intro`` first, then a rich tree on a terminal, box characters otherwise (the title
    is for Markdown: a terminal shows the command that was typed)."""
    if trees.intro:
        out.write(printable(trees.intro) + "\n\n")
    if terminal:
        write_rich(trees.branches, out, colour)
        return
    out.write("\n\n".join("\n".join(plain_lines(branch)) for branch in trees.branches) + "\n")


def write_markdown(trees: Trees, out: TextIO) -> None:
    """The trees as Markdown: ``# title``, ``intro``, then each tree as nested bullets."""
    from stratmap.reporting.escaping import escape_inline

    out.write(f"# {escape_inline(trees.title)}\n\n")
    if trees.intro:
        out.write(escape_inline(trees.intro) + "\n\n")
    for branch in trees.branches:
        out.write("\n".join(markdown_lines(branch)) + "\n\n")
