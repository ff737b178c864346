"""Regenerate the committed sample folder sample_data/demo (run from the repository root):

    PYTHONPATH=. python sample_data/regenerate.py

tests/test_sample_generator.py checks that the committed files equal a fresh run of this call.
"""

import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable without installing

from pipelines.sample import write_sample  # noqa: E402

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    write_sample("sample_data/demo", employees=2000, seed=42, applications=8000, spend_rows=12000)
