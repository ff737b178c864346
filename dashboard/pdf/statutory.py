"""The PDF's statutory section: one part per rule pack selected in equity.yml `reporting:`,
in the authority's layout and rounding, headed by the pack and its version (the same tables as
`equity report NAME`). A pack whose data is missing says so instead of stopping the snapshot."""

from __future__ import annotations

import logging

from pipelines.errors import EquityError
from pipelines.families.pay.statutory.report import layout_tables, run_pack, withheld_reasons
from pipelines.rules import selected_packs

from . import html as H

log = logging.getLogger(__name__)


def statutory_section(con, config) -> str:
    """HTML for every selected pack ('' when none is selected)."""
    packs = selected_packs(config)
    if not packs:
        return ""
    parts = [
        '<h1 class="section">Statutory reports</h1>'
        "<p>Each report follows its rule pack (docs/rules.md): the law's own definitions, minimum "
        "counts and rounding, for the whole organisation; no figure rests on fewer people than the "
        "privacy threshold.</p>"
    ]
    for pack in packs:
        try:
            report = run_pack(con, pack.name)
        except EquityError as exc:
            log.warning("statutory report %s not produced: %s", pack.name, exc)
            parts.append(
                f"<h2>{H.esc(pack.title)}</h2><p>Rule pack {H.esc(pack.label)}: not produced - {H.esc(exc)}</p>"
            )
            continue
        parts.append(
            f"<h2>{H.esc(pack.title)}</h2><p>{H.esc(report.period)}; rule pack "
            f"{H.esc(pack.label)}; {H.esc(pack.spec['law'])}.</p>"
        )
        for section, frame in layout_tables(report):
            parts.append(H.table(frame, section))
        notes = report.notes + [f"Withheld: {w}" for w in withheld_reasons(report)]
        if notes:
            parts.append('<ul class="findings">' + "".join(f"<li>{H.esc(n)}</li>" for n in notes) + "</ul>")
    return "".join(parts)
