"""Masking of secret arguments before they are stored."""

from congress import conf

CONF = conf.CONF

MASK = '***'


def _is_secret(name):
    lowered = name.lower()
    return any(word in lowered
               for word in CONF.execution.secret_argument_names)


def mask_named_args(named_args):
    """A copy of ``named_args`` with secret-looking values replaced."""
    return {key: (MASK if _is_secret(key) else value)
            for key, value in named_args.items()}
