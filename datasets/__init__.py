"""Data files of impacteval.datasets (CSV files and their data cards)."""
