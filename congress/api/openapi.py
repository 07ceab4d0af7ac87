"""The OpenAPI 3 document of the REST API (``openapi.yaml`` beside this
module), as the tests and the API reference read it."""

import os

import yaml

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    'openapi.yaml')


def load():
    """The document as a dict."""
    with open(PATH) as document:
        return yaml.safe_load(document)
