"""Import stage: find strategy files, read them safely, validate them against the models."""
