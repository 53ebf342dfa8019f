"""``python -m segment_tui`` runs the command line."""

from segment_tui.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
