"""oslo.i18n integration for Congress."""

import oslo_i18n

_translators = oslo_i18n.TranslatorFactory(domain='congress')

_ = _translators.primary
