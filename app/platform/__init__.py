"""What the app needs from the browser or the desktop window: storage, file pickers, per-tab services."""
