"""Every block a page draws sits under a heading with its title (issue 19; WCAG 2.4.6
headings and labels, 1.3.1 info and relationships): a table-only block had none, and a chart's
title is SVG text that assistive technology does not list as a heading."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page():
    import pandas as pd
    import plotly.graph_objects as go

    from dashboard.block import Block
    from dashboard.components import show_block

    table = pd.DataFrame({"Group": ["Woman", "Man"], "Share": ["41.0%", "59.0%"]})
    show_block(Block(title="Tier 2 spend is not shown: fewer than 5 primes report", summary="s1", table=table), "t")
    fig = go.Figure(go.Bar(x=["a"], y=[1])).update_layout(title={"text": "Women <hold> 41.0% of roles"})
    show_block(Block(title="Women <hold> 41.0% of roles", summary="s2", table=table, figure=fig), "c")


def _headings(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("<h4")]


def test_a_table_only_block_gets_a_visible_heading_and_a_chart_block_a_screen_reader_one():
    at = AppTest.from_function(_page, default_timeout=60).run()
    assert not at.exception
    table_heading, chart_heading = _headings(at)
    assert table_heading == "<h4>Tier 2 spend is not shown: fewer than 5 primes report</h4>"
    # the chart shows its title itself: its heading is for assistive technology only, and the
    # title is escaped (group names come from the data)
    assert chart_heading.startswith('<h4 style="position:absolute;') and "clip:rect(0,0,0,0)" in chart_heading
    assert chart_heading.endswith(">Women &lt;hold&gt; 41.0% of roles</h4>")
    # each heading comes before its block's summary
    values = [m.value for m in at.markdown]
    assert values.index(table_heading) < values.index("s1") < values.index(chart_heading) < values.index("s2")
