# Shared by scripts/run and scripts/test: a virtual environment in .venv (or $VENV).
VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

ensure_venv() {
  if [ -x "$VENV/bin/python" ]; then
    return
  fi
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Python 3.11 or newer is required ($PYTHON is $("$PYTHON" --version 2>&1))." >&2
    exit 2
  fi
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    echo "Could not create a virtual environment. On Debian/Ubuntu: sudo apt-get install python3-venv" >&2
    exit 2
  fi
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
}

# Install the project (pip arguments, e.g. -e . or -e '.[test]') only when it was never
# installed with these extras or pyproject.toml changed since: once installed, the bot starts
# without the package index (a reboot without network). The stamp lives in the venv.
ensure_installed() {
  local stamp="$VENV/.pdn-installed-$(printf '%s' "$*" | tr -c 'a-z' '_')" wanted
  wanted="$("$VENV/bin/python" -c 'import hashlib; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    return
  fi
  if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$@"; then
    echo "Could not install the dependencies (is the network or the package index reachable?)." >&2
    exit 1
  fi
  echo "$wanted" > "$stamp"
}
