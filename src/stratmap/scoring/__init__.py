"""Scores of a measured scorecard: each KPI's value, achievement (達成率) and status for a period, rolled
up to objectives, themes, perspectives and departments, and across the cascade to the city map.

``kpi`` scores one KPI, ``rollup`` combines scores, ``scorecard`` scores a whole plan, ``history``
reads the same KPIs' values in earlier plan years for trends. Nothing here reads files but ``history``.
"""
