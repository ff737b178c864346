"""docs/metrics.md, from the metric registry (every family's metrics.yml) and defaults.yml."""

from __future__ import annotations

from ..config import default_config
from ..metrics import dimension_sets, families, registry
from .markdown import GENERATED, cell


def metrics_markdown() -> str:
    """docs/metrics.md: the shared output and protection rules, the dimension sets, then every
    family's metrics and analyses."""
    from ..privacy import wording

    k = default_config()["privacy"]["k"]
    out = [
        GENERATED.format(src="the metric registry (pipelines/metrics/*.yml)"),
        "",
        "# Metric reference",
        "",
        "Every metric returns the same long table: `metric, period_start, period_end, period, "
        "dimensions, group, numerator, denominator, value, ci_low, ci_high, n, suppressed, note`. "
        "The overall row has `dimensions = ''` and `group = 'All'`; a breakdown by up to three "
        "dimensions also returns every coarser breakdown (its margins).",
        "",
        f"**Protection (every published output).** {wording.summary(k)} The rule each metric's "
        "value follows is listed per metric (`count`: the protected count; `ratio`: protected "
        "numerator over protected denominator; `gap`: the gap of protected means; `own`: the "
        "figure itself perturbed as a magnitude). Details and limits: [privacy.md](privacy.md). "
        "With `--exact` the data owner gets exact figures with n<k and complementary suppression "
        "(cells hidden until no hidden value can be worked out from the totals of that table).",
        "",
        "**Periods.** Years (fiscal-year start from config), quarters or months, clipped to the data "
        "window; a clipped period is marked `partial period`. Published output uses whole periods "
        "(or the whole data window); custom ranges are for `--exact`.",
        "",
    ]
    out += [
        "## Dimensions",
        "",
        "Each metric accepts the dimensions of its data (listed per metric below); these are the sets.",
        "",
    ]
    for set_name, dims in dimension_sets().items():
        out += [f"**{set_name}**", "", "| dimension | meaning |", "|---|---|"]
        out += [f"| `{d}` | {cell(desc)} |" for d, desc in dims.items()]
        out.append("")
    specs = registry()
    for fam, meta in families().items():
        out += [f"## {meta['title']}", "", meta["description"], ""]
        out += analysis_markdown(meta.get("conventions") or [])  # stated once, before the metrics
        for spec in [s for s in specs.values() if s.family == fam]:
            out += metric_section(spec)
        out += analysis_markdown(meta.get("analyses") or [])
    return "\n".join(out).rstrip() + "\n"


def metric_section(spec) -> list[str]:
    """One metric's lines in docs/metrics.md: its definition, then a bullet per field; the
    optional fields (None here) only where the registry gives them."""
    from ..privacy.protect import value_rule

    better = "" if spec.higher_is_better is None else f" ({'higher' if spec.higher_is_better else 'lower'} is better)"
    shown = spec.display and (
        f"{spec.display.page.replace('_', ' ').capitalize()} page, "
        f'"{spec.display.section}" ({spec.display.chart} chart, from its registry `display:` hint)'
    )
    per_person = ", ".join(f"`{t}`" for t in spec.extra.get("needs_individual_rows") or ())
    bullets = [
        ("Formula", f"{spec.formula}"),
        ("Unit", f"{spec.unit}{better}"),
        ("Numerator", spec.numerator or None),
        ("Denominator", spec.denominator or None),
        ("n (hidden below k)", f"{spec.n}"),
        ("Protected value", f"`{value_rule(spec)}`"),
        ("Uncertainty", f"{spec.ci_method}"),
        ("Breakdowns", ", ".join(f"`{d}`" for d in spec.dimensions) or "none"),
        ("Notes", spec.notes or None),
        ("Shown", shown or None),
        (
            "Needs one row per person",
            (
                f"refused when {per_person} was read from aggregated rows "
                "(`weight` in the mapping, [data_contract.md](data_contract.md))."
            )
            if per_person
            else None,
        ),
        *(("Reference", ref) for ref in spec.references),
    ]
    lines = [f"- **{label}:** {text}" for label, text in bullets if text is not None]
    return [f"### `{spec.name}` - {spec.title}", "", spec.definition, "", *lines, ""]


def analysis_markdown(analyses: list[dict]) -> list[str]:
    """A family's analyses (built on its metrics): text, then the settings with their defaults."""
    defaults = default_config()
    out = []
    for analysis in analyses:
        out += [f"### {analysis['title']}", "", analysis["text"].strip(), ""]
        rows = []
        for key in analysis.get("settings", []):
            section, _, name = key.rpartition(".")
            value = (defaults[section] if section else defaults["pay"])[name]
            rows.append(f"| `{section or 'pay'}.{name}` | {cell(value)} |")
        if rows:
            out += ["| setting | default |", "|---|---|", *rows, ""]
    return out
