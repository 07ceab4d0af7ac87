#!/usr/bin/env bash
# Rewrite upper-constraints.txt from what the tox environments have
# installed: `pip freeze` of .tox/shared (py3, functional, bench), .tox/docs
# (docs, releasenotes) and .tox/pep8, without the project itself and pip's
# own tools. To move the versions on, build the environments unconstrained
# first:
#   TOX_CONSTRAINTS_FILE=/dev/null tox -r -e py3,docs,pep8 --notest
#   tools/update-constraints.sh
# then run the tests. Two environments holding different versions of one
# package is an error (build them again, constrained by one of them).
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$TOP/upper-constraints.txt
frozen=$(mktemp)
trap 'rm -f "$frozen"' EXIT

for env in shared docs pep8; do
    pip=$TOP/.tox/$env/bin/pip
    [[ -x $pip ]] || { echo "no $pip: tox -e py3,docs,pep8 --notest first" >&2; exit 1; }
    "$pip" freeze --exclude-editable | grep '==' >>"$frozen"
done

# name (normalized as pip does) -> one version
python3 - "$frozen" "$OUT" <<'PYEOF'
import re
import sys

frozen, out = sys.argv[1:]
pins = {}
for line in open(frozen):
    name, version = line.strip().split('==')
    key = re.sub(r'[-_.]+', '-', name.lower())
    if key in ('congress', 'pip', 'setuptools', 'wheel'):
        continue
    if pins.get(key, (name, version))[1] != version:
        sys.exit('%s: %s and %s in two environments'
                 % (name, pins[key][1], version))
    pins[key] = (name, version)
with open(out) as handle:
    header = [line for line in handle if line.startswith('#')]
with open(out, 'w') as handle:
    handle.writelines(header)
    for key in sorted(pins):
        handle.write('%s===%s\n' % pins[key])
print('%s: %d packages' % (out, len(pins)))
PYEOF
