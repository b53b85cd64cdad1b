"""Records the CMS files the site publishes, with their SHA-384, in cms/bundle.json.

Run after changing a version in cms/package.json and `npm install --prefix cms`; review the
difference like any other change. `build.py build` refuses a bundle that differs from it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.render.cms import BUNDLE_MANIFEST, sha384  # noqa: E402

# package, its folder of built files, which of them the browser loads (source maps and the
# unbranded `cms.js` copies stay out), and where they go under admin/.
PACKAGES = [
    ("decap-cms", "dist", lambda name: name.endswith(("decap-cms.js", ".wasm", "decap-cms.js.LICENSE.txt")), ""),
    ("js-yaml", "dist", lambda name: name == "js-yaml.min.js", ""),
]


def main() -> None:
    cms = ROOT / "cms"
    packages = []
    for name, dist, wanted, publish in PACKAGES:
        folder = cms / "node_modules" / name
        version = json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"]
        files = {path.name: sha384(path.read_bytes()) for path in sorted((folder / dist).iterdir())
                 if path.is_file() and wanted(path.name)}
        packages.append({"name": name, "version": version, "dist": dist, "publish": publish, "files": files})
    text = json.dumps({"packages": packages}, indent=2) + "\n"
    (cms / BUNDLE_MANIFEST).write_text(text, encoding="utf-8")
    print(f"Đã ghi cms/{BUNDLE_MANIFEST}: " + ", ".join(f"{p['name']} {p['version']} ({len(p['files'])} tệp)"
                                                        for p in packages))


if __name__ == "__main__":
    main()
