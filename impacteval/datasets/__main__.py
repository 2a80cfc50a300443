"""``python -m impacteval.datasets``: where the bundled CSV files are, one per line.

For people who do not write Python: open a file in a spreadsheet, or pass its path to
``impacteval evaluate``.
"""

from __future__ import annotations

import sys

from . import data_dir, list_datasets


def main(argv: list[str] | None = None) -> int:
    """Print the data folder and every bundled CSV file with its name and size."""
    table = list_datasets()
    table = table[table["name"] != "servicetrainee_persons"]
    print(f"The bundled CSV files are in: {data_dir()}")
    width = int(table["name"].str.len().max())
    for name, rows, path in zip(table["name"], table["rows"], table["path"], strict=True):
        print(f"{name:<{width}}  {rows:>6} rows  {path}")
    print("Each file has a data card beside it (same name, .md).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
