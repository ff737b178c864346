"""The plain-words description of the protection, shared by the Methodology page, the PDF
privacy note and docs (one text, so they cannot drift apart)."""

from __future__ import annotations

from .protect import MAGNITUDE_SPREAD, VALUE_SPREAD
from .ptable import MAX_PERTURBATION, distribution


def summary(k: int) -> str:
    exact_share = round(100 * distribution(10)[10])
    return (
        f"Published figures are protected with the cell-key method (as used by the ONS for the "
        f"2021 Census flexible tables and by the ABS TableBuilder). Every count is moved by at "
        f"most {MAX_PERTURBATION} (it is exact about {exact_share}% of the time) by a fixed, "
        f"secret amount that depends only on the cell, so the same cell shows the same figure in "
        f"every view, download and run, and asking again cannot average the change away. Shares "
        f"and rates are computed from the protected counts. Mean and median pay, spend and model "
        f"results move by up to {MAGNITUDE_SPREAD:g}/n of themselves (model results "
        f"{VALUE_SPREAD:g}/n), as much as one person of several times the average could move them, "
        f"so no published figure is or reveals one person's pay. A figure is hidden when its "
        f"protected count is below {k}. Periods are always whole years, quarters or months, and "
        f"a filter with several values adds up its one-value parts. Large groups are barely "
        f"affected: for 50 people or more a count is within 4% of the truth, usually within 1%."
    )


def intervals_note() -> str:
    return (
        "Confidence intervals of shares and rates are computed from the protected counts; "
        "the protection adds at most 2 to a count, which is small beside the sampling "
        "uncertainty of every group large enough to be shown."
    )


EXACT_MODE = (
    "The data owner, who holds the database, can ask the CLI for exact figures with "
    "`--exact` (cells below k and their complements suppressed); that output says "
    '"exact figures for the data owner — not for publication". The dashboard and the '
    "PDF never use it."
)
