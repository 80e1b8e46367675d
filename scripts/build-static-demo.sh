#!/usr/bin/env bash
# `make demo-static`: the demo console as plain static files that work from
# any static file host with no API behind them: the page, the package
# (pkg/) and its testing entry, which runs the sandbox's rules in the tab.
#   scripts/build-static-demo.sh [out-dir]   (default target/demo-static)
# index.html opens console.html?sandbox=memory (the console's in-memory
# mode); paths are relative, so the folder may sit under any URL path.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/demo-static}
if [ ! -f pkg/testing.js ]; then
  echo "pkg/ has no testing entry: build the package first (make pkg)" >&2
  exit 1
fi
next="$out.next"
rm -rf "$next"
mkdir -p "$next"
cp -r www/. "$next/"
rm -rf "$next/screenshots"
cp -r pkg "$next/pkg"
mv "$next/index.html" "$next/console.html"
cat > "$next/index.html" <<'HTML'
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="default-src 'none'">
  <meta http-equiv="refresh" content="0; url=console.html?sandbox=memory">
  <title>LiveAgent Reseller console (in-memory sandbox)</title>
</head>
<body>
  <p><a href="console.html?sandbox=memory">Open the console</a> (an in-memory sandbox: no server, no real accounts).</p>
</body>
</html>
HTML
# The console imports the package from /pkg/ (where the sandbox serves it):
# here it sits beside the page, at a relative path.
sed -i 's#from "/pkg/index.js"#from "./pkg/index.js"#' "$next/app.js"
sed -i 's#from "/pkg/index.js"#from "../pkg/index.js"#' "$next"/js/*.js
sed -i 's#pkgBase = "/pkg"#pkgBase = new URL("../pkg", import.meta.url).href#' "$next/js/backend.js"
if grep -rn --include='*.js' --include='*.html' -e '"/pkg' "$next" --exclude-dir=pkg; then
  echo "build-static-demo: an absolute /pkg path is left (above): the static folder would need the host root" >&2
  exit 1
fi
rm -rf "$out"
mv "$next" "$out"
echo "static demo in $out ($(du -sh "$out" | cut -f1)); try: python3 -m http.server --directory $out"
