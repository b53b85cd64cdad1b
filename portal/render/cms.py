"""The web editor at /admin/ (Decap CMS), for a site whose `site.yaml` has a `cms:` block.

Its configuration (`admin/config.yml`) is generated here from the shared field tree
(`portal/content/fields.py`) and the content's units, topics and commemorations, never written by
hand: every front-matter field with its widget, Vietnamese label and hint, in the portal's key
order. The CMS itself is a pinned npm package (`cms/package.json`, `cms/package-lock.json`),
installed beside the repository by `npm ci --prefix cms`; each file the site publishes is checked
against the SHA-384 recorded in `cms/bundle.json` before it is copied, so the site serves exactly
the reviewed bundle and loads nothing from a CDN.

Decap writes front matter through `templates/admin/portal-cms.js`, a format of our own: keys in
the order of this configuration, the portal's quoting, dates as DD/MM/YYYY, empty optional fields
left out, and, when an existing document is edited, the text of every field the editor did not
touch kept as it was (comments included).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from portal.content import fields as kinds
from portal.content.fields import DATA_FILES, DATE_FORMAT, EditorField, data_fields, document_fields
from portal.content.models import ID_HINT, ID_PATTERN, Commemoration, DocumentKind, Site, SiteConfig, Topic, Unit
from portal.urls import DOCUMENTS

ADMIN_DIR = "admin"
COLLECTION = "van-ban"
LIST_FORMAT = "portal-list"  # + "-units": a data file, a list of items (templates/admin/portal-cms.js)
_DATA_LABELS = {"units.yaml": ("Đơn vị", "{{fields.name}}"), "topics.yaml": ("Chủ đề", "{{fields.name}}"),
                "commemorations.yaml": ("Ngày kỷ niệm", "{{fields.date}} {{fields.name}}")}
BUNDLE_MANIFEST = "bundle.json"  # in the cms/ folder: package versions and each file's SHA-384
# The slug of a new document, as `build.py new` makes it: number and title, ASCII, lower case.
SLUG_TEMPLATE = "{{number}}-{{title | truncate(60, '')}}"
SLUG_RULES = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}


def _choices(field: EditorField, choices: dict[str, list[dict[str, str]]]) -> list[dict[str, str]]:
    if field.widget == kinds.CHOICE:
        return [{"label": label, "value": value} for value, label in field.options]
    return choices[field.reference or ""]


def _widget(field: EditorField, choices: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    entry: dict[str, Any] = {"label": field.label, "name": field.name, "hint": field.hint,
                             "required": field.required}
    widget = field.widget
    if widget in (kinds.CHOICE, kinds.REFERENCE, kinds.REFERENCES):
        entry.update(widget="select", options=_choices(field, choices), multiple=widget == kinds.REFERENCES)
    elif widget == kinds.GROUP:
        children = [_widget(child, choices) for child in field.children]
        if not field.required:  # Decap cannot say "required once the group is filled in"; `check` does
            children = [{**child, "required": False} for child in children]
        entry.update(widget="object", collapsed=not field.required, fields=children)
    elif widget == kinds.GROUPS:
        first = field.children[0].name
        entry.update(widget="list", collapsed=False, summary="{{fields." + first + "}}", default=[],
                     fields=[_widget(child, choices) for child in field.children])
    elif widget == kinds.TEXTS:
        entry.update(widget="list", default=[], field={"label": field.label, "name": "item",
                                           "widget": "text" if field.long_items else "string"})
    elif widget == kinds.DATE:
        # Stored as the editor writes it; no time of day, and no "today" filled in by itself.
        entry.update(widget="datetime", format=DATE_FORMAT, date_format=DATE_FORMAT, time_format=False,
                     default="")
    elif widget == kinds.INTEGER:
        entry.update(widget="number", value_type="int")
        entry.update({key: value for key, value in (("min", field.minimum), ("max", field.maximum))
                      if value is not None})
    elif widget == kinds.BOOLEAN:
        entry.update(widget="boolean", default=bool(field.default))
    else:
        entry.update(widget="text" if widget == kinds.PARAGRAPH else "string")
        if field.pattern:  # checked as the editor types; portal-cms.js writes such values unquoted
            entry["pattern"] = [field.pattern, ID_HINT if field.pattern == ID_PATTERN.pattern else field.hint]
    if field.default is not None and "default" not in entry:
        entry["default"] = field.default
    return entry


def cms_config(config: SiteConfig, units: tuple[Unit, ...], topics: tuple[Topic, ...],
               commemorations: tuple[Commemoration, ...]) -> dict[str, Any]:
    """Decap CMS's configuration for the site (`config.cms` must be set)."""
    cms = config.cms
    assert cms is not None
    backend: dict[str, Any] = {"name": cms.backend, "repo": cms.repo, "branch": cms.branch,
                               "open_authoring": cms.open_authoring,
                               "commit_messages": {"create": "Thêm văn bản “{{slug}}”",
                                                   "update": "Sửa văn bản “{{slug}}”",
                                                   "delete": "Xóa văn bản “{{slug}}”",
                                                   "uploadMedia": "Thêm tệp “{{path}}”",
                                                   "deleteMedia": "Xóa tệp “{{path}}”",
                                                   "openAuthoring": "{{message}}"}}
    if cms.api_root:
        backend["api_root"] = cms.api_root
    if cms.auth_url:
        backend["base_url"] = cms.auth_url
    choices = {
        "unit": [{"label": unit.name, "value": unit.id} for unit in units],
        "topic": [{"label": topic.name, "value": topic.id} for topic in topics],
        "commemoration": [{"label": item.name, "value": item.id} for item in commemorations],
    }
    body = {"label": "Toàn văn", "name": "body", "widget": "markdown", "hint": "Toàn văn bằng Markdown",
            # Raw only: the rich-text mode escapes and rewrites Markdown ("## I." became "\\## I.").
            "modes": ["raw"], "editor_components": [], "sanitize_preview": True}
    return {
        "backend": backend,
        "local_backend": {"url": LOCAL_PROXY + "/api/v1"},
        "publish_mode": "editorial_workflow",
        "locale": "vi",
        "site_url": config.base_url,
        "display_url": config.base_url,
        "logo_url": "",
        # The portal publishes no uploaded files (`missing-image`); Decap requires a folder all the same.
        "media_folder": "content/media",
        "slug": SLUG_RULES,
        "collections": [{
            "name": COLLECTION, "label": "Văn bản", "label_singular": "văn bản",
            "description": "Kế hoạch, công văn, hướng dẫn, đề cương… Mỗi lần lưu là một nhánh và một yêu cầu gộp "
                           "(pull request); CI chạy `build.py check` trên đó.",
            "folder": "content/documents", "extension": "md", "format": "portal-frontmatter",
            "create": True, "delete": False, "slug": SLUG_TEMPLATE, "identifier_field": "title",
            "summary": "{{number}} {{title}}", "preview_path": DOCUMENTS + "{{slug}}/",
            "sortable_fields": ["title", "number"],
            "view_filters": [{"label": DocumentKind(value).label, "field": "kind", "pattern": value}
                             for value in (kind.value for kind in DocumentKind)],
            "fields": [*(_widget(field, choices) for field in document_fields()), body],
        }, *({
            # One collection per data file: its format (`portal-list-<name>`) knows the file's items.
            "name": name.removesuffix(".yaml"), "label": label, "format": f"{LIST_FORMAT}-{name.removesuffix('.yaml')}",
            "extension": "yaml", "editor": {"preview": False},
            "description": "Mỗi mục một dòng của danh sách; mã (id) đã dùng trong văn bản thì không đổi.",
            "files": [{"name": name.removesuffix(".yaml"), "label": label, "file": f"content/{name}",
                       "fields": [{"label": label, "name": "items", "widget": "list", "collapsed": True,
                                   "summary": summary, "default": [], "hint": f"Danh sách trong content/{name}",
                                   "fields": [_widget(field, choices) for field in data_fields(model)]}]}],
        } for name, model in DATA_FILES.items() for label, summary in [_DATA_LABELS[name]]),
        ],
    }


