"""Finnish (CLDR fi): 30.11.2026, 30. marraskuuta 2026, 30.11.2026 klo 16.50."""

DATE_FORMAT = r"j. E Y"  # CLDR long "d. MMMM y" (month in the partitive: marraskuuta)
SHORT_DATE_FORMAT = "j.n.Y"  # CLDR short "d.M.y"
TIME_FORMAT = "G.i"  # CLDR short "H.mm"
DATETIME_FORMAT = r"j. E Y \k\l\o G.i"
SHORT_DATETIME_FORMAT = r"j.n.Y \k\l\o G.i"
MONTH_DAY_FORMAT = r"j. E"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
