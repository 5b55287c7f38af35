"""Deterministic demo opportunities: the catalogue INOVA 2025 presented, rebuilt from the words the news used.

Why a generator and not a fixture: the demo needs 840 plausible rows (169 in mining) whose numbers hang together
(capex in the right currency and size, jobs that grow with capex, reserves only for mining), and the benchmark needs
the same kind of rows by the hundred thousand. So the rows are composed from templates with `random.Random(seed)`:
the same arguments always give the same rows, and `iter_opportunities` yields them one by one so memory stays flat.

Nothing here touches the database. Callers pass the reference rows (province, counties, sectors, commodities,
currencies, event) and the exchange rates; every related object is attached as an instance, so building the search
key and the reference costs no query. References are numbered here, per prefix, so the caller can `bulk_create`
and then move `ReferenceCounter` on to the last numbers used (`reference_counters` is advanced in place).
"""

import datetime
import html
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate
from typing import NamedTuple

from registry.models import Commodity, County, Currency, Event, Province, Sector
from registry.text import format_amount_en, format_amount_fa, to_persian_digits
from registry.units import unit_name

from .choices import LandStatus, LicenceStatus, OpportunityType, PermitStatus, Stage, Status
from .models import Opportunity
from .services import opportunity_search_key, reference_prefix

T = OpportunityType
CENT = Decimal("0.01")
MILLION = Decimal(1_000_000)

# The INOVA catalogue's own proportion (169 of 840), used when the caller does not fix the mining count.
DEFAULT_MINING_SHARE = (169, 840)

# Which kinds of opportunity make sense for a template: a hotel is never "revived", a mine is explored or transferred.
IND = (T.GREENFIELD, T.EXPANSION, T.COMPLETION, T.REVIVAL, T.JOINT_VENTURE, T.PRIVATISATION)
AGR = (T.GREENFIELD, T.EXPANSION, T.COMPLETION, T.REVIVAL)
PUB = (T.GREENFIELD, T.PPP, T.COMPLETION, T.JOINT_VENTURE)
SRV = (T.GREENFIELD, T.EXPANSION, T.COMPLETION, T.JOINT_VENTURE)
PIT = (T.EXPLORATION, T.GREENFIELD, T.PRIVATISATION, T.JOINT_VENTURE)
NEW = (T.GREENFIELD, T.EXPANSION, T.JOINT_VENTURE)

# Greenfield projects dominate, as in the INOVA catalogue; completion and revival follow the province's priorities.
TYPE_WEIGHTS = {
    T.GREENFIELD: 40,
    T.EXPANSION: 10,
    T.COMPLETION: 11,
    T.REVIVAL: 10,
    T.JOINT_VENTURE: 6,
    T.PRIVATISATION: 3,
    T.PPP: 16,
    T.EXPLORATION: 30,
}


class Template(NamedTuple):
    """One kind of project; `place` is the facility (plant, farm, hotel) and `act` what it does or makes."""

    sector: str
    commodity: str
    place_fa: str
    act_fa: str
    place_en: str
    act_en: str
    unit: str
    capacity: tuple[int, int]
    usd_k: tuple[int, int]  # capex range in thousands of US dollars
    where: tuple[str, ...] = ()  # preferred West Azerbaijan counties (code suffixes)
    types: tuple[str, ...] = IND
    weight: int = 1
    labour: float = 1.0
    strict: bool = False  # names a West Azerbaijan place: only there, only in `where`
    green_fa: str = "احداث"
    green_en: str = ""


# fmt: off
_MINE = {"types": PIT, "green_fa": "بهره‌برداری از", "green_en": " development", "labour": 1.3}

MINING_TEMPLATES = (
    Template("MIN.MET", "iron-ore", "کارخانه", "فرآوری سنگ آهن", "plant", "iron ore processing", "tonnes/year",
             (200_000, 2_000_000), (8_000, 150_000), ("SHD", "TKB", "CHL", "KHY"), IND, 3),
    Template("MIN.MET", "iron-ore", "کارخانه", "تولید کنسانتره سنگ آهن", "plant", "iron ore concentrate",
             "tonnes/year", (300_000, 3_000_000), (15_000, 250_000), ("SHD", "TKB"), IND, 2),
    Template("MIN.MET", "iron-ore", "معدن", "سنگ آهن", "mine", "iron ore", "tonnes/year",
             (100_000, 1_500_000), (3_000, 60_000), ("SHD", "TKB", "CHL"), weight=2, **_MINE),
    Template("MIN.MET", "copper", "واحد", "تولید کنسانتره مس", "unit", "copper concentrate", "tonnes/year",
             (50_000, 500_000), (20_000, 300_000), ("MHB", "NQD", "SRD", "PRS"), IND, 3),
    Template("MIN.MET", "copper", "معدن", "مس", "mine", "copper", "tonnes/year",
             (200_000, 3_000_000), (5_000, 120_000), ("MHB", "NQD", "SRD", "OSH"), weight=2, **_MINE),
    Template("MIN.MET", "gold", "کارخانه", "استحصال طلا", "plant", "gold extraction", "kg/year",
             (100, 3_000), (10_000, 200_000), ("TKB", "SHD", "CHB"), IND, 3),
    Template("MIN.MET", "gold", "معدن", "طلا", "mine", "gold", "tonnes/year",
             (100_000, 1_000_000), (5_000, 90_000), ("TKB", "SHD"), weight=3, **_MINE),
    Template("MIN.MET", "lead-zinc", "کارخانه", "فرآوری سرب و روی", "plant", "lead and zinc processing",
             "tonnes/year", (30_000, 300_000), (5_000, 120_000), ("TKB", "MHB", "KHY"), IND, 2),
    Template("MIN.MET", "lead-zinc", "معدن", "سرب و روی", "mine", "lead and zinc", "tonnes/year",
             (50_000, 500_000), (2_000, 40_000), ("TKB", "MHB"), weight=2, **_MINE),
    Template("MIN.MET", "chromite", "واحد", "فرآوری کرومیت", "unit", "chromite processing", "tonnes/year",
             (20_000, 200_000), (2_000, 40_000), ("KHY", "SLM", "CHP")),
    Template("MIN.MET", "chromite", "معدن", "کرومیت", "mine", "chromite", "tonnes/year",
             (20_000, 150_000), (1_000, 15_000), ("KHY", "CHP"), **_MINE),
    Template("MIN.MET", "manganese", "معدن", "منگنز", "mine", "manganese", "tonnes/year",
             (20_000, 150_000), (1_000, 12_000), ("NQD", "PRS"), **_MINE),
    Template("MIN.MET", "antimony", "معدن", "آنتیموان", "mine", "antimony", "tonnes/year",
             (5_000, 50_000), (800, 10_000), ("TKB",), **_MINE),
    Template("MIN.NMT", "kaolin", "کارخانه", "فرآوری کائولن", "plant", "kaolin processing", "tonnes/year",
             (50_000, 300_000), (1_000, 20_000), ("TKB", "MHB", "URM"), IND, 2),
    Template("MIN.NMT", "kaolin", "معدن", "کائولن", "mine", "kaolin", "tonnes/year",
             (30_000, 200_000), (500, 6_000), ("TKB", "MHB"), **_MINE),
    Template("MIN.NMT", "barite", "واحد", "تولید پودر میکرونیزه باریت", "unit", "micronised barite powder",
             "tonnes/year", (20_000, 150_000), (600, 10_000), ("MHB", "NQD", "URM"), IND, 2),
    Template("MIN.NMT", "barite", "معدن", "باریت", "mine", "barite", "tonnes/year",
             (10_000, 100_000), (500, 5_000), ("MHB", "NQD"), **_MINE),
    Template("MIN.NMT", "feldspar", "واحد", "فرآوری فلدسپات", "unit", "feldspar processing", "tonnes/year",
             (20_000, 150_000), (600, 8_000), ("URM", "KHY")),
    Template("MIN.NMT", "silica", "کارخانه", "تولید سیلیس صنعتی و ماسه ریخته‌گری", "plant",
             "industrial silica and foundry sand", "tonnes/year", (50_000, 300_000), (1_000, 15_000),
             ("URM", "SLM", "MDB")),
    Template("MIN.NMT", "talc", "واحد", "تولید پودر تالک", "unit", "talc powder", "tonnes/year",
             (10_000, 80_000), (500, 6_000), ("MHB", "URM")),
    Template("MIN.NMT", "bentonite", "واحد", "فرآوری بنتونیت", "unit", "bentonite processing", "tonnes/year",
             (20_000, 120_000), (500, 7_000), ("TKB", "MDB")),
    Template("MIN.NMT", "zeolite", "واحد", "فرآوری زئولیت", "unit", "zeolite processing", "tonnes/year",
             (10_000, 80_000), (500, 6_000), ("MAK", "TKB")),
    Template("MIN.NMT", "perlite", "واحد", "تولید پرلیت منبسط", "unit", "expanded perlite", "tonnes/year",
             (10_000, 60_000), (500, 5_000), ("TKB", "SHD")),
    Template("MIN.NMT", "diatomite", "واحد", "فرآوری دیاتومیت", "unit", "diatomite processing", "tonnes/year",
             (5_000, 50_000), (500, 5_000), ("MAK", "SHD")),
    Template("MIN.NMT", "salt", "واحد", "تولید نمک صنعتی و خوراکی تصفیه‌شده", "unit",
             "refined industrial and table salt", "tonnes/year", (20_000, 200_000), (500, 8_000), ("URM", "SLM")),
    Template("MIN.NMT", "sodium-sulphate", "واحد", "تولید سولفات سدیم از شورابه", "unit", "sodium sulphate from brine",
             "tonnes/year", (20_000, 150_000), (1_500, 25_000), ("URM", "SLM")),
    Template("MIN.CNS", "decorative-stone", "کارخانه", "سنگبری و فرآوری سنگ‌های تزئینی", "plant",
             "decorative stone cutting and polishing", "m²/year", (100_000, 1_000_000), (500, 15_000),
             ("KHY", "URM", "MAK", "MHB"), IND, 3, 1.5),
    Template("MIN.CNS", "decorative-stone", "معدن", "سنگ تزئینی", "quarry", "decorative stone", "tonnes/year",
             (10_000, 120_000), (500, 8_000), ("KHY", "MAK", "CHL", "TKB"), weight=2, **_MINE),
    Template("MIN.CNS", "travertine", "معدن", "تراورتن", "quarry", "travertine", "tonnes/year",
             (10_000, 100_000), (500, 6_000), ("TKB", "SHD", "MHB"), weight=2, **_MINE),
    Template("MIN.CNS", "marble", "کارخانه", "فرآوری سنگ مرمریت", "plant", "marble processing", "m²/year",
             (100_000, 800_000), (600, 12_000), ("KHY", "SLM", "URM"), labour=1.5),
    Template("MIN.CNS", "onyx", "معدن", "مرمر (اونیکس)", "quarry", "onyx", "tonnes/year",
             (2_000, 20_000), (500, 5_000), ("TKB", "MHB"), **_MINE),
    Template("MIN.CNS", "granite", "معدن", "گرانیت", "quarry", "granite", "tonnes/year",
             (10_000, 100_000), (500, 7_000), ("KHY", "MAK"), **_MINE),
    Template("MIN.CNS", "limestone", "کارخانه", "تولید آهک صنعتی", "plant", "industrial lime", "tonnes/year",
             (30_000, 300_000), (1_000, 20_000), ("URM", "MDB", "KHY")),
    Template("MIN.CNS", "gypsum", "کارخانه", "تولید گچ ساختمانی و پودر گچ", "plant",
             "building plaster and gypsum powder", "tonnes/year", (30_000, 250_000), (800, 12_000),
             ("URM", "SLM", "MDB")),
    Template("MIN.CNS", "dolomite", "واحد", "فرآوری دولومیت", "unit", "dolomite processing", "tonnes/year",
             (20_000, 150_000), (500, 6_000), ("URM", "MHB")),
    Template("MIN.CNS", "sand-gravel", "واحد", "تولید شن و ماسه شسته", "unit", "washed sand and gravel", "tonnes/year",
             (50_000, 500_000), (300, 4_000), ("URM", "MDB", "BKN"), AGR, 2),
    Template("MIN.CNS", "rubble-stone", "معدن", "سنگ لاشه", "quarry", "rubble stone", "tonnes/year",
             (30_000, 300_000), (300, 3_000), ("URM", "NQD"), **_MINE),
)

