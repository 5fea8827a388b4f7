"""Date and time formats per language (settings.FORMAT_MODULE_PATH), as CLDR writes them for fi, sv
and British English (en_GB); tests/config/test_formats.py holds them to Babel's CLDR data, so
templates, emails and PDFs all use one consistent form per language."""
