"""JSON Schemas of the strategy files, generated from the Pydantic models."""

from __future__ import annotations

import json
from pathlib import Path

from stratmap.files import write_atomically

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_texts() -> dict[str, str]:
    """File name -> JSON text of the schema of each kind of strategy file."""
    from stratmap.model import FILE_KINDS, SCHEMA_NAMES

    texts = {}
    for kind, model in FILE_KINDS.items():
        schema = {"$schema": SCHEMA_DIALECT, **model.model_json_schema()}
        texts[SCHEMA_NAMES[kind]] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return texts


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder``, each file replaced atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        target = folder / name
        write_atomically(target, text)
        written.append(target)
    return written