OTHER_TEMPLATES = (
    # Agriculture: apples, raisins, dairy cattle, honey and trout are West Azerbaijan's strengths.
    Template("AGR.CRP", "wheat", "واحد", "تولید و فرآوری بذر گندم", "unit", "wheat seed production and processing",
             "tonnes/year", (2_000, 20_000), (300, 3_000), ("MDB", "MHB", "BKN", "NQD"), AGR, labour=1.2),
    Template("AGR.CRP", "sugar-beet", "مجتمع", "کشت و صنعت چغندر قند", "complex", "sugar beet agro-industrial",
             "hectares", (200, 3_000), (2_000, 30_000), ("MDB", "NQD", "KHY"), AGR, labour=1.5),
    Template("AGR.CRP", "", "واحد", "کشت مکانیزه گیاهان دارویی", "unit", "mechanised medicinal herb farming",
             "hectares", (20, 300), (200, 2_000), ("URM", "OSH", "SRD"), AGR, labour=1.5),
    Template("AGR.HRT", "apple", "مجتمع", "سورتینگ، بسته‌بندی و سردخانه سیب", "complex",
             "apple sorting, packing and cold storage", "tonnes", (5_000, 50_000), (800, 12_000),
             ("URM", "MDB", "NQD", "MHB", "SHD", "SLM"), AGR, 4, 1.5),
    Template("AGR.HRT", "apple", "باغ", "سیب متراکم با آبیاری تحت فشار", "orchard", "high-density apple",
             "hectares", (20, 300), (300, 4_000), ("URM", "MDB", "NQD", "SHD"), NEW, 2, 2.0),
    Template("AGR.HRT", "grape-raisin", "کارخانه", "فرآوری و بسته‌بندی کشمش", "plant",
             "raisin processing and packing", "tonnes/year", (2_000, 20_000), (500, 6_000), ("URM", "SLM", "MDB"),
             AGR, 2, 1.5),
    Template("AGR.HRT", "", "واحد", "خشک‌کردن صنعتی میوه", "unit", "industrial fruit drying", "tonnes/year",
             (1_000, 10_000), (300, 4_000), ("URM", "MDB", "NQD"), AGR, labour=1.5),
    Template("AGR.GRH", "", "مجتمع گلخانه‌ای", "تولید سبزی و صیفی", "greenhouse complex", "vegetable",
             "hectares", (2, 50), (300, 15_000), ("URM", "MDB", "KHY", "SLM", "OSH"), AGR, 4, 2.0),
    Template("AGR.GRH", "", "گلخانه", "پرورش گل و گیاهان زینتی", "greenhouse", "cut flower and ornamental plant",
             "hectares", (1, 10), (200, 3_000), ("URM", "MHB"), AGR, labour=2.0),
    Template("AGR.LIV", "", "واحد", "پرورش گاو شیری", "farm", "dairy cattle", "head", (200, 3_000),
             (500, 15_000), ("MDB", "MHB", "BKN", "KHY", "NQD"), AGR, 3, 1.5),
    Template("AGR.LIV", "", "واحد", "پرورش و پروار گوسفند", "unit", "sheep fattening", "head", (500, 5_000),
             (200, 3_000), ("MHB", "BKN", "SRD", "PRS", "CHL"), AGR, 2, 1.5),
    Template("AGR.LIV", "", "واحد", "پرورش مرغ گوشتی", "farm", "broiler chicken", "birds/cycle",
             (20_000, 200_000), (300, 5_000), ("URM", "MDB", "SLM"), AGR, labour=1.2),
    Template("AGR.LIV", "honey", "واحد", "زنبورداری و فرآوری عسل", "unit", "beekeeping and honey processing",
             "tonnes/year", (20, 500), (100, 2_000), ("SRD", "PRS", "OSH", "MAK", "CHL"), AGR, 2, 2.0),
    Template("AGR.FSH", "trout", "مزرعه", "پرورش ماهی قزل‌آلا", "farm", "rainbow trout", "tonnes/year",
             (50, 1_500), (150, 6_000), ("SRD", "PRS", "OSH", "MAK", "URM"), AGR, 3, 1.5),
    Template("AGR.FSH", "trout", "واحد", "پرورش ماهی در قفس در دریاچه سد", "unit", "cage fish farming in dam lakes",
             "tonnes/year", (200, 3_000), (500, 8_000), ("MHB", "BKN", "SRD"), AGR, labour=1.2),
    # Manufacturing: food first, then the six industrial axes the provincial trade organisation named.
    Template("MFG.FOD", "dairy", "کارخانه", "تولید لبنیات", "plant", "dairy products", "tonnes/year",
             (5_000, 100_000), (2_000, 40_000), ("URM", "MDB", "MHB", "KHY"), IND, 3),
    Template("MFG.FOD", "", "کارخانه", "تولید کنسانتره و آبمیوه سیب", "plant", "apple juice concentrate",
             "tonnes/year", (5_000, 60_000), (3_000, 45_000), ("URM", "MDB", "NQD"), IND, 2),
    Template("MFG.FOD", "", "کارخانه", "تولید رب گوجه‌فرنگی", "plant", "tomato paste", "tonnes/year",
             (5_000, 50_000), (2_000, 20_000), ("MDB", "URM")),
    Template("MFG.FOD", "", "کارخانه", "تولید قند و شکر", "plant", "sugar", "tonnes/year",
             (20_000, 200_000), (10_000, 80_000), ("MDB", "NQD", "KHY")),
    Template("MFG.FOD", "", "مجتمع", "کشتارگاه صنعتی و فرآوری گوشت", "complex",
             "industrial abattoir and meat processing", "tonnes/year", (3_000, 40_000), (1_500, 25_000),
             ("URM", "MHB", "KHY", "BKN")),
    Template("MFG.FOD", "", "کارخانه", "تولید خوراک دام و طیور", "plant", "livestock and poultry feed",
             "tonnes/year", (20_000, 200_000), (1_000, 15_000), ("URM", "MDB", "SLM", "BKN"), IND, 2),
    Template("MFG.FOD", "", "واحد", "بسته‌بندی خشکبار و حبوبات", "unit", "dried fruit and pulses packing",
             "tonnes/year", (1_000, 10_000), (200, 3_000), ("URM", "KHY")),
    Template("MFG.FOD", "", "کارخانه", "تولید روغن خوراکی", "plant", "edible oil", "tonnes/year",
             (10_000, 100_000), (3_000, 40_000), ("URM", "KHY")),
    Template("MFG.TEX", "handwoven-carpet", "کارگاه", "تولید فرش دستباف", "workshop", "hand-woven carpet",
             "m²/year", (1_000, 20_000), (100, 2_000), ("URM", "KHY", "SLM", "BKN", "MHB"), IND, 2, 3.0),
    Template("MFG.TEX", "leather-footwear", "کارخانه", "تولید کفش و چرم", "plant", "leather and footwear",
             "pairs/year", (100_000, 2_000_000), (500, 10_000), ("URM", "KHY", "MHB"), IND, 2, 2.0),
    Template("MFG.TEX", "", "کارخانه", "ریسندگی و بافندگی", "mill", "spinning and weaving", "tonnes/year",
             (1_000, 15_000), (3_000, 40_000), ("URM", "KHY", "MDB"), labour=1.5),
    Template("MFG.TEX", "", "کارگاه", "تولید پوشاک", "workshop", "clothing", "pieces/year",
             (100_000, 2_000_000), (200, 4_000), ("URM", "MHB", "BKN", "PRS"), labour=2.5),
    Template("MFG.CHM", "", "کارخانه", "تولید کاغذ و مقوا از پسماند کشاورزی", "plant",
             "paper and board from crop residues", "tonnes/year", (10_000, 100_000), (5_000, 60_000), ("MDB", "URM")),
    Template("MFG.CHM", "", "واحد", "تولید رنگ و رزین صنعتی", "unit", "paint and industrial resin", "tonnes/year",
             (2_000, 30_000), (1_000, 15_000), ("URM", "SLM")),
    Template("MFG.CHM", "", "کارخانه", "تولید کود شیمیایی و آلی", "plant", "chemical and organic fertiliser",
             "tonnes/year", (10_000, 150_000), (2_000, 35_000), ("MDB", "NQD", "URM")),
    Template("MFG.CHM", "", "واحد", "تولید لوله و اتصالات پلی‌اتیلن", "unit", "polyethylene pipe and fittings",
             "tonnes/year", (2_000, 30_000), (800, 12_000), ("URM", "KHY", "MHB")),
    Template("MFG.PHR", "", "کارخانه", "تولید دارو و مکمل از گیاهان دارویی", "plant", "herbal medicine and supplement",
             "tonnes/year", (100, 2_000), (1_500, 25_000), ("URM", "OSH", "SRD")),
    Template("MFG.PHR", "", "واحد", "تولید تجهیزات پزشکی یک‌بار مصرف", "unit", "disposable medical supplies",
             "pieces/year", (1_000_000, 50_000_000), (800, 15_000), ("URM", "MHB")),
    Template("MFG.NMM", "cement", "کارخانه", "تولید سیمان", "plant", "cement", "tonnes/year",
             (300_000, 2_000_000), (30_000, 200_000), ("URM", "KHY", "SLM", "MHB", "TKB"), IND, 2),
    Template("MFG.NMM", "", "کارخانه", "تولید کاشی و سرامیک", "plant", "ceramic tile", "m²/year",
             (1_000_000, 10_000_000), (10_000, 80_000), ("URM", "MDB", "KHY")),
    Template("MFG.NMM", "", "کارخانه", "تولید شیشه فلوت", "plant", "float glass", "tonnes/year",
             (100_000, 300_000), (60_000, 250_000), ("URM", "MDB")),
    Template("MFG.NMM", "", "واحد", "تولید بلوک و قطعات بتنی پیش‌ساخته", "unit", "precast concrete block",
             "tonnes/year", (20_000, 200_000), (300, 5_000), ("URM", "MHB", "BKN", "KHY"), IND, 2),
    Template("MFG.MET", "steel", "کارخانه", "تولید فولاد و نورد میلگرد", "plant", "steel and rebar rolling",
             "tonnes/year", (200_000, 1_500_000), (40_000, 300_000), ("URM", "MDB", "KHY", "SHD")),
    Template("MFG.MET", "copper-cathode", "کارخانه", "تولید کاتد مس", "plant", "copper cathode", "tonnes/year",
             (10_000, 100_000), (50_000, 300_000), ("MHB", "NQD", "URM")),
    Template("MFG.MET", "", "واحد", "تولید قطعات ریخته‌گری و آهنگری", "unit", "casting and forging",
             "tonnes/year", (2_000, 30_000), (1_000, 20_000), ("URM", "KHY", "MDB")),
    Template("MFG.MET", "", "واحد", "تولید ورق و پروفیل فلزی", "unit", "sheet metal and steel profile",
             "tonnes/year", (5_000, 80_000), (1_000, 25_000), ("URM", "SLM", "BKN")),
    Template("MFG.ELE", "", "کارخانه", "تولید سیم و کابل", "plant", "wire and cable", "tonnes/year",
             (2_000, 30_000), (2_000, 30_000), ("URM", "KHY")),
    Template("MFG.ELE", "", "واحد", "تولید پنل خورشیدی", "unit", "solar panel", "MW/year",
             (50, 500), (5_000, 60_000), ("URM", "MAK")),
    Template("MFG.ELE", "", "واحد", "مونتاژ لوازم خانگی", "unit", "household appliance assembly", "pieces/year",
             (20_000, 300_000), (1_000, 20_000), ("URM", "KHY", "MAK")),
    Template("MFG.MCH", "", "کارخانه", "تولید ماشین‌آلات و ادوات کشاورزی", "plant", "farm machinery and implements",
             "pieces/year", (500, 10_000), (1_000, 20_000), ("MDB", "URM", "MHB")),
    Template("MFG.MCH", "", "واحد", "قطعه‌سازی خودرو", "unit", "automotive parts", "pieces/year",
             (100_000, 3_000_000), (1_000, 25_000), ("URM", "KHY", "SLM")),
    Template("MFG.KNB", "", "واحد", "تولید نانوکود و محرک‌های رشد گیاهی", "unit",
             "nano-fertiliser and plant biostimulant", "tonnes/year", (100, 3_000), (300, 5_000), ("URM",), NEW),
    Template("MFG.KNB", "", "واحد", "تولید داروهای دامی دانش‌بنیان", "unit", "knowledge-based veterinary medicine",
             "tonnes/year", (50, 1_000), (500, 8_000), ("URM", "MDB"), NEW),
    # Energy, water and the city: mostly offered as public-private partnerships.
    Template("ENE.SOL", "solar-power", "نیروگاه", "خورشیدی", "power plant", "solar", "MW", (1, 100), (700, 70_000),
             ("MAK", "KHY", "TKB", "SHD", "PLD", "URM", "CHL"), (*PUB, T.EXPANSION), 4, 0.3),
    Template("ENE.WND", "", "نیروگاه", "بادی", "farm", "wind", "MW", (5, 100), (5_000, 120_000),
             ("MAK", "CHL", "SHT", "PLD"), PUB, labour=0.3),
    Template("ENE.HYD", "", "نیروگاه", "برق‌آبی کوچک", "plant", "small hydropower", "MW", (1, 10), (1_500, 20_000),
             ("SRD", "PRS", "OSH", "MHB"), PUB, labour=0.3),
    Template("ENE.PWR", "", "نیروگاه", "تولید همزمان برق و حرارت (CHP)", "plant", "combined heat and power (CHP)",
             "MW", (2, 50), (1_500, 40_000), ("URM", "KHY", "MDB"), PUB, labour=0.4),
    Template("ENE.GAS", "", "جایگاه", "عرضه سوخت و CNG", "station", "fuel and CNG", "m³/day", (5_000, 30_000),
             (200, 2_000), ("URM", "KHY", "MHB", "BKN", "MAK"), SRV),
    Template("WAT.WTR", "", "تصفیه‌خانه", "آب شرب", "plant", "drinking water treatment", "m³/day",
             (10_000, 200_000), (2_000, 60_000), ("URM", "KHY", "MHB", "MDB"), PUB, labour=0.5),
    Template("WAT.WWT", "", "تصفیه‌خانه", "فاضلاب شهری و بازچرخانی پساب", "plant",
             "municipal wastewater treatment and effluent reuse", "m³/day", (10_000, 150_000), (3_000, 70_000),
             ("URM", "KHY", "MHB", "SLM", "NQD"), PUB, labour=0.5),
    Template("WAT.WST", "", "کارخانه", "بازیافت و پردازش پسماند شهری", "plant", "municipal waste recycling",
             "tonnes/day", (100, 1_000), (2_000, 30_000), ("URM", "KHY", "MDB", "BKN"), PUB, 2),
    Template("WAT.WST", "", "واحد", "تولید کود کمپوست از پسماند", "unit", "compost from organic waste",
             "tonnes/year", (5_000, 50_000), (300, 4_000), ("URM", "MDB"), SRV),
    Template("CON.HSG", "", "مجتمع", "مسکونی", "complex", "residential", "units", (100, 1_500), (2_000, 60_000),
             ("URM", "KHY", "MHB", "BKN"), (T.GREENFIELD, T.JOINT_VENTURE, T.COMPLETION), 2),
    Template("CON.COM", "", "مجتمع", "تجاری و اداری", "complex", "commercial and office", "m²", (5_000, 80_000),
             (2_000, 50_000), ("URM", "KHY", "MHB", "MAK"), (T.GREENFIELD, T.JOINT_VENTURE, T.COMPLETION), 2),
    Template("CON.URB", "", "پارکینگ", "طبقاتی", "car park", "multi-storey", "spaces", (200, 1_500),
             (1_000, 15_000), ("URM", "KHY", "MHB"), PUB, labour=0.3),
    Template("CON.RGN", "", "طرح", "بازآفرینی بافت فرسوده شهری", "project", "urban regeneration", "hectares",
             (5, 50), (3_000, 60_000), ("URM", "KHY", "MHB", "MAK"), PUB, green_fa="اجرای"),
    # Trade and logistics: the borders with Turkey and Iraq (Bazargan, Razi, Sero, Tamarchin, Kileh).
    Template("TRD.BRD", "", "بازارچه مرزی", "سرو", "border market", "Sero", "m²", (10_000, 80_000), (500, 8_000),
             ("URM",), (T.EXPANSION, T.PPP, T.JOINT_VENTURE), strict=True),
    Template("TRD.BRD", "", "بازارچه مرزی", "تمرچین", "border market", "Tamarchin", "m²", (10_000, 60_000),
             (500, 6_000), ("PRS",), (T.EXPANSION, T.PPP, T.JOINT_VENTURE), strict=True),
    Template("TRD.BRD", "", "بازارچه مرزی", "کیله", "border market", "Kileh", "m²", (5_000, 40_000), (300, 5_000),
             ("SRD",), (T.EXPANSION, T.PPP, T.JOINT_VENTURE), strict=True),
    Template("TRD.BRD", "", "بازارچه مرزی", "رازی", "border market", "Razi", "m²", (5_000, 40_000), (300, 5_000),
             ("KHY",), (T.EXPANSION, T.PPP, T.JOINT_VENTURE), strict=True),
    Template("TRD.RTL", "", "مرکز", "خرید و تفریح", "centre", "shopping and leisure", "m²", (10_000, 100_000),
             (3_000, 80_000), ("URM", "KHY", "MAK", "MHB"), (T.GREENFIELD, T.JOINT_VENTURE, T.COMPLETION), 2),
    Template("TRD.WHL", "", "مرکز", "توزیع عمده‌فروشی کالا", "centre", "wholesale distribution", "m²",
             (10_000, 60_000), (1_000, 20_000), ("URM", "KHY", "MDB"), SRV),
    Template("TRN.ROD", "", "پایانه", "بار و کامیون‌داران", "terminal", "freight and truck", "hectares", (5, 50),
             (1_000, 20_000), ("URM", "KHY", "MAK", "PRS"), PUB),
    Template("TRN.ROD", "", "پایانه", "مسافربری", "terminal", "passenger", "m²", (5_000, 30_000), (1_000, 15_000),
             ("URM", "MHB", "KHY"), PUB),
    Template("TRN.RAL", "", "ایستگاه", "تخلیه و بارگیری ریلی", "station", "rail freight loading", "tonnes/year",
             (200_000, 2_000_000), (3_000, 50_000), ("URM", "KHY", "SLM", "MDB"), PUB),
    Template("TRN.AIR", "", "ترمینال", "باری فرودگاه ارومیه", "terminal", "Urmia airport cargo", "tonnes/year",
             (5_000, 50_000), (3_000, 40_000), ("URM",), PUB, strict=True),
    Template("TRN.LOG", "", "مرکز", "لجستیک و بندر خشک بازرگان", "hub", "Bazargan dry port and logistics", "hectares",
             (20, 200), (10_000, 150_000), ("MAK",), PUB, 2, strict=True),
    Template("TRN.LOG", "", "مرکز", "لجستیک مرزی رازی", "hub", "Razi border logistics", "hectares", (10, 100),
             (5_000, 80_000), ("KHY",), PUB, strict=True),
    Template("TRN.LOG", "", "مرکز", "لجستیک مرزی سرو", "hub", "Sero border logistics", "hectares", (10, 100),
             (5_000, 80_000), ("URM",), PUB, strict=True),
    Template("TRN.LOG", "", "شهرک", "حمل‌ونقل و لجستیک منطقه آزاد ماکو", "park",
             "Maku Free Zone transport and logistics", "hectares", (50, 400), (20_000, 200_000), ("MAK", "PLD"), PUB,
             strict=True),
    Template("TRN.LOG", "", "سردخانه", "نگهداری سیب و میوه", "cold store", "apple and fruit", "tonnes",
             (2_000, 30_000), (400, 8_000), ("URM", "MDB", "NQD", "MHB", "SLM", "SHD"), SRV, 3),
    # Tourism, education and health.
    Template("TOU.HTL", "", "هتل", "پنج ستاره", "hotel", "five-star", "rooms", (100, 300), (15_000, 80_000),
             ("URM",), PUB, 2, 1.5),
    Template("TOU.HTL", "", "هتل", "چهار ستاره", "hotel", "four-star", "rooms", (60, 200), (5_000, 40_000),
             ("URM", "KHY", "MAK", "MHB"), PUB, 3, 1.5),
    Template("TOU.HTL", "", "هتل", "سه ستاره", "hotel", "three-star", "rooms", (30, 100), (1_000, 12_000),
             ("URM", "KHY", "MAK", "MHB", "SLM", "BKN", "SRD"), PUB, 2, 1.5),
    Template("TOU.HLT", "", "مجتمع", "هتل‌بیمارستان و گردشگری سلامت", "complex", "hospital hotel and health tourism",
             "beds", (50, 250), (8_000, 60_000), ("URM",), PUB, labour=2.0),
    Template("TOU.HLT", "", "مجتمع", "آب‌درمانی و گردشگری سلامت", "complex", "spa and wellness", "rooms",
             (30, 150), (1_500, 20_000), ("URM", "TKB", "SRD"), PUB, labour=1.5),
    Template("TOU.ECO", "", "اقامتگاه", "بوم‌گردی", "lodge", "eco-tourism", "rooms", (5, 30), (50, 800),
             ("SRD", "OSH", "TKB", "CHL", "PRS", "MAK"), SRV, 3, 2.0),
    Template("TOU.ECO", "", "مجتمع", "گردشگری تخت سلیمان", "complex", "Takht-e Soleyman tourism", "rooms",
             (40, 150), (2_000, 25_000), ("TKB",), PUB, labour=1.5, strict=True),
    Template("TOU.ECO", "", "مجتمع", "گردشگری قره‌کلیسا", "complex", "Qara Kelisa (St Thaddeus) tourism", "rooms",
             (30, 120), (1_500, 20_000), ("CHL",), PUB, labour=1.5, strict=True),
    Template("TOU.CMP", "", "مجتمع", "تفریحی و گردشگری", "complex", "tourism and leisure", "hectares", (5, 100),
             (3_000, 60_000), ("URM", "KHY", "MAK", "MHB"), PUB, 2, 1.5),
    Template("TOU.CMP", "", "مجتمع", "گردشگری ساحلی دریاچه ارومیه", "complex", "Lake Urmia shore tourism",
             "hectares", (10, 150), (3_000, 50_000), ("URM", "SLM"), PUB, labour=1.5, strict=True),
    Template("ICT.SWD", "", "مرکز", "نوآوری و شتاب‌دهنده کسب‌وکار", "centre", "innovation and business accelerator",
             "m²", (2_000, 15_000), (500, 8_000), ("URM",), SRV, labour=2.0),
    Template("ICT.INF", "", "مرکز داده", "منطقه‌ای", "data centre", "regional", "racks", (50, 500),
             (3_000, 40_000), ("URM",), SRV, labour=0.4),
    Template("EDU.SCH", "", "مدرسه", "غیردولتی", "school", "private", "students", (200, 1_500), (500, 5_000),
             ("URM", "KHY", "MHB", "BKN", "MDB"), PUB, labour=2.0),
    Template("EDU.HIG", "", "پردیس", "بین‌المللی دانشگاهی", "campus", "international university", "students",
             (1_000, 8_000), (5_000, 40_000), ("URM", "MAK"), PUB, labour=1.5),
    Template("EDU.VOC", "", "مرکز", "آموزش فنی و حرفه‌ای معدن و صنعت", "centre",
             "mining and industry vocational training", "students", (200, 2_000), (500, 6_000), ("URM", "TKB", "MHB"),
             PUB, labour=1.5),
    Template("HLT.HSP", "", "بیمارستان", "تخصصی خصوصی", "hospital", "private specialist", "beds", (64, 300),
             (8_000, 80_000), ("URM", "KHY", "MHB", "BKN", "MDB", "SLM"), PUB, 2, 2.0),
    Template("HLT.DIA", "", "مرکز", "تصویربرداری و تشخیص پزشکی", "centre", "medical imaging and diagnostics", "m²",
             (500, 5_000), (800, 12_000), ("URM", "KHY", "MHB", "MDB", "NQD"), SRV, labour=1.5),
    Template("HLT.CAR", "", "مرکز", "نگهداری سالمندان و توان‌بخشی", "centre", "elderly care and rehabilitation",
             "beds", (30, 150), (500, 6_000), ("URM", "KHY", "MHB"), SRV, labour=2.5),
)

