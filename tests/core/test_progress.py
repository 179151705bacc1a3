"""The progress bar of long commands: on stderr, only for a terminal or with --progress; quiet otherwise."""

import io

import pytest
from django.core.management import call_command

from core.progress import Progress, progress_bars
from tests.factories import make_disclosure


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_quiet_when_nobody_watches():
    stream = io.StringIO()
    with progress_bars(stream=stream)("Indexing", 10) as bar:
        for _ in bar.iterate(range(10)):
            pass
    assert stream.getvalue() == ""


def test_a_terminal_gets_a_bar_that_ends_its_line():
    stream = Terminal()
    with progress_bars(stream=stream)("Indexing", 4) as bar:
        bar.advance(2)
        bar.update(4)
    out = stream.getvalue()
    assert out.startswith("\r") and out.endswith("\n")
    last = out.rstrip("\n").split("\r")[-1]
    assert last.startswith("Indexing  [" + "#" * 28 + "] 4/4 100%")


def test_forced_bar_unknown_total_and_nothing_to_do():
    stream = io.StringIO()
    with Progress("Reading", None, stream=stream, enabled=True) as bar:
        bar.advance(3)
    assert stream.getvalue().rstrip("\n").split("\r")[-1].startswith("Reading  3  0:00")
    empty = Terminal()
    with Progress("Reading", 0, stream=empty) as bar:
        pass
    assert empty.getvalue() == ""  # nothing to do: no line


def test_the_bar_ends_its_line_after_an_error():
    stream = Terminal()
    with pytest.raises(RuntimeError), progress_bars(stream=stream)("Indexing", 5) as bar:
        bar.advance()
        raise RuntimeError("disk full")
    assert stream.getvalue().endswith("\n") and "1/5" in stream.getvalue()


@pytest.mark.django_db
def test_rebuild_search_index_is_quiet_in_tests_and_shows_the_bar_with_progress():
    for n in range(3):
        make_disclosure(title=f"2024年预算公开{n}")
    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=err)
    assert err.getvalue() == "" and "Indexed 3 published disclosures" in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_search_index", "--progress", stdout=out, stderr=err)
    assert "Indexing  [" + "#" * 28 + "] 3/3 100%" in err.getvalue()
    assert "\r" not in out.getvalue() and "Indexed 3 published disclosures" in out.getvalue()


@pytest.mark.django_db
def test_import_and_demo_report_commands_show_progress_on_request(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_annual_report",
        "demo/data/annual-report-2021-2022.txt",
        "--year",
        "2021",
        "--progress",
        stdout=out,
        stderr=err,
    )
    assert "Importing annual-report-2021-2022.txt" in err.getvalue() and "2/2 100%" in err.getvalue()
    assert "Imported 2021-2022" in out.getvalue()
    err = io.StringIO()
    call_command("load_demo_reports", "--progress", stdout=io.StringIO(), stderr=err)
    # The 2021 one is there; one compiled report for every academic year the demo covers is added.
    assert "Adding demo reports" in err.getvalue() and "3/3 100%" in err.getvalue()
