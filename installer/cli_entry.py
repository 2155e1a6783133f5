"""PyInstaller entry for the command line: ``perfeval check|export|…``."""
import sys

from perfeval_gui.cli import main

if __name__ == "__main__":
    sys.exit(main())