# fmt: on

# Title patterns per type; {thing} is "place act" in Persian and "act place" in English.
TITLE_FA = {
    T.GREENFIELD: "{green} {thing}",
    T.EXPANSION: "توسعه {thing}",
    T.COMPLETION: "تکمیل طرح نیمه‌تمام {thing} با {pct} درصد پیشرفت فیزیکی",
    T.REVIVAL: "احیای واحد راکد {act}",
    T.PRIVATISATION: "واگذاری {thing}",
    T.JOINT_VENTURE: "مشارکت در سرمایه‌گذاری {thing}",
    T.PPP: "مشارکت عمومی-خصوصی در احداث {thing}",
    T.EXPLORATION: "پهنه اکتشافی {commodity}",
}
TITLE_EN = {
    T.GREENFIELD: "{Thing}{green}",
    T.EXPANSION: "Expansion of the {thing}",
    T.COMPLETION: "Completion of a semi-finished {thing} ({pct}% physical progress)",
    T.REVIVAL: "Revival of a stalled {thing}",
    T.PRIVATISATION: "Transfer of a state-owned {thing}",
    T.JOINT_VENTURE: "Joint venture: {thing}",
    T.PPP: "Public-private partnership: {thing}",
    T.EXPLORATION: "{Commodity} exploration zone",
}
# What a reader most needs to know about each type, in a sentence.
NOTE_FA = {
    T.GREENFIELD: "طرح در مرحله جذب سرمایه‌گذار است و زمین و مجوزهای آن از سوی استان پیگیری می‌شود.",
    T.EXPANSION: "واحد فعال است و برای افزایش ظرفیت و تنوع محصول به سرمایه نیاز دارد.",
    T.COMPLETION: "طرح با {pct} درصد پیشرفت فیزیکی متوقف مانده و برای تکمیل و بهره‌برداری به سرمایه‌گذار نیاز دارد.",
    T.REVIVAL: "واحد به دلیل مشکلات مالی و کمبود نقدینگی راکد مانده و با سرمایه در گردش و نوسازی قابل احیاست.",
    T.PRIVATISATION: "سهام یا دارایی‌های دولتی این واحد به بخش خصوصی واگذار می‌شود.",
    T.JOINT_VENTURE: "شریک محلی آماده مشارکت با سرمایه‌گذار داخلی یا خارجی است.",
    T.PPP: "اجرا به روش مشارکت عمومی-خصوصی (BOT/BOO) با همکاری دستگاه اجرایی استان.",
    T.EXPLORATION: "پهنه برای اکتشاف تفصیلی به بخش خصوصی واگذار می‌شود.",
}
NOTE_EN = {
    T.GREENFIELD: "The province is looking for an investor and is securing the land and permits.",
    T.EXPANSION: "The unit is operating and needs capital to raise capacity and widen its product range.",
    T.COMPLETION: "The project stopped at {pct}% physical progress and needs an investor to finish it.",
    T.REVIVAL: "The unit stalled for lack of working capital and can be revived with new funding and modernisation.",
    T.PRIVATISATION: "State-held shares or assets of the unit are offered to the private sector.",
    T.JOINT_VENTURE: "A local partner is looking for a domestic or foreign co-investor.",
    T.PPP: "Offered as a public-private partnership (BOT/BOO) with the province's executive agency.",
    T.EXPLORATION: "The zone is offered to private investors for detailed exploration.",
}

