"""Admin of this app."""
