"""Present value of yearly flows (scalars, arrays, or one row of yearly flows per draw).

Written by hand: discounting per-draw arrays of yearly flows is a matrix product that no
dependency offers with these checks.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from ..errors import ArgumentError
from ..notes import Note
from ._common import _array, _check_timing, _discount_factors, _rate

#: The longest horizon (years) :func:`present_value` accepts by default. A social
#: investment's savings are counted over 5–20 years; a horizon of a billion years is a typing
#: error, and would take minutes. Raise it with ``max_horizon=``.
MAX_HORIZON: int = 1_000

# ---------------------------------------------------------------- present value
def present_value(
    flows: ArrayLike,
    rate: float = 0.035,
    timing: Literal["end", "start"] = "end",
    *,
    horizon: int | None = None,
    max_horizon: int = MAX_HORIZON,
) -> float | np.ndarray:
    """Present value of a stream of yearly savings or costs.

    Parameters
    ----------
    flows : float, 1-D or 2-D array_like
        ``flows[i]`` is the flow of year ``i + 1``. A 2-D array has one row per
        draw (e.g. bootstrap draw) and one column per year; each row is
        discounted separately. A single number is the flow of year 1, or,
        with ``horizon``, the same flow every year for ``horizon`` years.
    rate : float, default 0.035
        Yearly real discount rate (3.5 % is a common Swedish default). Must be
        greater than -1.
    timing : {"end", "start"}, default "end"
        ``"end"``: year ``i + 1``'s flow is discounted by ``(1 + rate)**-(i + 1)``
        (flows at the end of each year); ``"start"``: by ``(1 + rate)**-i``
        (the first year's flow is not discounted).
    horizon : int, optional
        Number of years to count. With an array, only the first ``horizon``
        years are used (the array must cover them); with a single number, the
        flow is repeated for ``horizon`` years. Default: every year given.

    Returns
    -------
    float or ndarray
        One present value, or one per draw (shape ``(n_draws,)``) for 2-D flows.

    Raises
    ------
    ArgumentError
        Empty or non-finite flows, ``rate <= -1``, an unknown ``timing``, a
        ``horizon`` longer than the flows given, or longer than ``max_horizon``.

    Examples
    --------
    >>> from impacteval.economics import present_value
    >>> round(present_value([1_000_000] * 5, rate=0.035), 2)
    4515052.38
    >>> round(present_value(1_000_000, rate=0.035, horizon=5, timing="start"), 2)
    4673079.21
    """
    func = "present_value"
    r = _rate(rate, func=func)
    _check_timing(timing, func=func)
    a = _array(flows, "flows", func=func)
    if horizon is not None:
        if isinstance(horizon, (bool, np.bool_)) or not isinstance(horizon, (int, np.integer)):
            raise ArgumentError(Note("err_econ_horizon_whole", value=repr(horizon)))
        if horizon < 1:
            raise ArgumentError(Note("err_econ_horizon_min", value=repr(horizon)))
        if horizon > max_horizon:
            raise ArgumentError(Note("err_econ_horizon_max", value=int(horizon),
                                     limit=max_horizon))
    if a.ndim == 0:
        years = 1 if horizon is None else int(horizon)
        return float(float(a) * _discount_factors(years, r, timing).sum())
    n_years = a.shape[-1]
    if horizon is None and n_years > max_horizon:
        raise ArgumentError(Note("err_econ_flows_long", n=n_years, limit=max_horizon))
    if horizon is not None:
        if horizon > n_years:
            raise ArgumentError(Note("err_econ_flows_short", value=int(horizon), n=n_years))
        a = a[..., : int(horizon)]
        n_years = int(horizon)
    d = _discount_factors(n_years, r, timing)
    pv = a @ d
    return float(pv) if a.ndim == 1 else np.asarray(pv, dtype=float)


