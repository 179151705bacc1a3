from core.charts import bar_chart


def test_bar_chart_scales_and_escapes():
    svg = str(bar_chart([("<script>x</script>", 3), ("好", 1), ("无", 0)], title='a"b'))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "a&quot;b" in svg
    assert 'width="180"' in svg and 'width="60"' in svg and 'width="0"' in svg
    assert "&lt;scrip…" in svg  # long labels shortened, the full label in the bar's tooltip
    assert "3 (75%)" in svg and "0 (0%)" in svg


def test_bar_chart_without_data():
    svg = str(bar_chart([("1", 0), ("2", 0)], title="t"))
    assert 'width="0"' in svg and "(0%)" not in svg
