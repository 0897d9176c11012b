"""``python -m ipt_widgets.instructor.report``: the competency report's command line."""

import sys

from .cli import main

sys.exit(main())