STAGES = {
    T.GREENFIELD: ((Stage.IDENTIFICATION, 20), (Stage.PRE_FEASIBILITY, 35), (Stage.FEASIBILITY, 30), (Stage.READY, 15)),
    T.EXPANSION: ((Stage.FEASIBILITY, 40), (Stage.READY, 40), (Stage.OPERATION, 20)),
    T.COMPLETION: ((Stage.IMPLEMENTATION, 1),),
    T.REVIVAL: ((Stage.FEASIBILITY, 40), (Stage.READY, 60)),
    T.PRIVATISATION: ((Stage.READY, 50), (Stage.OPERATION, 50)),
    T.JOINT_VENTURE: ((Stage.PRE_FEASIBILITY, 30), (Stage.FEASIBILITY, 40), (Stage.READY, 30)),
    T.PPP: ((Stage.IDENTIFICATION, 25), (Stage.PRE_FEASIBILITY, 35), (Stage.FEASIBILITY, 25), (Stage.READY, 15)),
    T.EXPLORATION: ((Stage.IDENTIFICATION, 60), (Stage.PRE_FEASIBILITY, 40)),
}
PERMITS = {
    T.GREENFIELD: ((PermitStatus.NONE, 40), (PermitStatus.IN_PROGRESS, 40), (PermitStatus.ESTABLISHMENT, 20)),
    T.EXPANSION: ((PermitStatus.OPERATION, 1),),
    T.COMPLETION: ((PermitStatus.ESTABLISHMENT, 1),),
    T.REVIVAL: ((PermitStatus.OPERATION, 70), (PermitStatus.ESTABLISHMENT, 30)),
    T.PRIVATISATION: ((PermitStatus.OPERATION, 1),),
    T.JOINT_VENTURE: ((PermitStatus.IN_PROGRESS, 50), (PermitStatus.ESTABLISHMENT, 50)),
    T.PPP: ((PermitStatus.NONE, 50), (PermitStatus.IN_PROGRESS, 50)),
    T.EXPLORATION: ((PermitStatus.NONE, 60), (PermitStatus.IN_PROGRESS, 40)),
}
EXISTING_UNIT = frozenset({T.EXPANSION, T.COMPLETION, T.REVIVAL, T.PRIVATISATION})

