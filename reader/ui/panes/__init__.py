"""The main screen's compound panes: each owns its widgets and its work."""
