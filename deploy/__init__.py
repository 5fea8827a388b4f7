"""Running PermitSafe's production topology on one machine (object store, processes)."""
