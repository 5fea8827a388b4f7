"""British English (CLDR en_GB), not Django's American default: 30 November 2026, 30/11/2026 16:50."""

DATE_FORMAT = "j F Y"  # CLDR long "d MMMM y"
SHORT_DATE_FORMAT = "d/m/Y"  # CLDR short "dd/MM/y"
TIME_FORMAT = "H:i"  # CLDR short "HH:mm"
DATETIME_FORMAT = "j F Y, H:i"  # CLDR "{1}, {0}"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
