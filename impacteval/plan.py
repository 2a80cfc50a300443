"""Evaluation plans written before the data exist.

A :class:`Plan` records the primary and secondary outcomes, the groups, the
declared assignment, the intended design, the expected effect and the
follow-up times. It is saved to and read from TOML (read with the standard
library's :mod:`tomllib`; written by a small writer here, since the standard
library has no TOML writer) or JSON. ``ie.evaluate(..., plan=plan)`` reports
every deviation from the plan and Holm-adjusts planned outcomes tested
together.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from . import texts
from .errors import ArgumentError
from .notes import LangText, Note
from .roles import ASSIGNMENTS

__all__ = ["Plan"]

_DESIGNS = ("randomized", "natural_experiment", "matched_did", "did", "matched",
            "adjusted_comparison", "comparison", "benchmark", "before_after", "follow_up")


@dataclass(frozen=True, kw_only=True)
class Plan:
    """An evaluation plan (pre-registration) for one project.

    Examples
    --------
    >>> p = Plan(primary_outcome="welfare", secondary_outcomes=["work_90"],
    ...          group="group", treated="participant", control=["waitlist", "register"],
    ...          assignment="capacity_waitlist", intended_design="matched_did",
    ...          expected_effect=-2000.0, follow_up_days=[90, 180, 360])
    >>> Plan.from_toml(p.to_toml()) == p
    True
    """

    primary_outcome: str
    secondary_outcomes: list[str] = field(default_factory=list)
    group: str | None = None
    treated: Any = None
    control: list[Any] = field(default_factory=list)
    assignment: str = "unknown"
    intended_design: str | None = None
    expected_effect: float | None = None
    covariates: list[str] = field(default_factory=list)
    follow_up_days: list[int] = field(default_factory=list)
    title: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        if not self.primary_outcome:
            raise ArgumentError(Note("err_plan_primary"))
        if self.assignment not in ASSIGNMENTS:
            raise ArgumentError(Note("err_plan_value", field="assignment",
                                     value=repr(self.assignment), allowed=", ".join(ASSIGNMENTS)))
        if self.intended_design is not None and self.intended_design not in _DESIGNS:
            raise ArgumentError(Note("err_plan_value", field="intended_design",
                                     value=repr(self.intended_design),
                                     allowed=", ".join(_DESIGNS)))
        for name in ("secondary_outcomes", "control", "covariates", "follow_up_days"):
            v = getattr(self, name)
            if v is None:
                object.__setattr__(self, name, [])
            elif not isinstance(v, list):
                object.__setattr__(self, name, list(v) if isinstance(v, (tuple, set)) else [v])

    # ------------------------------------------------------------ io
    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def to_json(self, path: str | Path | None = None) -> str:
        s = json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
        if path is not None:
            Path(path).write_text(s, encoding="utf-8")
        return s

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Plan:
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ArgumentError(Note("err_plan_unknown", fields=", ".join(sorted(unknown))))
        return cls(**d)

    @classmethod
    def from_json(cls, text_or_path: str | Path) -> Plan:
        s = _read(text_or_path)
        try:
            return cls.from_dict(json.loads(s))
        except json.JSONDecodeError as exc:
            raise ArgumentError(Note("err_plan_format", fmt="JSON", detail=str(exc))) from None

    def to_toml(self, path: str | Path | None = None) -> str:
        lines = ["# impacteval evaluation plan — written before the outcome data exist"]
        for k, v in self.to_dict().items():
            lines.append(f"{k} = {_toml_value(v)}")
        s = "\n".join(lines) + "\n"
        if path is not None:
            Path(path).write_text(s, encoding="utf-8")
        return s

    @classmethod
    def from_toml(cls, text_or_path: str | Path) -> Plan:
        s = _read(text_or_path)
        try:
            return cls.from_dict(tomllib.loads(s))
        except tomllib.TOMLDecodeError as exc:
            raise ArgumentError(Note("err_plan_format", fmt="TOML", detail=str(exc))) from None

    @classmethod
    def template(cls) -> str:
        """A commented TOML template for ``impacteval plan init``."""
        return (
            "# impacteval evaluation plan — fill in BEFORE the outcome data exist\n"
            'title = "My project"\n'
            'primary_outcome = "welfare"            # the one outcome the verdict is about\n'
            'secondary_outcomes = ["work_90"]       # labelled exploratory, Holm-adjusted\n'
            'group = "group"\n'
            'treated = "participant"\n'
            'control = ["waitlist", "register"]\n'
            'assignment = "capacity_waitlist"       # randomized, lottery_waitlist, rule_cutoff,\n'
            '                                       # capacity_waitlist, self_selected, unknown\n'
            'intended_design = "matched_did"\n'
            "expected_effect = -2000.0             # in the outcome's units\n"
            'covariates = ["age", "sex", "household_size"]\n'
            "follow_up_days = [90, 180, 360]\n"
        )

    # ------------------------------------------------------------ deviations
    def deviations(self, *, outcome: str, design: str, assignment: str, covariates: Any,
                   comparison: str | None) -> list[str]:
        """Ways an evaluation departs from this plan, in plain words."""
        out: list[str] = []
        planned = [self.primary_outcome] + list(self.secondary_outcomes)
        if outcome not in planned:
            out.append(Note("dev_outcome", outcome=outcome))
        if assignment != self.assignment:
            out.append(Note("dev_assignment", got=_named(texts.ASSIGNMENT_NAMES, assignment),
                            planned=_named(texts.ASSIGNMENT_NAMES, self.assignment)))
        if self.intended_design and design != self.intended_design:
            out.append(Note("dev_design", got=_named(texts.DESIGN_NAMES, design),
                            planned=_named(texts.DESIGN_NAMES, self.intended_design)))
        if self.covariates:
            got = set(map(str, covariates or []))
            missing = [c for c in self.covariates if c not in got]
            extra = sorted(got - set(self.covariates))
            if missing:
                out.append(Note("dev_cov_missing", columns=", ".join(missing)))
            if extra:
                out.append(Note("dev_cov_extra", columns=", ".join(extra)))
        if self.control and comparison is not None and comparison not in map(str, self.control) \
                and comparison != "all others":
            out.append(Note("dev_comparison", comparison=comparison))
        return out


def _named(table: dict[str, dict[str, str]], code: str) -> LangText:
    """A design's or assignment's name in every language, for a note."""
    return LangText(**{lang: table[lang].get(code, code) for lang in table})


def _read(text_or_path: str | Path) -> str:
    if isinstance(text_or_path, Path) or (isinstance(text_or_path, str) and "\n" not in text_or_path
                                          and Path(text_or_path).exists()):
        return Path(text_or_path).read_text(encoding="utf-8")
    return str(text_or_path)


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise ArgumentError(Note("err_plan_toml_value", value=repr(v)))
