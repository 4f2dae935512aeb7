"""Link stage: one graph of the whole plan, built once and used by validate, trace and render."""
