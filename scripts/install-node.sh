#!/usr/bin/env bash
# Installs Node 24 LTS from the npm registry's node@24 package into .tools/node24 (git-ignored).
# Use it with: export PATH="$PWD/.tools/node24/node_modules/.bin:$PATH"
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=.tools/node24
if [ -x "$DIR/node_modules/.bin/node" ] && "$DIR/node_modules/.bin/node" -e 'process.exit(process.versions.node.split(".")[0] === "24" ? 0 : 1)'; then
  exit 0
fi
mkdir -p "$DIR"
# The package's preinstall script is not needed: the binary is in the package itself.
npm install --prefix "$DIR" --no-save --no-audit --no-fund --loglevel=error node@24 >/dev/null
"$DIR/node_modules/.bin/node" --version >/dev/null
