"""``python -m app.cli``: Ctrl-C is taken over before the commands load (about half a second)."""
import sys

from app.interrupts import leave_on_ctrl_c, raise_on_ctrl_c

leave_on_ctrl_c()

from app.cli.program import build_parser, run  # noqa: E402 - loads every command; Ctrl-C must not print a traceback

parser = build_parser()
raise_on_ctrl_c()
code = run(parser)
leave_on_ctrl_c()  # done: a late Ctrl-C while Python shuts down must not print a traceback either
sys.exit(code)
