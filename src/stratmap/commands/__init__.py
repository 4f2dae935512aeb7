"""The commands of ``stratmap``, one module per command or small group; ``stratmap.cli.COMMANDS`` names them."""