# Average grade (%) and proven reserves (tonnes) by commodity; gold is 1-8 g/t, i.e. 0.0001-0.0008 %.
GRADES = {
    "copper": (0.3, 1.5),
    "gold": (0.0001, 0.0008),
    "iron-ore": (30, 60),
    "lead-zinc": (3, 12),
    "manganese": (15, 35),
    "chromite": (20, 45),
    "antimony": (1, 6),
    "kaolin": (18, 35),
    "barite": (70, 95),
    "salt": (85, 98),
    "sodium-sulphate": (20, 40),
    "silica": (90, 99),
}
RESERVES = {"MIN.MET": (1_000_000, 80_000_000), "MIN.NMT": (200_000, 20_000_000), "MIN.CNS": (100_000, 10_000_000)}
BIG_RESERVES = {"iron-ore": (5_000_000, 150_000_000), "copper": (2_000_000, 100_000_000)}

# fmt: off
# West Azerbaijan: where people and industry are (Urmia first) and rough county-seat coordinates.
COUNTY_WEIGHTS = {
    "WA-URM": 22, "WA-KHY": 9, "WA-MHB": 7, "WA-MDB": 7, "WA-BKN": 6, "WA-SLM": 5, "WA-MAK": 5, "WA-NQD": 4,
    "WA-TKB": 4, "WA-PRS": 3, "WA-SRD": 3, "WA-SHD": 3, "WA-OSH": 2, "WA-CHL": 2, "WA-PLD": 2, "WA-SHT": 2,
    "WA-CHP": 2, "WA-CHB": 1, "WA-BRQ": 1,
}
COUNTY_COORDINATES = {
    "WA-URM": (37.553, 45.076), "WA-OSH": (37.040, 45.100), "WA-BRQ": (36.953, 46.331), "WA-BKN": (36.521, 46.209),
    "WA-PRS": (36.701, 45.141), "WA-PLD": (39.348, 45.071), "WA-TKB": (36.400, 47.113), "WA-CHB": (37.127, 45.983),
    "WA-CHL": (39.063, 44.383), "WA-CHP": (38.891, 45.028), "WA-KHY": (38.550, 44.952), "WA-SRD": (36.155, 45.479),
    "WA-SLM": (38.197, 44.765), "WA-SHD": (36.679, 46.567), "WA-SHT": (39.219, 44.770), "WA-MAK": (39.295, 44.517),
    "WA-MHB": (36.763, 45.722), "WA-MDB": (36.969, 46.103), "WA-NQD": (36.955, 45.388),
}
# Other provinces: the capital's coordinates, jittered more widely since the county is not placed.
PROVINCE_CENTRES = {
    "EA": (38.080, 46.292), "WA": (37.553, 45.076), "AR": (38.249, 48.297), "IS": (32.654, 51.668),
    "AL": (35.840, 50.939), "IL": (33.637, 46.423), "BU": (28.923, 50.821), "TH": (35.689, 51.389),
    "CB": (32.326, 50.864), "SK": (32.866, 59.221), "KR": (36.297, 59.606), "NK": (37.475, 57.331),
    "KZ": (31.318, 48.671), "ZA": (36.676, 48.478), "SM": (35.578, 53.394), "SB": (29.496, 60.863),
    "FA": (29.592, 52.584), "QZ": (36.269, 50.004), "QM": (34.640, 50.876), "KD": (35.311, 46.996),
    "KE": (30.284, 57.083), "KS": (34.314, 47.065), "KB": (30.668, 51.588), "GO": (36.841, 54.444),
    "GI": (37.281, 49.583), "LO": (33.487, 48.356), "MZ": (36.563, 53.060), "MK": (34.092, 49.689),
    "HG": (27.183, 56.267), "HD": (34.799, 48.515), "YZ": (31.897, 54.357),
}
# fmt: on
MAKU_FREE_ZONE = frozenset({"WA-MAK", "WA-PLD", "WA-SHT", "WA-CHL"})
LESS_DEVELOPED = frozenset(
    {"WA-SRD", "WA-PRS", "WA-OSH", "WA-CHL", "WA-SHT", "WA-PLD", "WA-CHP", "WA-BRQ", "WA-CHB", "WA-TKB", "WA-SHD"}
)
ON_RAIL = frozenset({"WA-KHY", "WA-SLM", "WA-MDB", "WA-URM", "WA-MAK"})
TAXED_ROOTS = frozenset({"MIN", "MFG", "AGR", "TOU", "ENE"})


