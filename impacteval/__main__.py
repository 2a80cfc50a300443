"""``python -m impacteval`` runs the command-line interface (as the ``impacteval`` script)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
