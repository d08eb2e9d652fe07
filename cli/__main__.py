"""`python -m cli ...` is the same command line as `board ...`."""

import sys

from cli.main import main

sys.exit(main(prog="python -m cli"))
