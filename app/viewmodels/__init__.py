"""Page logic kept out of controls (plain Python, testable without Flet)."""
