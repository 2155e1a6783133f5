"""PyInstaller entry for the window: ``perfeval-gui [FILE] [--self-check] [--screenshot OUT.png]``."""
import sys

from perfeval_gui.gui.app import main

if __name__ == "__main__":
    sys.exit(main())
