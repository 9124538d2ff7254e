"""onrecord's exceptions.

Content problems (an unclosed quote, a page without a date) are data:
``Problem`` rows on a ``Record``. Unreadable inputs are data too: an
``ErrorRecord`` with a reason code. Exceptions are for configuration and
programmer errors, and for readers to signal an unreadable input:

    OnrecordError
    ├── ConfigError          a bad setting, file or option
    ├── ModelNotFound        the spaCy pipeline is not installed (says how to install it)
    ├── MissingExtra         an optional feature's packages are missing (says which extra)
    └── InputError           an input cannot be read; carries a stable ``code``
        (codes: empty, binary, too_large, decode, truncated, bad_json, bad_gzip, bad_warc,
         unsupported, not_found, timeout)
"""

from __future__ import annotations


class OnrecordError(Exception):
    """Base of all onrecord errors."""


class ConfigError(OnrecordError):
    """A setting, a settings file or a command-line option is wrong."""


class ModelNotFound(ConfigError):
    """The configured spaCy pipeline cannot be loaded."""


class MissingExtra(OnrecordError):
    """An optional feature needs packages that are not installed."""

    def __init__(self, feature: str, extra: str) -> None:
        super().__init__(f"{feature} needs the '{extra}' extra: pip install 'onrecord[{extra}]'")
        self.extra = extra


class InputError(OnrecordError):
    """An input cannot be turned into an article. ``code`` is stable and machine-readable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
