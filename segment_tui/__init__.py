"""segment-tui: segments and interactions, the Business Central way, in a terminal.

The package root stays free of Textual so that the CLI starts fast.
"""

__version__ = "0.1.0"
