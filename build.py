#!/usr/bin/env python3
"""Thin command-line entry: `python build.py build|check [options]` (see README.md)."""

import sys

from portal.cli import main

if __name__ == "__main__":
    sys.exit(main())
