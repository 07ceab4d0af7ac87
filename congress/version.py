"""The version of the installed Congress package."""

import pbr.version

version_info = pbr.version.VersionInfo('congress')
version_string = version_info.version_string
