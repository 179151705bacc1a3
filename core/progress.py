"""A small progress bar for long management commands (rebuilding the index, importing, seeding).

It writes one self-rewriting line to stderr, and only where someone watches: when stderr is a terminal, or
when the command was given ``--progress``. Piped output, cron mail and tests stay quiet, and stdout keeps
only the command's result.

    bars = command_progress(self, options)          # in a command's handle()
    with bars("Indexing", total=count) as bar:
        for batch in batches:
            ...
            bar.advance(len(batch))

Library code takes a ``progress`` argument (a factory like ``bars``) that defaults to ``no_progress``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from django.core.management.base import OutputWrapper

T = TypeVar("T")
BAR_WIDTH = 28
REDRAW_SECONDS = 0.1


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    """One bar: ``label [#####-----] done/total pct% elapsed (left)``; with no total, a count and the time."""

    def __init__(self, label: str, total: int | None = None, *, stream=None, enabled: bool | None = None):
        self.label = label
        self.total = total if total is None else max(0, int(total))
        self.done = 0
        self.stream = sys.stderr if stream is None else stream
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        if self.total == 0:  # nothing to do: no line at all
            self.enabled = False
        self.started = time.monotonic()
        self._drawn_at = 0.0
        self._width = 0
        self._closed = False

    def __enter__(self) -> Progress:
        self._draw(force=True)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close()

    def advance(self, count: int = 1) -> None:
        self.update(self.done + count)

    def update(self, done: int) -> None:
        self.done = done
        self._draw(force=self.total is not None and done >= self.total)

    def iterate(self, items: Iterable[T]) -> Iterator[T]:
        for item in items:
            yield item
            self.advance()

    def close(self) -> None:
        """Draw the last state and end the line (also after an error, so the next message starts clean)."""
        if self._closed:
            return
        if self.enabled:
            self._draw(force=True)
            self._write("\n")
        self._closed = True

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        if not self.total:
            return f"{self.label}  {self.done}  {_duration(elapsed)}"
        fraction = min(1.0, self.done / self.total)
        filled = int(BAR_WIDTH * fraction)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        text = f"{self.label}  [{bar}] {self.done}/{self.total} {fraction:4.0%}  {_duration(elapsed)}"
        if 0 < fraction < 1 and elapsed >= 1:
            text += f" ({_duration(elapsed / fraction - elapsed)} left)"
        return text

    def _draw(self, *, force: bool = False) -> None:
        if not self.enabled or self._closed:
            return
        now = time.monotonic()
        if not force and now - self._drawn_at < REDRAW_SECONDS:
            return
        self._drawn_at = now
        text = self.line()
        padding = " " * max(0, self._width - len(text))  # rub out what a longer line left
        self._width = len(text)
        self._write("\r" + text + padding)

    def _write(self, text: str) -> None:
        if isinstance(self.stream, OutputWrapper):  # a command's self.stderr: no added newline, no colour
            self.stream.write(text, style_func=str, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()


ProgressFactory = Callable[..., Progress]


def no_progress(label: str, total: int | None = None) -> Progress:
    return Progress(label, total, enabled=False)


def progress_bars(*, stream=None, force: bool = False) -> ProgressFactory:
    """Bars on ``stream`` (stderr by default), shown if it is a terminal or ``force`` is set."""
    target = sys.stderr if stream is None else stream
    enabled = force or _is_terminal(target)

    def bars(label: str, total: int | None = None) -> Progress:
        return Progress(label, total, stream=target, enabled=enabled)

    return bars


def add_progress_argument(parser) -> None:
    parser.add_argument(
        "--progress",
        action="store_true",
        help="Show a progress bar on stderr even when it is not a terminal (it is shown on a terminal anyway).",
    )


def command_progress(command, options: dict) -> ProgressFactory:
    """The bars for a management command: on its stderr, forced by ``--progress``."""
    return progress_bars(stream=command.stderr, force=bool(options.get("progress")))
