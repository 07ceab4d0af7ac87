"""Sphinx configuration of the Congress documentation."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '_exts'))

project = 'Congress'
copyright = '2026, Congress developers'
author = 'Congress developers'

extensions = ['oslo_config.sphinxext', 'congress_sphinx']
templates_path = []
exclude_patterns = []
master_doc = 'index'
html_theme = 'alabaster'
html_static_path = []
pygments_style = 'sphinx'
