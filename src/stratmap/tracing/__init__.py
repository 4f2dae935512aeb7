"""Trace stage: follow a code up to the city goal and down to the action plans, over the linked graph."""
