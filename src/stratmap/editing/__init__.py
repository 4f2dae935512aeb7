"""Edits of the strategy files themselves: a new year from the last, renames, one layout.

Every write into a data file goes through ruamel.yaml's round-trip mode (``roundtrip``), so comments,
key order and quoting survive, and lines no edit touches are kept byte for byte; every edit writes all
its files or none (:func:`stratmap.files.write_all_or_none`).
"""
