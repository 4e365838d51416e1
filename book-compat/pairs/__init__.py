"""The pair checks, one module per chapter; check.py imports them all."""
