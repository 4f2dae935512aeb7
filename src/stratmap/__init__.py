"""stratmap: strategy maps and balanced scorecards kept as YAML files."""

__version__ = "0.1.0"
