"""The cache of parsed files, plan verdicts and trace indexes, trusted no further than it can prove.

``location`` decides where it lives and whether that folder and its key can be trusted;
``fingerprint`` names the build of stratmap (its code and deciding libraries) an entry belongs to;
``store`` signs, bounds, reads and evicts entries. Readers of entries check their shape.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from stratmap.caching.store import Cache
from stratmap.i18n import _

_told: set[str] = set()


def open_cache(plan_root: Path, repository: Path) -> Cache | None:
    """The cache for ``repository``, which holds ``plan_root``; None when it is off or cannot be trusted.

    A folder named by ``STRATMAP_CACHE_DIR`` that is refused is said once on standard error; the run
    goes on without a cache.
    """
    from stratmap.caching.location import open_root

    root, refusal = open_root(repository)
    if root is None:
        if refusal and os.environ.get("STRATMAP_CACHE_DIR") and refusal not in _told:
            _told.add(refusal)
            sys.stderr.write(_("stratmap: cache not used: {reason}").format(reason=refusal) + "\n")
        return None
    return Cache(root.folder, root.key, repository)


__all__ = ["Cache", "open_cache"]
