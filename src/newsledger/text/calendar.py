"""Calendar words of English news: months, weekdays and seasons. Data only.

(The module shadows nothing: it is `newsledger.text.calendar`, imported by that name.)
"""
from __future__ import annotations

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
# Abbreviations, written with a full stop in news ("Sept. 4"); "May" has none.
MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")
# month name or abbreviation (lower case) -> month number
MONTH_NUMBER = {**{m.lower(): i for i, m in enumerate(MONTHS, 1)},
                **{a.lower(): MONTHS.index(next(m for m in MONTHS if m.startswith(a[:3]))) + 1
                   for a in MONTH_ABBREVIATIONS}}

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# weekday name (lower case) -> ISO weekday number less one (Monday 0, as datetime.weekday())
WEEKDAY_NUMBER = {d.lower(): i for i, d in enumerate(WEEKDAYS)}

# season name -> TIMEX3 season code
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
