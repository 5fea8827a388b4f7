"""Swedish (CLDR sv): 30 november 2026 in text, 2026-11-30 16:50 for a moment."""

DATE_FORMAT = "j F Y"  # CLDR long "d MMMM y"
SHORT_DATE_FORMAT = "Y-m-d"  # CLDR short "y-MM-dd"
TIME_FORMAT = "H:i"  # CLDR short "HH:mm"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
