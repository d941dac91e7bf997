"""``python -m server``: the same commands as ``dialogue55``."""

from .cli import main

# Guarded: query workers start through multiprocessing, which imports the main module again.
if __name__ == "__main__":
    raise SystemExit(main())
