"""Models of the securemail app."""
