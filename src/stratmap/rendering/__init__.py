"""Render stage: the strategy maps and scorecards as HTML or Markdown, from the linked graph, by Jinja."""
