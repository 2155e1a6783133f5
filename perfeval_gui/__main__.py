"""``python -m perfeval_gui [FILE]`` starts the window."""
import sys

from .gui.app import main

sys.exit(main())
