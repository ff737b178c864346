"""The dashboard's pages in navigation order, and where each page's file is (free of st.*:
the router, the tests and the benchmarks read it). A family's page lives in its package,
dashboard/families/<family>/page_<name>.py; the pages that are no family's (Overview, Data
quality, Methodology) live in app_pages/<name>.py."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent

PAGES = [  # (page name, family or None, title, icon), in the navigation's order
    ("overview", None, "Overview", ":material/dashboard:"),
    ("workforce", "workforce", "Workforce", ":material/groups:"),
    ("retention", "workforce", "Retention", ":material/timeline:"),
    ("hiring", "hiring", "Hiring", ":material/person_search:"),
    ("pay", "pay", "Pay equity", ":material/payments:"),
    ("suppliers", "suppliers", "Suppliers", ":material/storefront:"),
    ("voice", "voice", "Employee voice", ":material/forum:"),
    ("commitments", "commitments", "Commitments", ":material/flag:"),
    ("data_quality", None, "Data quality", ":material/fact_check:"),
    ("methodology", None, "Methodology", ":material/menu_book:"),
]


def page_file(name: str, family: str | None) -> Path:
    """The page's file: in its family's package, or app_pages/ for a page of no family."""
    return ROOT / "families" / family / f"page_{name}.py" if family else ROOT / "app_pages" / f"{name}.py"


def page_path(name: str) -> str:
    """The page's file relative to the router (what AppTest.switch_page takes)."""
    family = next(f for n, f, _, _ in PAGES if n == name)
    return page_file(name, family).relative_to(ROOT).as_posix()
