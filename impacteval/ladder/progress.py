"""A progress line on the terminal while the ladder climbs: the design being computed,
its outcome and comparison group, and k/N designs done, in English or Swedish.

A plain line rewritten with a carriage return (no dependency); it is cleared when the
ladder is done. Written here because the ladder's loop is the only place that knows
which design runs; the command line (``impacteval evaluate``) turns it on when standard
error is a terminal.
"""

from __future__ import annotations

import sys
import time
from typing import IO, Any

from .. import texts

__all__ = ["Progress"]

_TEXTS = {
    "en": {"head": "impacteval: evaluating", "comparison": "comparison group"},
    "sv": {"head": "impacteval: utvärderar", "comparison": "jämförelsegrupp"},
}


class Progress:
    """``k/N`` designs done; :meth:`step` before each design, :meth:`close` at the end.

    Parameters
    ----------
    lang : {"en", "sv"}
        Language of the line.
    stream : file, optional
        Where to write (standard error by default).
    """

    def __init__(self, lang: str = "en", stream: IO[str] | None = None) -> None:
        self.lang = lang if lang in _TEXTS else "en"
        self.stream = sys.stderr if stream is None else stream
        self.total = 0
        self.done = 0
        self.t0 = time.perf_counter()
        self._width = 0

    def step(self, design: str, outcome: Any, label: str | None) -> None:
        """Say that ``design`` is being computed (for ``outcome`` and comparison ``label``)."""
        self.done += 1
        T = _TEXTS[self.lang]
        name = texts.design_name(design, self.lang)
        where = f"{outcome}" + (f", {T['comparison']} {label}" if label is not None else "")
        secs = time.perf_counter() - self.t0
        line = f"{T['head']} {self.done}/{max(self.total, self.done)}: {name} ({where}) " \
               f"[{secs:.0f} s]"
        pad = " " * max(0, self._width - len(line))
        self._width = len(line)
        self.stream.write("\r" + line + pad)
        self.stream.flush()

    def close(self) -> None:
        """Clear the line."""
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
        self._width = 0
