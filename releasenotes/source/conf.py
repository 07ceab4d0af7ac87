"""Sphinx configuration of the Congress release notes (reno)."""

project = 'Congress Release Notes'
copyright = 'Congress contributors'
extensions = ['reno.sphinxext']
master_doc = 'index'
exclude_patterns = []
html_theme = 'alabaster'
html_static_path = []
