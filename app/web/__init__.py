"""Web mode's own HTTP layer: the Flet client files compressed and cached, a Korean first screen, small fonts."""
