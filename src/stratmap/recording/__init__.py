"""``stratmap record``: actual values (實際值) from a spreadsheet's CSV into the departments' measures files.

Three steps, each its own module: ``csv_rows`` reads the CSV and checks every row against the plan (all
errors, with the CSV's line numbers); ``measures_writer`` edits one measures file with ruamel.yaml's
round-trip mode, so that its comments, key order and quoting survive; ``record`` ties them together into
the files that would change, their diffs, and an all-or-nothing write.

ruamel.yaml is imported only here, and only when ``record`` runs: every other command reads YAML on the
fast, safe path of ``loading``.
"""
