"""Suppliers matched by name: a certification list whose ids are not the vendor master's, and
one company under several vendor ids.

A certification list (a city's MBE list, a state directory) numbers firms its own way, so its
ids never meet the payment system's vendor ids. `supplier_by_name` on the certifications
mapping names the list's name column(s) instead; each list row is given to the suppliers whose
*normalised* name (normalised_name) equals one of its names. No fuzzy matching: "VALLE GRANDE"
does not match "VALLE GRANDE CONSTRUCTION", it is reported, because a wrong match would count
a company's spend as diverse.

- matched: the row's names meet exactly one normalised supplier name. That name may be held by
  several vendor ids (one company registered several times): the row certifies each of them.
- unmatched: no supplier has any of its names; ambiguous: its names meet two or more different
  supplier names (its legal name is one supplier, its DBA another). Both go to quarantine with
  the reason and the name, so `equity quality` lists them; nothing is guessed.

`parent_by_name: true` on the suppliers mapping makes vendor ids with one normalised name one
company: each gets the group's first id (in sort order) as parent_supplier_id where it has
none, so every disclosure count (companies = ultimate parents) counts the company once.

Every outcome is kept in `supplier_name_matches` (source, line, name, normalised name, outcome,
supplier ids), summarised on the quality report.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any, Callable

import pandas as pd

from .db import has_table
from .errors import DataError
from .sqlsafe import ident, literal

if TYPE_CHECKING:
    from .source_file import SourceFile

SUPPLIERS, CERTIFICATIONS = "procurement__suppliers", "procurement__certifications"
REPORT = "supplier_name_matches"
# legal forms dropped from the end of a name (repeatedly: "Acme Holdings Co Ltd" -> "acme holdings")
LEGAL_SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "llc",
        "ltd",
        "limited",
        "corp",
        "corporation",
        "co",
        "company",
        "lp",
        "llp",
        "pllc",
        "plc",
        "pc",
        "pa",
        "gmbh",
        "sa",
        "bv",
        "nv",
        "ag",
        "pty",
    }
)
UNMATCHED = "no supplier in procurement/suppliers has this name (after normalising)"
AMBIGUOUS = "names match more than one supplier name: {}"
NAME_COLUMN = "_name_{}"


def normalised_name(name: Any) -> str:
    """The comparable form of a company name: accents, case, punctuation, `&`, a leading
    "The" and trailing legal forms (Inc, LLC, Ltd, Corp ...) removed. "" for a blank name.

    "The Vanir Construction Management, Inc." and "VANIR CONSTRUCTION MANAGEMENT INC" are one
    name; "A to Z Glass & Mirror" and "A TO Z GLASS AND MIRROR" too. A name that is only a
    legal form ("Inc.") keeps it, so it never becomes blank and matches everything blank."""
    if name is None or (isinstance(name, float) and name != name):
        return ""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ").replace("+", " and ")
    text = re.sub(r"[.'`]", "", text)  # L.L.C. -> llc, O'Brien -> obrien
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words = words[:-1]
    return " ".join(words)


def by_name_columns(
    table, spec: dict[str, Any], match: Callable[[str], str | None], header: list[str], display: str
) -> list[str]:
    """The header columns `supplier_by_name` names on a certifications mapping ([] when unused).
    It replaces `supplier_id`, so mapping both is an error, as is a column not in the header."""
    what = f"mapping for '{table.key}'"
    names = spec.get("supplier_by_name")
    if names is None:
        return []
    if table.name != CERTIFICATIONS:
        raise DataError(f"{what}: supplier_by_name is for procurement/certifications only", file="equity.yml")
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise DataError(f"{what}: supplier_by_name must be a column name or a list of column names", file="equity.yml")
    if "supplier_id" in (spec.get("columns") or {}):
        raise DataError(
            f"{what}: supplier_by_name gives supplier_id from the matched suppliers; remove columns.supplier_id",
            file="equity.yml",
        )
    matched = []
    for name in names:
        column = match(name)
        if column is None:
            raise DataError(
                f"{what}: supplier_by_name refers to column '{name}', which is not in the header "
                f"(header has: {', '.join(header)})",
                file=display,
                line=1,
            )
        matched.append(column)
    return matched


def parent_by_name(table, spec: dict[str, Any], what: str) -> bool:
    value = spec.get("parent_by_name", False)
    if not isinstance(value, bool):
        raise DataError(f"{what}: parent_by_name must be true or false (got {value!r})", file="equity.yml")
    if value and table.name != SUPPLIERS:
        raise DataError(f"{what}: parent_by_name is for procurement/suppliers only", file="equity.yml")
    return value


def uses_names(config: dict[str, Any]) -> bool:
    """True when a mapping matches by name: such a build reads every procurement source again
    (the match depends on the supplier master as well as the list)."""
    mapping = config.get("mapping") or {}
    return any(isinstance(s, dict) and (s.get("supplier_by_name") or s.get("parent_by_name")) for s in mapping.values())


def _supplier_names(con) -> pd.DataFrame:
    df = con.execute(f"SELECT supplier_id, supplier_name, parent_supplier_id FROM src_{SUPPLIERS}").df()
    df["normalised"] = df["supplier_name"].map(normalised_name)
    return df[df["normalised"] != ""]


def _ensure_report(con) -> None:
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {REPORT} (file VARCHAR, line BIGINT, name VARCHAR, "
        f"normalised VARCHAR, outcome VARCHAR, supplier_ids VARCHAR)"
    )


def _append_report(con, rows: list[dict[str, Any]]) -> None:
    if rows:
        con.register(
            "_name_rows", pd.DataFrame(rows, columns=["file", "line", "name", "normalised", "outcome", "supplier_ids"])
        )
        con.execute(f"INSERT INTO {REPORT} SELECT * FROM _name_rows")
        con.unregister("_name_rows")


def group_suppliers_by_name(con, sf: "SourceFile") -> None:
    """parent_by_name: vendor ids sharing a normalised name get the group's first id as parent
    (an explicit parent_supplier_id is kept). Runs on src_ suppliers, before the parent walk."""
    if not sf.parent_by_name:
        return
    _ensure_report(con)
    df = _supplier_names(con)
    rows, links = [], []
    for key, group in df.groupby("normalised", sort=True):
        if len(group) < 2:
            continue
        ids = sorted(group["supplier_id"])
        links += [
            (sid, ids[0])
            for sid, parent in zip(group["supplier_id"], group["parent_supplier_id"])
            if sid != ids[0] and (parent is None or parent != parent)
        ]
        rows.append(
            {
                "file": sf.display,
                "line": None,
                "name": group["supplier_name"].iloc[0],
                "normalised": key,
                "outcome": "one company",
                "supplier_ids": ", ".join(ids),
            }
        )
    for sid, parent in links:
        con.execute(f"UPDATE src_{SUPPLIERS} SET parent_supplier_id = ? WHERE supplier_id = ?", [parent, sid])
    _append_report(con, rows)


def match_certifications(con, sf: "SourceFile", sources: dict[str, "SourceFile"]) -> None:
    """supplier_by_name: give each raw certification row the ids of the suppliers its names
    match; quarantine the unmatched and the ambiguous (reason and name kept)."""
    if not sf.name_columns:
        return
    if SUPPLIERS not in sources:
        raise DataError(
            "supplier_by_name matches names against procurement/suppliers, which is not supplied", file="equity.yml"
        )
    _ensure_report(con)
    ids_by_name = _supplier_names(con).groupby("normalised")["supplier_id"].apply(sorted).to_dict()
    name_cols = [NAME_COLUMN.format(i) for i in range(len(sf.name_columns))]
    raw = con.execute(f"SELECT _line, {', '.join(ident(c) for c in name_cols)} FROM raw_{CERTIFICATIONS}").df()
    pairs, quarantine, report = [], [], []
    for row in raw.itertuples(index=False):
        line, names = row[0], [n for n in row[1:] if isinstance(n, str) and n.strip()]
        keys = list(dict.fromkeys(k for k in map(normalised_name, names) if k))
        hits = [k for k in keys if k in ids_by_name]
        first = names[0] if names else ""
        if len(hits) == 1:
            pairs += [(line, sid) for sid in ids_by_name[hits[0]]]
            report.append((line, first, hits[0], "matched", ", ".join(ids_by_name[hits[0]])))
        elif not hits:
            quarantine.append((line, first, UNMATCHED))
            report.append((line, first, " | ".join(keys), "unmatched", ""))
        else:
            listed = "; ".join(f"'{k}' ({', '.join(ids_by_name[k])})" for k in hits)
            quarantine.append((line, first, AMBIGUOUS.format(listed)))
            report.append(
                (line, first, " | ".join(hits), "ambiguous", ", ".join(s for k in hits for s in ids_by_name[k]))
            )
    _append_report(
        con, [dict(zip(["line", "name", "normalised", "outcome", "supplier_ids"], r), file=sf.display) for r in report]
    )
    _apply(con, sf, pairs, quarantine)


def _apply(con, sf: "SourceFile", pairs: list[tuple[int, str]], quarantine: list[tuple[int, str, str]]) -> None:
    """Quarantine the rows without one match; copy each matched row once per supplier id."""
    table = f"raw_{CERTIFICATIONS}"
    if quarantine:
        con.register("_name_q", pd.DataFrame(quarantine, columns=["line", "value", "reason"]))
        con.execute(
            f"INSERT INTO quarantine SELECT {literal(sf.display)}, {literal(CERTIFICATIONS)}, line, "
            f"{literal(sf.name_columns[0])}, value, reason FROM _name_q"
        )
        con.unregister("_name_q")
    con.register("_name_pairs", pd.DataFrame(pairs, columns=["line", "sid"]).astype({"line": "int64", "sid": "str"}))
    others = [c for c in sf.columns if c != "supplier_id"]
    keep = ", ".join(["r._line", "p.sid AS supplier_id", *(f"r.{ident(c)}" for c in others)])
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {keep} FROM {table} r "
        f"JOIN _name_pairs p ON p.line = r._line ORDER BY r._line, p.sid"
    )
    con.unregister("_name_pairs")


def lines_loaded(con, sf: "SourceFile") -> None:
    """A matched row copied for several vendor ids is still one row of the list: the manifest
    counts rows (rows_in = rows_loaded + rows_quarantined), the copies in records_loaded."""
    if sf.name_columns:
        sf.rows_loaded = con.execute(f"SELECT count(DISTINCT _line) FROM src_{CERTIFICATIONS}").fetchone()[0]


def name_match_line(con) -> str:
    """The build's one-line account ("" without name matching): per file, rows per outcome."""
    if not has_table(con, REPORT):
        return ""
    rows = con.execute(f"SELECT file, outcome, count(*) FROM {REPORT} GROUP BY ALL ORDER BY file, outcome").fetchall()
    phrases = {
        "matched": "{} list row(s) matched",
        "unmatched": "{} unmatched",
        "ambiguous": "{} ambiguous",
        "one company": "{} name(s) held by several vendor ids, one company each",
    }
    by_file: dict[str, list[str]] = {}
    for file, outcome, count in rows:
        by_file.setdefault(file, []).append(phrases[outcome].format(count))
    return "; ".join(f"{file}: {', '.join(parts)}" for file, parts in by_file.items())