def render_cms_config(config: SiteConfig, units: tuple[Unit, ...], topics: tuple[Topic, ...],
                      commemorations: tuple[Commemoration, ...]) -> str:
    head = "# Tạo bởi build.py từ các mô hình nội dung (portal/render/cms.py); không sửa tay.\n"
    return head + yaml.safe_dump(cms_config(config, units, topics, commemorations), allow_unicode=True,
                                 sort_keys=False, width=1000)


@dataclass(frozen=True)
class BundleProblem:
    file: str
    message: str


def sha384(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def bundle_files(cms_dir: Path) -> tuple[dict[str, bytes], list[BundleProblem]]:
    """The CMS files the site publishes under admin/, each checked against its recorded SHA-384."""
    manifest_path = cms_dir / BUNDLE_MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return {}, [BundleProblem(str(manifest_path), str(error))]
    files, problems = {}, []
    for package in manifest["packages"]:
        folder = cms_dir / "node_modules" / package["name"]
        installed = _installed_version(folder)
        if installed != package["version"]:
            problems.append(BundleProblem(str(folder), f"cần {package['name']} {package['version']}, "
                                                       f"đang có {installed or 'không có'}"))
            continue
        for name, digest in package["files"].items():
            path = folder / package["dist"] / name
            try:
                data = path.read_bytes()
            except OSError:
                problems.append(BundleProblem(str(path), "không có tệp"))
                continue
            if sha384(data) != digest:
                problems.append(BundleProblem(str(path), f"mã băm {sha384(data)} khác mã đã ghi {digest}"))
                continue
            files[f"{package['publish']}{name}"] = data
    return files, problems


def _installed_version(folder: Path) -> str | None:
    try:
        return json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


# The API each backend's pages talk to when `api_root` is not given.
_API_ROOTS = {"github": "https://api.github.com", "gitlab": "https://gitlab.com",
              "bitbucket": "https://api.bitbucket.org", "gitea": ""}
LOCAL_PROXY = "http://localhost:8081"  # `npx decap-server` (Decap uses it only on a localhost page)
SCRIPTS = ("js-yaml.min.js", "portal-cms.js", "decap-cms.js")  # in this order: portal-cms.js asks for manual init


def admin_csp(config: SiteConfig) -> str:
    """/admin/ is a separate application with its own rules. The site's pages run only the site's
    two small scripts (`script-src 'self'`, no inline style); the editor is a React application
    that compiles its configuration's schema at run time (ajv: 'unsafe-eval'), injects its styles
    (emotion: 'unsafe-inline' styles), and talks to the git host's API. Everything it runs is
    still served from this site ('self', checked by SHA-384 and `integrity`); nothing from a CDN."""
    cms = config.cms
    assert cms is not None
    api = cms.api_root or _API_ROOTS[cms.backend]
    connect = " ".join(dict.fromkeys(source for source in ("'self'", api, cms.auth_url or "", LOCAL_PROXY) if source))
    return ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob: https:; font-src 'self' data:; "
            f"connect-src {connect}; frame-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'")


def admin_files(site: Site, theme_files: dict[str, bytes], bundle: dict[str, bytes],
                renderer: Any) -> dict[str, bytes]:
    """admin/: the page, the generated configuration, the portal's format and preview, the CMS."""
    files = {f"{ADMIN_DIR}/{name}": data for name, data in bundle.items()}
    files[f"{ADMIN_DIR}/portal-cms.js"] = theme_files[f"{ADMIN_DIR}/portal-cms.js"]
    files[f"{ADMIN_DIR}/config.yml"] = render_cms_config(site.config, site.units, site.topics,
                                                         site.commemorations).encode("utf-8")
    integrity = {name: sha384(files[f"{ADMIN_DIR}/{name}"]) for name in SCRIPTS}
    page = renderer.render(f"{ADMIN_DIR}/index.html", csp=admin_csp(site.config), scripts=SCRIPTS,
                           integrity=integrity)
    files[f"{ADMIN_DIR}/index.html"] = page.encode("utf-8")
    return files