@dataclass
class _Place:
    """One province as the generator sees it: weighted counties and the templates that make sense there."""

    province: Province
    counties: list[County]
    county_weights: list[int]
    by_suffix: dict[str, County]
    templates: dict[bool, tuple[list, list[int]]] = field(default_factory=dict)


def _cumulative(weights: Iterable[float]) -> list[float]:
    return list(accumulate(weights))


def _sig(value: float, digits: int = 3) -> Decimal:
    """Round to a few significant digits: offered capex and capacities are round numbers, not 12,345,678.91."""
    return Decimal(f"{value:.{digits}g}").quantize(CENT)


def _grouped(value: Decimal) -> str:
    text = format(value, ",f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _link_sector_tree(sectors: Iterable[Sector]) -> dict[str, Sector]:
    """Attach each sector's parent instance so `sector.root` (used by references and search keys) never queries."""
    by_code = {sector.code: sector for sector in sectors}
    by_id = {sector.pk: sector for sector in by_code.values()}
    for sector in by_code.values():
        if sector.parent_id is not None and sector.parent_id in by_id:
            sector.parent = by_id[sector.parent_id]
    return by_code


def _resolve_templates(
    *, templates: Sequence[Template], sectors: Mapping[str, Sector], commodities: Mapping[str, Commodity]
) -> list[tuple[Template, Sector, Commodity | None]]:
    """Pair templates with their reference rows; a template whose sector or commodity is missing is left out."""
    resolved = []
    for template in templates:
        commodity = commodities.get(template.commodity) if template.commodity else None
        if template.commodity and commodity is None:
            continue
        # A commodity names its own sector, which keeps a mineral under the right MIN child whatever the table says.
        sector = sectors.get(template.sector)
        if commodity is not None:
            sector = next((s for s in sectors.values() if s.pk == commodity.sector_id), sector)
        if sector is None or sector.parent_id is None:
            continue
        resolved.append((template, sector, commodity))
    return resolved


def _make_place(*, province: Province, counties: Iterable[County], templates: dict[bool, list]) -> _Place:
    """Index a province's counties by code suffix and keep only the templates that can be placed in it."""
    counties = sorted(counties, key=lambda county: county.code)
    by_suffix = {county.code.split("-", 1)[-1]: county for county in counties}
    place = _Place(
        province=province,
        counties=counties,
        county_weights=_cumulative(COUNTY_WEIGHTS.get(county.code, 1) for county in counties),
        by_suffix=by_suffix,
    )
    for mining, candidates in templates.items():
        usable = [row for row in candidates if not row[0].strict or any(s in by_suffix for s in row[0].where)]
        if province.code != "WA":
            usable = [row for row in usable if not row[0].strict]
        place.templates[mining] = (usable, _cumulative(row[0].weight for row in usable))
    return place


class _Builder:
    """Draws one opportunity at a time from a single `random.Random`, so the sequence depends on the seed only."""

    def __init__(self, *, rng, year, event, owner, currencies, units_per_usd, counters):
        self.rng = rng
        self.year = year
        self.event = event
        self.owner = owner
        self.currencies = currencies
        # A dollar is a dollar even without a stored rate, as in `registry.selectors.usd_equivalent`.
        self.units_per_usd = {"USD": Decimal(1), **{code: Decimal(rate) for code, rate in units_per_usd.items()}}
        self.counters = counters
        self.type_cache: dict[tuple, tuple[tuple, list[float]]] = {}

    def _weighted(self, pairs):
        values, weights = zip(*pairs, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def _pick_type(self, template: Template) -> str:
        if template.types not in self.type_cache:
            weights = _cumulative(TYPE_WEIGHTS[kind] for kind in template.types)
            self.type_cache[template.types] = (template.types, weights)
        types, weights = self.type_cache[template.types]
        return self.rng.choices(types, cum_weights=weights)[0]

    def _pick_county(self, place: _Place, template: Template) -> County | None:
        """Mostly where the resource or market is (Takab for gold), otherwise anywhere, Urmia most often."""
        preferred = [place.by_suffix[s] for s in template.where if s in place.by_suffix]
        if preferred and (template.strict or self.rng.random() < 0.75):
            weights = [COUNTY_WEIGHTS.get(county.code, 1) for county in preferred]
            return self.rng.choices(preferred, weights=weights)[0]
        if not place.counties:
            return None
        return self.rng.choices(place.counties, cum_weights=place.county_weights)[0]

    def _coordinates(self, province: Province, county: County | None) -> tuple[Decimal, Decimal]:
        known = COUNTY_COORDINATES.get(county.code) if county is not None else None
        latitude, longitude = known or PROVINCE_CENTRES.get(province.code, (32.4, 53.7))
        spread = 0.08 if known else 0.6
        latitude += self.rng.uniform(-spread, spread)
        longitude += self.rng.uniform(-spread, spread)
        return Decimal(f"{latitude:.6f}"), Decimal(f"{longitude:.6f}")

    def _currency_code(self, *, root: str, usd: float, kind: str) -> str:
        """Mining and large industry are priced in hard currency, the rest in rials, as provinces publish them."""
        if "IRR" not in self.units_per_usd:
            return "USD"
        if usd < 500_000:
            return "IRR"
        fits_in_rials = usd <= 40_000_000  # 50 thousand billion rials is the largest rial figure offered
        if kind != T.REVIVAL and (root == "MIN" or (root in {"MFG", "ENE"} and usd >= 5_000_000)):
            roll = self.rng.random()
            if roll < 0.08 and "EUR" in self.units_per_usd:
                return "EUR"
            return "IRR" if roll > 0.95 and fits_in_rials else "USD"
        return "IRR" if fits_in_rials else "USD"

    def _money(self, *, template: Template, root: str, kind: str, position: float) -> dict:
        """Capex log-uniform in the template's range, in a plausible currency, with its USD equivalent."""
        low, high = (300, 5_000) if kind == T.EXPLORATION else template.usd_k
        usd = 1000 * low * (high / low) ** position * self.rng.uniform(0.85, 1.15)
        usd = min(max(usd, 50_000), 300_000_000)
        code = self._currency_code(root=root, usd=usd, kind=kind)
        rate = self.units_per_usd.get(code, Decimal(1))
        if code == "IRR":
            amount = min(max(_sig(usd * float(rate)), Decimal(50 * 10**9)), Decimal(50 * 10**12))
        else:
            amount = _sig(max(usd, 500_000) * float(rate))
        capex_usd = (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP) if code in self.units_per_usd else None
        jobs = 20 * template.labour * (float(capex_usd or 0) / 1_000_000) ** 0.6 * self.rng.uniform(0.7, 1.3)
        if kind == T.EXPLORATION:
            jobs = self.rng.randint(10, 40)
        return {
            "capex_amount": amount,
            "capex_currency": self.currencies.get(code),
            "capex_usd": capex_usd,
            "jobs": min(max(round(jobs), 10), 1500),
        }

    def _capacity(self, *, template: Template, kind: str, position: float) -> dict:
        if kind == T.EXPLORATION:
            return {"capacity_value": _sig(self.rng.uniform(5, 200), 2), "capacity_unit": "km²"}
        low, high = template.capacity
        return {"capacity_value": _sig(low * (high / low) ** position, 2), "capacity_unit": template.unit}

    def _incentives(self, *, province: Province, county: County | None, root: str, kind: str) -> dict:
        """Free zone around Maku, less-developed counties and the usual 5-13 year tax holiday for productive units."""
        code = county.code if county is not None else ""
        in_free_zone = code in MAKU_FREE_ZONE and self.rng.random() < 0.6
        odds = 0.85 if code in LESS_DEVELOPED else 0.05 if code.startswith("WA-") else 0.2
        less_developed = self.rng.random() < odds
        special_zone = not in_free_zone and root == "MFG" and code in {"WA-URM", "WA-SLM"} and self.rng.random() < 0.2
        holiday = None
        if root in TAXED_ROOTS or in_free_zone:
            holiday = 13 if in_free_zone else (10 if less_developed else 5) + self.rng.randint(0, 3)
            holiday = min(holiday, 13)
        notes = []
        if in_free_zone:
            notes.append("معافیت حقوق گمرکی و سود بازرگانی ماشین‌آلات و امکان مالکیت صددرصد خارجی در منطقه آزاد ماکو")
        if less_developed:
            notes.append("مشوق‌های مالیاتی و تسهیلات ویژه مناطق کمتر توسعه‌یافته")
        if kind == T.COMPLETION:
            notes.append("تسهیلات بانکی با یارانه سود برای تکمیل طرح‌های نیمه‌تمام")
        elif kind == T.REVIVAL:
            notes.append("تسهیلات سرمایه در گردش برای احیای واحدهای راکد")
        if self.rng.random() < 0.4:
            notes.append("حمایت قانون تشویق و حمایت سرمایه‌گذاری خارجی برای سرمایه‌گذاران خارجی")
        return {
            "in_free_zone": in_free_zone,
            "in_special_economic_zone": special_zone,
            "in_less_developed_area": less_developed,
            "tax_holiday_years": holiday,
            "incentives_note": "؛ ".join(notes),
        }

    def _site(self, *, county: County | None, root: str, kind: str, in_zone: bool) -> dict:
        """Land, permits and utilities: existing units have them, greenfield sites partly, exploration zones rarely."""
        existing = kind in EXISTING_UNIT
        chance = self.rng.random
        if existing:
            land = LandStatus.ALLOCATED
        elif in_zone or (root == "MFG" and chance() < 0.5):
            land = LandStatus.IN_ZONE
        else:
            land = self._weighted(((LandStatus.AVAILABLE, 50), (LandStatus.PRIVATE, 25), (LandStatus.ALLOCATED, 25)))
        utility = 0.95 if existing else 0.15 if kind == T.EXPLORATION else 0.65
        rail_here = county is not None and county.code in ON_RAIL
        return {
            "land_status": land,
            "permit_status": self._weighted(PERMITS[kind]),
            "stage": self._weighted(STAGES[kind]),
            "has_power": chance() < utility,
            "has_water": chance() < utility,
            "has_gas": chance() < utility * (0.5 if root == "MIN" else 0.85),
            "has_road": chance() < (0.99 if existing else 0.6 if kind == T.EXPLORATION else 0.9),
            "has_rail": rail_here and chance() < (0.5 if root in {"MIN", "TRN"} else 0.2),
        }

    def _mining(self, *, template: Template, sector: Sector, commodity: Commodity | None, kind: str) -> dict:
        """Reserves, grade and licence: only mining rows carry them."""
        code = commodity.code if commodity is not None else ""
        low, high = BIG_RESERVES.get(code) or RESERVES.get(sector.code, (100_000, 5_000_000))
        grade = None
        if code in GRADES:
            grade_low, grade_high = GRADES[code]
            grade = Decimal(f"{self.rng.uniform(grade_low, grade_high):.4f}")
        if kind == T.EXPLORATION:
            licence = self._weighted(((LicenceStatus.OPEN_AREA, 50), (LicenceStatus.EXPLORATION, 50)))
        elif template.types == PIT:
            licence = self._weighted(((LicenceStatus.DISCOVERY, 40), (LicenceStatus.EXPLOITATION, 60)))
        else:
            licence = LicenceStatus.EXPLOITATION
        return {
            "reserves_tonnes": _sig(low * (high / low) ** self.rng.random(), 2),
            "grade_pct": grade,
            "licence_status": licence,
        }

    def _reference(self, *, province: Province, sector: Sector) -> str:
        prefix = reference_prefix(province=province, sector=sector, year=self.year)
        number = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = number
        return f"{prefix}-{number:04d}"

    def _published_at(self) -> datetime.datetime:
        """Half during the summit (presented at INOVA), the rest through the year; always timezone-aware."""
        if self.event is not None and self.rng.random() < 0.5:
            days = (self.event.ends_on - self.event.starts_on).days + 1
            day = self.event.starts_on + datetime.timedelta(days=self.rng.randrange(days))
            opening = datetime.datetime.combine(day, datetime.time(5, 30), tzinfo=datetime.UTC)  # 09:00 in Tehran
            return opening + datetime.timedelta(seconds=self.rng.randrange(10 * 3600))
        start = datetime.datetime(self.year, 1, 1, tzinfo=datetime.UTC)
        return start + datetime.timedelta(seconds=self.rng.randrange(365 * 86_400))

    def opportunity(self, *, place: _Place, mining: bool) -> Opportunity:
        """One complete, unsaved opportunity with every related object attached as an instance."""
        candidates, weights = place.templates[mining]
        template, sector, commodity = self.rng.choices(candidates, cum_weights=weights)[0]
        kind = self._pick_type(template)
        county = self._pick_county(place, template)
        root = sector.root.code
        position = self.rng.random() ** 1.5  # most projects are small, a few are very large
        pct = self.rng.randint(60, 95) if kind == T.COMPLETION else None
        fields = {
            **self._money(template=template, root=root, kind=kind, position=position),
            **self._capacity(template=template, kind=kind, position=position),
            **self._incentives(province=place.province, county=county, root=root, kind=kind),
        }
        fields.update(self._site(county=county, root=root, kind=kind, in_zone=fields["in_free_zone"]))
        if root == "MIN":
            fields.update(self._mining(template=template, sector=sector, commodity=commodity, kind=kind))
        latitude, longitude = self._coordinates(place.province, county)
        opportunity = Opportunity(
            reference=self._reference(province=place.province, sector=sector),
            province=place.province,
            county=county,
            latitude=latitude,
            longitude=longitude,
            sector=sector,
            commodity=commodity,
            type=kind,
            physical_progress_pct=pct,
            event=self.event,
            owner_organisation=self.owner,
            status=Status.PUBLISHED,
            published_at=self._published_at(),
            is_demo=True,
            **fields,
        )
        _write_texts(opportunity=opportunity, template=template)
        opportunity.search_key = opportunity_search_key(opportunity=opportunity)
        return opportunity


def _titles(*, opportunity: Opportunity, template: Template) -> tuple[str, str]:
    pct = opportunity.physical_progress_pct
    commodity = opportunity.commodity
    thing_en = f"{template.act_en} {template.place_en}"
    title_fa = TITLE_FA[opportunity.type].format(
        green=template.green_fa,
        thing=f"{template.place_fa} {template.act_fa}",
        act=template.act_fa,
        pct=to_persian_digits(pct) if pct is not None else "",
        commodity=commodity.name_fa if commodity is not None else template.act_fa,
    )
    title_en = TITLE_EN[opportunity.type].format(
        green=template.green_en,
        thing=thing_en,
        Thing=thing_en[:1].upper() + thing_en[1:],
        pct=pct,
        Commodity=commodity.name_en if commodity is not None else template.act_en.capitalize(),
    )
    county = opportunity.county
    if county is not None:
        return f"{title_fa} در شهرستان {county.name_fa}", f"{title_en} in {county.name_en} County"
    province = opportunity.province
    return f"{title_fa} در استان {province.name_fa}", f"{title_en} in {province.name_en} Province"


def _mining_sentences(opportunity: Opportunity) -> tuple[str, str]:
    if opportunity.reserves_tonnes is None:
        return "", ""
    tonnes = _grouped(opportunity.reserves_tonnes)
    fa, en = f" ذخیره قطعی {to_persian_digits(tonnes)} تن", f" Proven reserves of {tonnes} tonnes"
    grade = opportunity.grade_pct
    if grade is not None:
        grade_text = _grouped(grade.normalize())
        fa += f" با عیار متوسط {to_persian_digits(grade_text)} درصد"
        en += f" at an average grade of {grade_text}%"
        if opportunity.commodity is not None and opportunity.commodity.code == "gold":
            grams = _grouped((grade * 10_000).quantize(Decimal("0.1")))
            fa += f" ({to_persian_digits(grams)} گرم در تن)"
            en += f" ({grams} g/t)"
    return fa + ".", en + "."


def _write_texts(*, opportunity: Opportunity, template: Template) -> None:
    """Titles, summaries and simple HTML descriptions in both languages, from the figures already drawn."""
    title_fa, title_en = _titles(opportunity=opportunity, template=template)
    currency = opportunity.capex_currency
    amount_fa = format_amount_fa(opportunity.capex_amount, currency.name_fa if currency else "")
    amount_en = format_amount_en(opportunity.capex_amount, currency.code if currency else "")
    capacity = _grouped(opportunity.capacity_value)
    unit_fa = unit_name(opportunity.capacity_unit, language="fa")
    jobs = opportunity.jobs
    pct = opportunity.physical_progress_pct
    mining_fa, mining_en = _mining_sentences(opportunity)
    note_fa = NOTE_FA[opportunity.type].format(pct=to_persian_digits(pct or 0))
    opportunity.title_fa, opportunity.title_en = title_fa, title_en
    opportunity.summary_fa = (
        f"{title_fa}؛ ظرفیت {to_persian_digits(capacity)} {unit_fa}، سرمایه‌گذاری مورد نیاز {amount_fa} و "
        f"اشتغال مستقیم {to_persian_digits(jobs)} نفر. {note_fa}{mining_fa}"
    )
    opportunity.summary_en = (
        f"{title_en}: capacity {capacity} {opportunity.capacity_unit}, investment required {amount_en}, "
        f"{jobs} direct jobs. {NOTE_EN[opportunity.type].format(pct=pct)}{mining_en}"
    )
    opportunity.description_fa = _description(
        summary=opportunity.summary_fa,
        items=(("سرمایه‌گذاری مورد نیاز", amount_fa), ("اشتغال مستقیم", f"{to_persian_digits(jobs)} نفر")),
        incentives=opportunity.incentives_note,
        event=f"این فرصت در {opportunity.event.name_fa} معرفی شده است." if opportunity.event else "",
    )
    opportunity.description_en = _description(
        summary=opportunity.summary_en,
        items=(("Investment required", amount_en), ("Direct jobs", str(jobs))),
        incentives="",
        event=f"Presented at {opportunity.event.name_en}." if opportunity.event else "",
    )


def _text(value: str) -> str:
    """Escape text content the way the sanitiser writes it back (quotes left alone), so saving again changes nothing."""
    return html.escape(value, quote=False)


def _description(*, summary: str, items: Iterable[tuple[str, str]], incentives: str, event: str) -> str:
    """Only tags the sanitiser keeps (p, ul, li, strong, h4), and every inserted text escaped."""
    rows = "".join(f"<li><strong>{_text(label)}:</strong> {_text(value)}</li>" for label, value in items)
    parts = [f"<p>{_text(summary)}</p>", f"<ul>{rows}</ul>"]
    if incentives:
        notes = "".join(f"<li>{_text(note)}</li>" for note in incentives.split("؛ "))
        parts.append(f"<h4>مشوق‌ها</h4><ul>{notes}</ul>")
    if event:
        parts.append(f"<p>{_text(event)}</p>")
    return "".join(parts)


def _by_code(rows: Iterable, attribute: str = "code") -> dict:
    return {getattr(row, attribute): row for row in rows}


def iter_opportunities(
    *,
    count: int,
    province: Province | None,
    counties: Iterable[County] | None = None,
    sectors: Iterable[Sector],
    commodities: Iterable[Commodity],
    currencies: Iterable[Currency],
    event: Event | None,
    units_per_usd: Mapping[str, Decimal],
    seed: int = 1404,
    year: int = 2025,
    mining_count: int | None = None,
    provinces: Iterable[Province] | None = None,
    counties_by_province: Mapping[int, Iterable[County]] | None = None,
    owner_organisation=None,
    reference_counters: dict[str, int] | None = None,
) -> Iterator[Opportunity]:
    """Yield `count` unsaved demo opportunities, exactly `mining_count` of them under MIN, the same on every run.

    With `province=None` rows are spread over `provinces`, counties taken from `counties_by_province` (keyed by
    province id). `units_per_usd` maps currency codes to the rate to use for `capex_usd`. `reference_counters` holds the
    last number already used per reference prefix and is advanced in place, so after consuming the iterator it holds
    the values `ReferenceCounter` must be moved to. Arguments are checked before the first row is produced.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    if mining_count is None:
        mining_count = count * DEFAULT_MINING_SHARE[0] // DEFAULT_MINING_SHARE[1]
    if not 0 <= mining_count <= count:
        raise ValueError("mining_count must be between 0 and count")
    sector_map = _link_sector_tree(sectors)
    commodity_map = _by_code(commodities)
    templates = {
        mining: _resolve_templates(templates=table, sectors=sector_map, commodities=commodity_map)
        for mining, table in ((True, MINING_TEMPLATES), (False, OTHER_TEMPLATES))
    }
    places = _places(
        province=province,
        counties=counties,
        provinces=provinces,
        counties_by_province=counties_by_province,
        templates=templates,
    )
    for mining, needed in ((True, mining_count), (False, count - mining_count)):
        if needed and any(not place.templates[mining][0] for place in places):
            raise ValueError(f"no {'mining' if mining else 'non-mining'} sectors to draw from; load the reference data")
    builder = _Builder(
        rng=random.Random(seed),
        year=year,
        event=event,
        owner=owner_organisation,
        currencies=_by_code(currencies),
        units_per_usd=units_per_usd,
        counters=reference_counters if reference_counters is not None else {},
    )
    return _rows(builder=builder, places=places, count=count, mining_count=mining_count)


def _places(*, province, counties, provinces, counties_by_province, templates) -> list[_Place]:
    if province is not None:
        return [_make_place(province=province, counties=counties or (), templates=templates)]
    if provinces is None:
        raise ValueError("pass a province, or provinces (and counties_by_province) to spread rows over")
    counties_by_province = counties_by_province or {}
    places = [
        _make_place(province=item, counties=counties_by_province.get(item.pk, ()), templates=templates)
        for item in sorted(provinces, key=lambda item: item.code)
    ]
    if not places:
        raise ValueError("provinces is empty")
    return places


def _rows(*, builder: _Builder, places: list[_Place], count: int, mining_count: int) -> Iterator[Opportunity]:
    """Mining rows are spread evenly through the sequence, so any prefix of it has about the right share."""
    for index in range(count):
        mining = (index + 1) * mining_count // count > index * mining_count // count
        place = places[0] if len(places) == 1 else builder.rng.choice(places)
        yield builder.opportunity(place=place, mining=mining)


def build_opportunities(
    *,
    count: int,
    province: Province | None,
    counties: Iterable[County] | None = None,
    sectors: Iterable[Sector],
    commodities: Iterable[Commodity],
    currencies: Iterable[Currency],
    event: Event | None,
    units_per_usd: Mapping[str, Decimal],
    seed: int = 1404,
    year: int = 2025,
    mining_count: int | None = None,
    provinces: Iterable[Province] | None = None,
    counties_by_province: Mapping[int, Iterable[County]] | None = None,
    owner_organisation=None,
    reference_counters: dict[str, int] | None = None,
) -> list[Opportunity]:
    """All of `iter_opportunities` as a list, for callers that insert a few thousand rows at once."""
    return list(
        iter_opportunities(
            count=count,
            province=province,
            counties=counties,
            sectors=sectors,
            commodities=commodities,
            currencies=currencies,
            event=event,
            units_per_usd=units_per_usd,
            seed=seed,
            year=year,
            mining_count=mining_count,
            provinces=provinces,
            counties_by_province=counties_by_province,
            owner_organisation=owner_organisation,
            reference_counters=reference_counters,
        )
    )
