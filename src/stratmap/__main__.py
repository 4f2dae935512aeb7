"""Allow ``python -m stratmap``."""

from stratmap.cli import main

main()
