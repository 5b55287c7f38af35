"""Financial appraisal with full sensitivity against the raw pyxirr calls it makes, measured in the same run.

    .venv/bin/python bench/finance_appraisal.py            # (a) one 25-year model, (b) the 840 demo models
    .venv/bin/python bench/finance_appraisal.py --quick    # fewer repeats, a smoke run

(a) One 25-year copper mine (2 build years, ramp-up 50/80/100%, a loan): `analyse` = appraisal (statement and
    indicators) + tornado (5 variables x 6 steps) + switching values + the three scenarios, which is what the
    detail page and the sensitivity endpoint compute within the request; also the four separate public calls.
(b) The 840 demo models (`seed_demo`'s catalogue and `opportunities.finance.demo`): each analysed once per pass,
    and each appraised once per pass (the appraisal alone is what the task and the seed store). The engine memoises
    the float and canonical text of each Decimal value it has seen; the "cold" line empties those memos before each
    pass, so it shows the cost for models whose values were never seen (the floor is the same calls either way).

The floor: every call the engine makes to pyxirr (npv, irr, mirr) is recorded with its arguments during one run,
then replayed straight against pyxirr; so the floor has the same flows and the same number of calls. The ratio is
engine time / floor time (goal <= 2x). Medians over repeats, engine and floor interleaved. No database is used:
the reference rows come from fixtures/*.json as unsaved instances. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.base")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")  # nothing is stored; models are only instantiated

import django  # noqa: E402

django.setup()

import pyxirr  # noqa: E402

from opportunities.finance import appraise, indicators, scenarios, switching_values, tornado  # noqa: E402
from opportunities.finance.inputs import Loan, ModelInputs, YearLine, forget_values  # noqa: E402
from opportunities.finance.sensitivity import analyse  # noqa: E402

D = Decimal


def out(line: str = "") -> None:
    sys.stdout.write(f"{line}\n")
    sys.stdout.flush()


def copper_mine() -> ModelInputs:
    """A 25-year copper concentrate mine in USD: 2 build years, ramp-up 50/80/100%, sustaining capex, one loan."""
    capex = {0: D("120000000"), 1: D("180000000"), 12: D("25000000"), 18: D("25000000")}
    years = []
    for t in range(25):
        common = {"year_index": t, "fixed_investment": capex.get(t, D(0))}
        if t < 2:
            years.append(YearLine(**common, pre_production=D("10000000") if t == 0 else D(0), equity=D("65000000")))
            continue
        volume = D("100000") * {2: D("0.5"), 3: D("0.8")}.get(t, D(1))
        years.append(
            YearLine(
                **common,
                production_volume=volume,
                unit_price=D("2400"),
                variable_cost_per_unit=D("950"),
                fixed_operating_cost=D("35000000"),
                working_capital=volume * D("288"),
            )
        )
    loan = Loan(amount=D("180000000"), annual_rate=D("0.075"), tenor_years=10, grace_years=3, drawdown_year=1)
    return ModelInputs(
        currency="USD",
        base_year=2026,
        horizon_years=25,
        discount_rate=D("0.10"),
        tax_rate=D("0.25"),
        useful_life_years=10,
        years=tuple(years),
        loans=(loan,),
        capacity_volume=D("100000"),
    )


def fixture_rows(name: str, model, **renames) -> list:
    """Unsaved instances of one model from fixtures/<name>.json (foreign keys renamed to their *_id columns)."""
    found = []
    for item in json.loads((ROOT / "fixtures" / f"{name}.json").read_text()):
        if item["model"] == f"registry.{model.__name__.lower()}":
            found.append(model(pk=item["pk"], **{renames.get(k, k): v for k, v in item["fields"].items()}))
    return found


def demo_inputs() -> list[ModelInputs]:
    """The 840 demo opportunities and their models, built from the fixtures without a database."""
    from opportunities.demo import build_opportunities
    from opportunities.finance.demo import build_drafts
    from opportunities.finance.selectors import model_inputs
    from registry.models import Commodity, County, Currency, Event, Province, Sector

    rows = fixture_rows
    provinces = rows("provinces", Province)
    west = next(p for p in provinces if p.code == "WA")
    counties = [c for c in rows("counties", County, province="province_id") if c.province_id == west.pk]
    for county in counties:
        county.province = west
    sectors = rows("sectors", Sector, parent="parent_id")
    commodities = rows("commodities", Commodity, sector="sector_id")
    currencies = rows("currencies", Currency)
    event = rows("events", Event, province="province_id")[0]
    event.starts_on, event.ends_on = (datetime.date.fromisoformat(day) for day in (event.starts_on, event.ends_on))
    rates = {"USD": D(1), "IRR": D("1100000"), "EUR": D("0.87"), "AED": D("3.6725"), "CNY": D("7.12"), "TRY": D("42")}
    opportunities = build_opportunities(
        count=840,
        mining_count=169,
        province=west,
        counties=counties,
        sectors=sectors,
        commodities=commodities,
        currencies=currencies,
        event=event,
        units_per_usd=rates,
        seed=1404,
        year=2025,
        reference_counters={},
    )
    drafts = build_drafts(opportunities=opportunities, rates=rates, seed=1404)
    return [model_inputs(model=d.model, years=d.years, loans=d.loans) for d in drafts]


class Recorder:
    """Stands in for the pyxirr module inside the engine and writes down every call with its arguments."""

    def __init__(self) -> None:
        self.calls: list[tuple[Callable, tuple, dict]] = []

    def __getattr__(self, name: str):
        real = getattr(pyxirr, name)
        if name not in {"npv", "irr", "mirr"}:
            return real

        def record(*args, **kwargs):
            self.calls.append((real, tuple(list(a) if isinstance(a, list) else a for a in args), dict(kwargs)))
            return real(*args, **kwargs)

        return record


def record_calls(work: Callable[[], object]) -> list[tuple[Callable, tuple, dict]]:
    """Every pyxirr call one run of `work` makes, with its arguments: the floor replays exactly these."""
    recorder = Recorder()
    indicators.pyxirr = recorder
    try:
        work()
    finally:
        indicators.pyxirr = pyxirr
    return recorder.calls


def replay(calls: list[tuple[Callable, tuple, dict]]) -> None:
    """The floor: the recorded calls straight against pyxirr, nothing else."""
    for function, args, kwargs in calls:
        function(*args, **kwargs)


def timed(work: Callable[[], object], number: int) -> tuple[float, float]:
    """Wall and CPU seconds per call, over `number` calls with the garbage collector paused.

    CPU time (this process only) is printed beside wall time because on a shared machine other processes stretch
    wall time, and not equally for the engine and the floor.
    """
    gc.disable()
    try:
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(number):
            work()
        return (time.perf_counter() - started) / number, (time.process_time() - cpu) / number
    finally:
        gc.enable()


def compare(name: str, work: Callable[[], object], *, number: int, repeats: int) -> None:
    """Engine and floor medians, interleaved repeat by repeat so that both see the same machine load."""
    calls = record_calls(work)
    counts = Counter(function.__name__ for function, _args, _kwargs in calls)
    engine, floor = [], []
    for _ in range(repeats):
        engine.append(timed(work, number))
        floor.append(timed(lambda: replay(calls), number))
    e, f = (statistics.median(wall for wall, _ in runs) for runs in (engine, floor))
    ec, fc = (statistics.median(cpu for _, cpu in runs) for runs in (engine, floor))
    walls = [wall for wall, _ in engine]
    mix = ", ".join(f"{counts[n]} {n}" for n in ("npv", "irr", "mirr"))
    out(f"{name}")
    out(f"  pyxirr calls per run: {len(calls)} ({mix})")
    out(f"  engine  median {e * 1e6:10.1f} us   (min {min(walls) * 1e6:.1f}, max {max(walls) * 1e6:.1f})")
    out(f"  floor   median {f * 1e6:10.1f} us   (raw pyxirr, same flows and calls)")
    out(f"  ratio   {e / f:.2f}x wall, {ec / fc:.2f}x CPU   (goal <= 2x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    options = parser.parse_args()
    repeats = 3 if options.quick else 9

    out(f"Python {sys.version.split()[0]}, pyxirr {pyxirr.__version__ if hasattr(pyxirr, '__version__') else '?'}")
    mine = copper_mine()
    out("(a) one 25-year model with full sensitivity")
    compare("  analyse(): appraisal + tornado + switching values + scenarios", lambda: analyse(inputs=mine),
            number=200 if options.quick else 1000, repeats=repeats)  # fmt: skip

    def separate():
        appraise(inputs=mine)
        tornado(inputs=mine)
        switching_values(inputs=mine)
        scenarios(inputs=mine)

    number = 200 if options.quick else 500
    compare("  the four public calls one after another", separate, number=number, repeats=repeats)

    all_demo_models(repeats=repeats)


def all_demo_models(*, repeats: int) -> None:
    """(b): analyse() and appraise() of every demo model, warm and with the per-value memos emptied."""
    started = time.perf_counter()
    models = demo_inputs()
    out(f"(b) all {len(models)} demo models (built in {time.perf_counter() - started:.2f} s, "
        f"horizons {min(m.horizon_years for m in models)}-{max(m.horizon_years for m in models)} years)")  # fmt: skip

    def everything():
        for inputs in models:
            analyse(inputs=inputs)

    compare(f"  analyse() of each of the {len(models)} models, per pass", everything, number=1, repeats=repeats)

    def everything_cold():
        forget_values()
        everything()

    compare("  the same with the per-value memos emptied before each pass (cold)", everything_cold, number=1,
            repeats=repeats)  # fmt: skip

    def appraisals():
        for inputs in models:
            appraise(inputs=inputs)

    compare(f"  appraise() only (what the task and the seed store), {len(models)} models", appraisals,
            number=1, repeats=repeats)  # fmt: skip


if __name__ == "__main__":
    main()
