"""Units of capacity as staff type them (tonnes/year, MW, rooms) and their Persian names, for every page and text."""

UNITS_FA = {
    "tonnes/year": "تن در سال",
    "kg/year": "کیلوگرم در سال",
    "tonnes": "تن",
    "tonnes/day": "تن در روز",
    "m²/year": "مترمربع در سال",
    "m²": "مترمربع",
    "m³/day": "مترمکعب در روز",
    "MW": "مگاوات",
    "MW/year": "مگاوات در سال",
    "hectares": "هکتار",
    "km²": "کیلومترمربع",
    "head": "رأس",
    "birds/cycle": "قطعه در هر دوره",
    "pairs/year": "جفت در سال",
    "pieces/year": "عدد در سال",
    "rooms": "اتاق",
    "beds": "تخت",
    "units": "واحد",
    "spaces": "جای پارک",
    "students": "نفر ظرفیت آموزشی",
    "racks": "رک",
}


def unit_name(unit: str, *, language: str) -> str:
    """The unit in the reader's language: «تن در سال» for tonnes/year in Persian; an unknown unit as typed."""
    return UNITS_FA.get(unit, unit) if language == "fa" else unit
