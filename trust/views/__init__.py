"""The trust center's pages and API, one module per part (public, check, verify, reports, team)."""
