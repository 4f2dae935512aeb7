"""Rules on cause and effect (``drives:``): the objectives an objective supports, within its own map."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator
from pathlib import Path

from stratmap.i18n import N_, _
from stratmap.linking.graph import Node, PlanGraph
from stratmap.model.codes import Perspective
from stratmap.problems import MAX_PER_FILE_AND_RULE, Finding, Location
from stratmap.rules import graph_rule
from stratmap.rules.references import closest_hint

_HEIGHT = {perspective: -place for place, perspective in enumerate(Perspective)}
"""How high each perspective stands on the map (``Perspective`` is in the document's order, top to bottom:
顧客, 內部流程, 學習成長, 財務). Cause runs upward: an objective supports its own perspective or one above."""


@graph_rule(
    "R010",
    N_(
        """Each code under ``drives:`` names an objective of the same map: a department objective drives the
        department's own objectives (in any of its themes), a city objective the city map's.

        Fails (the department has no objective ``BP9``)::

            - code: BL1
              perspective: L
              name: 提升同仁專業知能
              drives: [BP9]

        Passes: ``drives: [BP2]``; or no ``drives:`` at all.
        """
    ),
    whole_plan=True,
)
def unknown_driven_objective(graph: PlanGraph) -> Iterator[Finding]:
    hinted: Counter[Path] = Counter()
    for reference in graph.drives_references():
        if reference.target is not None:
            continue
        source, code = reference.source, reference.target_code
        side = _("city map") if code.is_city else _("department {id}").format(id=code.namespace)
        hinted[reference.location.path] += 1  # only the findings shown get a hint: a search each costs time
        shown = hinted[reference.location.path] <= MAX_PER_FILE_AND_RULE
        yield Finding(
            "R010",
            reference.location,
            _("objective {objective} drives {code}, which is no objective of the {side}").format(
                objective=source.code.code, code=code.code, side=side
            ),
            closest_hint(graph, code.code, source.kind, code.namespace) if shown else "",
        )


@graph_rule(
    "R011",
    N_(
        """Cause runs up the map: an objective supports objectives of its own perspective or of one above it,
        in the document's order 顧客 C, 內部流程 P, 學習成長 L, 財務 F (top to bottom). A link that runs down
        warns.

        Warns (a 顧客 objective driving a 內部流程 one)::

            - code: BC1
              perspective: C
              name: 完善創業服務辦公室輔導服務
              drives: [BP1]

        Passes: ``drives: [BC1]`` on ``BP1`` (內部流程 supports 顧客), or ``drives: [BC2]`` on ``BC1``.
        """
    ),
)
def drives_against_perspective(graph: PlanGraph) -> Iterator[Finding]:
    seen: set[tuple[Node, Node]] = set()
    for reference in graph.drives_references():
        source, target = reference.source, reference.target
        if target is None or source.perspective is None or target.perspective is None or (source, target) in seen:
            continue
        seen.add((source, target))
        if _HEIGHT[source.perspective] > _HEIGHT[target.perspective]:
            yield Finding(
                "R011",
                reference.location,
                _(
                    "objective {source} ({source_perspective}) drives {target} ({target_perspective}), against "
                    "the perspective order: cause runs up the map, 財務 → 學習成長 → 內部流程 → 顧客"
                ).format(
                    source=source.code.code,
                    source_perspective=source.perspective.label,
                    target=target.code.code,
                    target_perspective=target.perspective.label,
                ),
                _("list it the other way round ({source} under {target}'s drives), or remove it").format(
                    source=source.code.code, target=target.code.code
                ),
            )


@graph_rule(
    "R012",
    N_(
        """Cause and effect runs one way: objectives that support one another in a circle (``BP1`` drives
        ``BC1``, which drives ``BP1``; or an objective that drives itself) say nothing about what causes what.
        Reported once for each circle (for objectives bound in several circles, once for them all), at the
        first code of it in the files.

        Warns::

            - code: BP1
              drives: [BC1]
            - code: BC1
              drives: [BP1]

        Passes: ``drives: [BC1]`` on ``BP1`` and no ``drives:`` back on ``BC1``.
        """
    ),
)
def drives_cycle(graph: PlanGraph) -> Iterator[Finding]:
    for namespace in graph.namespaces():
        references = [r for r in graph.drives_references(namespace) if r.target is not None]
        first: dict[tuple[Node, Node], Location] = {}
        for reference in references:
            assert reference.target is not None
            first.setdefault((reference.source, reference.target), reference.location)
        for source, target in first:
            if source is target:
                yield Finding(
                    "R012",
                    first[(source, target)],
                    _("objective {objective} drives itself").format(objective=source.code.code),
                    _("remove {objective} from its own drives").format(objective=source.code.code),
                )
        edges = [pair for pair in first if pair[0] is not pair[1]]
        following: dict[Node, list[Node]] = {}
        for source, target in edges:
            following.setdefault(source, []).append(target)
        circles = _circles(following)
        starts: dict[int, tuple[Node, Node]] = {}
        for source, target in edges:  # the first link of each circle, in the files' order
            if source in circles and circles[source] == circles.get(target):
                starts.setdefault(circles[source], (source, target))
        for source, target in starts.values():
            circle = [source, *_path(target, source, following, circles)]
            yield Finding(
                "R012",
                first[(source, target)],
                _("objectives drive one another in a circle: {circle}").format(
                    circle=" → ".join(node.code.code for node in circle)
                ),
                _("cause and effect runs one way: remove the link that runs back"),
            )


def _circles(following: dict[Node, list[Node]]) -> dict[Node, int]:
    """Each objective bound in a circle, by the number of its strongly connected component (of more than
    one objective). Tarjan's algorithm, iterative: linear in the links, however long a chain."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    stack: list[Node] = []
    on_stack: set[Node] = set()
    found: dict[Node, int] = {}
    components = 0
    for start in list(following):
        if start in index:
            continue
        work: list[tuple[Node, int]] = [(start, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            nexts = following.get(node, [])
            if position < len(nexts):
                work.append((node, position + 1))
                after = nexts[position]
                if after not in index:
                    work.append((after, 0))
                elif after in on_stack:
                    low[node] = min(low[node], index[after])
                continue
            if work:  # back in the node this one was reached from
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[Node] = []
                while not component or component[-1] is not node:
                    component.append(stack.pop())
                    on_stack.discard(component[-1])
                if len(component) > 1:
                    found.update(dict.fromkeys(component, components))
                    components += 1
    return found


def _path(start: Node, end: Node, following: dict[Node, list[Node]], circles: dict[Node, int]) -> list[Node]:
    """The shortest path from ``start`` to ``end`` within their circle (breadth first), both ends included."""
    came_from: dict[Node, Node | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node is end:
            break
        for after in following.get(node, []):
            if after not in came_from and circles.get(after) == circles[start]:
                came_from[after] = node
                queue.append(after)
    path: list[Node] = []
    step: Node | None = end
    while step is not None:
        path.append(step)
        step = came_from[step]
    return path[::-1]
