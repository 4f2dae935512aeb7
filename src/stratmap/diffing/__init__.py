"""Diff stage: what changed between two linked plans (a revision, or one year to the next)."""
