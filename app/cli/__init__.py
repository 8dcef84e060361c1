"""Headless command line: ``python -m app.cli COMMAND ...``; the program is in ``app.cli.program``.

This file stays empty on purpose: ``python -m app.cli`` imports it before ``__main__`` runs, and
``__main__`` must be able to take over Ctrl-C before anything slow loads.
"""
