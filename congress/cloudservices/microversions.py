"""Choosing the microversion of a microversioned API (nova, cinder).

The client libraries' ``api_versions.APIVersion`` classes share one
interface (``matches``, ``is_latest``, ``ver_major``, ordering), so the
choice is the same for every such driver: the configured ``api_version``
when the service supports it, else the newest version both the service
and the client library support.
"""

from congress import exception
from congress.i18n import _


def choose(service, client, requested, server, supported, unsupported):
    """The microversion to talk to ``service`` at.

    :param service: the service's name, for messages ("Nova").
    :param client: the client library's name ("novaclient").
    :param requested: the configured APIVersion, or None.
    :param server: (min, max) APIVersions the service announced.
    :param supported: (min, max) APIVersions the client library supports.
    :param unsupported: the client library's UnsupportedVersion class,
        raised when there is none to choose.
    """
    server_min, server_max = server
    client_min, client_max = supported
    if requested is not None:
        if not requested.matches(server_min, server_max):
            raise unsupported(
                _('%(service)s does not support api_version %(want)s: it '
                  'supports %(min)s to %(max)s') % {
                    'service': service, 'want': requested.get_string(),
                    'min': server_min.get_string(),
                    'max': server_max.get_string()})
        return requested
    version = min(client_max, server_max)
    if version < server_min or version < client_min:
        raise unsupported(
            _('No microversion in common: %(service)s supports %(smin)s to '
              '%(smax)s, %(client)s %(cmin)s to %(cmax)s') % {
                'service': service, 'client': client,
                'smin': server_min.get_string(),
                'smax': server_max.get_string(),
                'cmin': client_min.get_string(),
                'cmax': client_max.get_string()})
    return version


def configured(value, api_versions, major, supported, unsupported, what):
    """The APIVersion of the ``api_version`` config value; BadRequest
    unless it is a microversion of API ``major`` that the client library
    supports (``supported``: its (min, max)); ``what`` names it in the
    message ("a microversion")."""
    try:
        version = api_versions.APIVersion(str(value))
    except unsupported as exc:
        raise exception.BadRequest(reason='api_version: %s' % exc)
    client_min, client_max = supported
    if (version.ver_major != major or version.is_latest()
            or not version.matches(client_min, client_max)):
        raise exception.BadRequest(
            reason=_('api_version must be %(what)s from %(min)s to '
                     '%(max)s, not %(value)s') % {
                'what': what, 'min': client_min.get_string(),
                'max': client_max.get_string(), 'value': value})
    return version
