"""`python -m pipelines.docs` (and `make docs`): rewrite every generated doc."""

import sys

from . import main

sys.exit(main())
