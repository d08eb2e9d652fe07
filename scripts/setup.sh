#!/usr/bin/env bash
# Idempotent setup: a virtual environment at .venv with the pinned packages.
# `--dev` also installs the test tools and Debian's Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

apt_install() {
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }
  else
    echo "Please install with: sudo apt-get install $*" >&2
    exit 1
  fi
}

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv 2>/dev/null || { rm -rf .venv; apt_install python3-venv; python3 -m venv .venv; }
fi

requirements=requirements.txt
[ "$dev" = 1 ] && requirements=requirements-dev.txt
stamp=".venv/.installed-$(cat requirements.txt "$requirements" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$requirements"
  touch "$stamp"
fi
# The project itself, editable, for its console script (.venv/bin/board); again when pyproject.toml changes.
project=".venv/.project-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$project" ] || [ ! -x .venv/bin/board ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
  rm -f .venv/.project-*
  touch "$project"
fi

if [ "$dev" = 1 ]; then
  # Debian's packages the tests drive for real: Chromium (browser tests), PostgreSQL 15 (a
  # throwaway server the store tests start themselves), LibreOffice (workbooks from another writer).
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
  command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui)
  command -v npm >/dev/null || missing+=(nodejs npm)
  [ "${#missing[@]}" = 0 ] || apt_install "${missing[@]}"
  # npm packages the tests run: axe-core (accessibility), oidc-provider (a real OpenID provider).
  lock="tests/js/node_modules/.installed-$(sha256sum tests/js/package.json | cut -c1-16)"
  if [ ! -f "$lock" ]; then
    (cd tests/js && npm install --silent --no-audit --no-fund >/dev/null)
    touch "$lock"
  fi
fi
