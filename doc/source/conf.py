"""Sphinx configuration of the Congress documentation."""

project = 'Congress'
copyright = '2026, Congress developers'
author = 'Congress developers'

extensions = []
templates_path = []
exclude_patterns = []
master_doc = 'index'
html_theme = 'alabaster'
html_static_path = []
pygments_style = 'sphinx'
