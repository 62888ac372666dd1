#!/usr/bin/env python3
"""Extract training text and held-out evaluation items for the language identifier.

Everything comes from Debian packages installed on the machine (see PROVENANCE below);
nothing is downloaded. Output (gitignored) under .data/langid/:

  train/<lang>.txt        one text per line (paragraph or message), for build_model.py
  train/<lang>.words      word-list entries (wamerican, wspanish, wportuguese, …), one per line
  eval.tsv                held-out items: lang<TAB>source<TAB>text  (en/es only)
  provenance.json         package name + version of every source used

Held-out split is by SOURCE, never by item:
  * LibreOffice help (libreoffice-help-en-us / -es): paragraphs paired by file and
    paragraph id; pairs whose Spanish side shares half or more of its words with the English
    side (untranslated or partly translated paragraphs, identifiers) dropped: their label
    is unreliable. The rule looks at the pair only, never at any identifier's answer.
  * The PostgreSQL and GTK message-catalog families (postgres-15, psql-15, pg_*, gtk20,
    gtk30, …): msgid (English) and msgstr (Spanish), never used for training.
Evaluation items whose normalized text also occurs in the training text are dropped, so
strings shared between catalogs cannot leak. The GIMP manual is never read.
"""

import glob
import html
import html.parser
import json
import os
import random
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, ".data", "langid")
LANGS = ["en", "es", "pt", "ca", "it", "fr", "gl"]
# Catalog locales read for each language (pt takes both European and Brazilian).
CATALOG_LOCALES = {"es": ["es"], "pt": ["pt", "pt_BR"], "ca": ["ca"], "it": ["it"], "fr": ["fr"], "gl": ["gl"]}
HELP_LOCALES = {"en": ["C"], "es": ["es"], "pt": ["pt", "pt_BR"], "ca": ["ca"], "it": ["it"], "fr": ["fr"], "gl": ["gl"]}
WORD_LISTS = {
    "en": ("/usr/share/dict/american-english", "wamerican"),
    "es": ("/usr/share/dict/spanish", "wspanish"),
    "pt": ("/usr/share/dict/portuguese", "wportuguese"),
    "ca": ("/usr/share/dict/catala", "wcatalan"),
    "it": ("/usr/share/dict/italian", "witalian"),
    "fr": ("/usr/share/dict/french", "wfrench"),
    "gl": ("/usr/share/dict/galician-minimos", "wgalician-minimos"),
}


# The catalogs (gettext domains) the committed model was built from. A fixed list, so that
# packages installed later do not change a rebuild.
TRAINING_CATALOGS = set("""
Linux-PAM PackageKit WebKitGTK-4.1 adduser appstream apt at-spi2-core avahi bash bfd binutils
coreutils cups-pk-helper diffutils dpkg dpkg-dev elfutils findutils gas gdk-pixbuf gettext-runtime
gettext-tools git glib-networking glib20 gnupg2 gnutls30 gold gprof grep gsettings-desktop-schemas
gst-plugins-base-1.0 gst-plugins-good-1.0 gstreamer-1.0 ld libapt-pkg6.0 libc libhandy libidn2
libsecret libsoup-3.0 make man-db man-db-gnulib net-tools notification-daemon opcodes polkit-1 popt
procps-ng psmisc python-apt sed shadow shared-mime-info software-properties system-config-printer
systemd tar upower wget wget-gnulib xdg-user-dirs xkeyboard-config xz yelp
""".split())
HELP_DOCUMENTS = ["gnome-help", "system-admin-guide"]


def held_out_catalog(name):
    """Catalog families kept out of training: PostgreSQL and GTK."""
    base = name[:-3]
    return (
        base.startswith("pg_") or base.endswith("-15") or base in ("pgscripts-15", "plpgsql-15")
        or base.startswith("gtk20") or base.startswith("gtk30")
    )


def excluded_catalog(name):
    """Catalogs of names and codes (countries, languages, scripts): not running text."""
    return name.startswith("iso_")


PLACEHOLDER = re.compile(r"%(\d+\$)?[-+ #0']*(\d+|\*)?(\.(\d+|\*))?(hh|h|ll|l|L|q|j|z|t|I)?[a-zA-Z%]"
                         r"|\$\{[^}]*\}|\{[^}]*\}|<[^>]+>|&[a-z]+;|\\n|\\t")
MNEMONIC = re.compile(r"(?<=\w)_(?=\w)|(?<![\w_])_(?=\w)|&(?=\w)")
SPACES = re.compile(r"\s+")
LETTER = re.compile(r"[^\W\d_]")


def clean_message(text):
    text = PLACEHOLDER.sub(" ", text)
    text = MNEMONIC.sub("", text)
    return SPACES.sub(" ", text).strip()


def dpkg_version(package):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True,
                              text=True, check=True).stdout.strip()
    except subprocess.CalledProcessError:
        return None


def owning_package(path):
    try:
        out = subprocess.run(["dpkg-query", "-S", path], capture_output=True, text=True, check=True).stdout
        return out.split(":")[0].strip()
    except subprocess.CalledProcessError:
        return None


def read_catalog(path):
    """(msgid, msgstr) pairs of a compiled .mo catalog (GNU gettext format), decoded with
    the charset its header declares; plural forms give the first form of each."""
    import struct
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    _, count, ids_at, strs_at = struct.unpack(order + "4I", data[4:20])
    raw = []
    for i in range(count):
        id_len, id_off = struct.unpack(order + "2I", data[ids_at + 8 * i: ids_at + 8 * i + 8])
        str_len, str_off = struct.unpack(order + "2I", data[strs_at + 8 * i: strs_at + 8 * i + 8])
        raw.append((data[id_off:id_off + id_len], data[str_off:str_off + str_len]))
    charset = "utf-8"
    for msgid, msgstr in raw:
        if msgid == b"":
            m = re.search(rb"charset=([-\w]+)", msgstr)
            if m and m.group(1).lower() not in (b"charset", b"utf-8"):
                charset = m.group(1).decode("ascii")
    pairs = []
    for msgid, msgstr in raw:
        if not msgid:
            continue
        msgid = msgid.split(b"\x00")[0]
        msgstr = msgstr.split(b"\x00")[0]
        if b"\x04" in msgid:
            msgid = msgid.split(b"\x04", 1)[1]
        try:
            pairs.append((msgid.decode(charset), msgstr.decode(charset)))
        except (UnicodeDecodeError, LookupError):
            continue
    pairs.sort()
    return pairs


class BlockText(html.parser.HTMLParser):
    """Text of block elements (p, li, td, h1…, title) with code-like elements dropped."""

    BLOCKS = {"p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "title", "item", "caption"}
    SKIP = {"pre", "code", "tt", "kbd", "samp", "screen", "script", "style", "cmd", "sys", "file", "key",
            "keyseq", "input", "output", "info", "var", "link", "em_code"}
    SKIP_CLASSES = {"command", "filename", "literal", "systemitem", "package", "option", "userinput",
                    "computeroutput", "replaceable", "code", "bascode", "programlisting", "screen", "keycode"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.current = None
        self.skip_depth = 0
        self.stack = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        skip = tag in self.SKIP or bool(classes & self.SKIP_CLASSES)
        self.stack.append((tag, skip))
        if skip:
            self.skip_depth += 1
        if tag in self.BLOCKS and self.skip_depth == 0:
            self.flush()
            self.current = []

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, skip = self.stack.pop()
            if skip:
                self.skip_depth -= 1
            if open_tag == tag:
                break
        if tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data):
        if self.current is not None and self.skip_depth == 0:
            self.current.append(data)

    def flush(self):
        if self.current:
            text = SPACES.sub(" ", "".join(self.current)).strip()
            if text:
                self.blocks.append(text)
        self.current = None


def html_blocks(text):
    parser = BlockText()
    parser.feed(text)
    parser.close()
    parser.flush()
    return parser.blocks


def plain_paragraphs(text):
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [l.strip(" *+-\t") for l in chunk.splitlines()]
        para = SPACES.sub(" ", " ".join(lines)).strip()
        if para:
            paragraphs.append(para)
    return paragraphs


WORD = re.compile(r"[^\W\d_]+")


def shares_most_words(translation, source):
    """Whether half or more of the translation's words occur in the source: a paragraph left
    (partly) in English, or one made of identifiers. Such items carry no reliable label."""
    words = set(WORD.findall(translation.lower()))
    if not words:
        return True
    return len(words & set(WORD.findall(source.lower()))) * 2 >= len(words)


def has_letter(text):
    return LETTER.search(text) is not None


def norm_key(text):
    return SPACES.sub(" ", text.lower()).strip()


LIBREOFFICE_ITEM = re.compile(r'<(p|h[1-6])\s+id="((?:par|hd)_id[0-9a-zA-Z_]+)"([^>]*)>(.*?)</\1>', re.S)


def libreoffice_items(root):
    """{(relative path, id): text} for the help pages under root."""
    items = {}
    for path in sorted(glob.glob(os.path.join(root, "text", "**", "*.html"), recursive=True)):
        rel = os.path.relpath(path, root)
        with open(path, encoding="utf-8", errors="replace") as f:
            page = f.read()
        for m in LIBREOFFICE_ITEM.finditer(page):
            attrs = m.group(3)
            if "code" in attrs or "example" in attrs:
                continue
            inner = re.sub(r"<[^>]+>", "", m.group(4))
            text = SPACES.sub(" ", html.unescape(inner)).strip()
            if text and has_letter(text):
                items[(rel, m.group(2))] = text
    return items


def main():
    os.makedirs(os.path.join(OUT, "train"), exist_ok=True)
    rng = random.Random(20261123)
    train = {lang: [] for lang in LANGS}
    packages = {}

    noted_dirs = set()

    def note(path):
        directory = os.path.dirname(path)
        if directory in noted_dirs and "/locale/" not in path:
            return
        noted_dirs.add(directory)
        pkg = owning_package(path)
        if pkg and pkg not in packages:
            packages[pkg] = dpkg_version(pkg)

    # Message catalogs: msgstr in the catalog's language; the msgids of the Spanish
    # catalogs are the English training text.
    eval_mo = []
    for lang, locales in CATALOG_LOCALES.items():
        seen_names = set()
        for locale in locales:
            for path in sorted(glob.glob(f"/usr/share/locale/{locale}/LC_MESSAGES/*.mo")):
                name = os.path.basename(path)
                if excluded_catalog(name):
                    continue
                pairs = read_catalog(path)
                if not held_out_catalog(name) and name[:-3] not in TRAINING_CATALOGS:
                    continue
                if held_out_catalog(name):
                    if lang == "es":
                        for msgid, msgstr in pairs:
                            en, es = clean_message(msgid), clean_message(msgstr)
                            if en and has_letter(en):
                                eval_mo.append(("en", "catalog:" + name[:-3], en))
                            if es and has_letter(es) and not shares_most_words(es, en):
                                eval_mo.append(("es", "catalog:" + name[:-3], es))
                    continue
                note(path)
                for msgid, msgstr in pairs:
                    target, source = clean_message(msgstr), clean_message(msgid)
                    if target and target != source:
                        train[lang].append(target)
                    if lang == "es" and source and name not in seen_names:
                        train["en"].append(source)
                seen_names.add(name)

    # GNOME help (Mallard pages); translated paragraphs equal to the English are untranslated.
    english_help = set()
    for lang in LANGS:
        for locale in HELP_LOCALES[lang]:
            paths = [p for doc in HELP_DOCUMENTS for p in glob.glob(f"/usr/share/help/{locale}/{doc}/*.page")]
            for path in sorted(paths):
                with open(path, encoding="utf-8", errors="replace") as f:
                    blocks = html_blocks(f.read())
                note(path)
                for block in blocks:
                    if lang == "en":
                        english_help.add(block)
                        train["en"].append(block)
                    elif block not in english_help:
                        train[lang].append(block)

    # Debian documentation: maint-guide and debian-reference in English and Spanish (HTML,
    # code elements dropped).
    english_docs = set()
    for pattern, lang in [("/usr/share/doc/maint-guide/html/*.en.html", "en"),
                          ("/usr/share/debian-reference/*.en.html", "en"),
                          ("/usr/share/doc/maint-guide-es/html/*.es.html", "es"),
                          ("/usr/share/debian-reference/*.es.html", "es")]:
        for path in sorted(glob.glob(pattern)):
            note(os.path.realpath(path))
            with open(path, encoding="utf-8", errors="replace") as f:
                blocks = html_blocks(f.read())
            if lang == "en":
                english_docs.update(blocks)
                train[lang].extend(blocks)
            else:  # the Spanish manuals ship untranslated paragraphs: not Spanish
                train[lang].extend(b for b in blocks if b not in english_docs and b not in english_help)

    train_keys = set()
    for lang in LANGS:
        texts = [t for t in train[lang] if has_letter(t)]
        train[lang] = texts
        train_keys.update(norm_key(t) for t in texts)
        with open(os.path.join(OUT, "train", f"{lang}.txt"), "w", encoding="utf-8") as f:
            for t in texts:
                f.write(t.replace("\n", " ") + "\n")
        path, pkg = WORD_LISTS[lang]
        words = []
        if os.path.exists(path):
            packages[pkg] = dpkg_version(pkg)
            with open(path, encoding="utf-8", errors="replace") as f:
                words = [w.strip() for w in f if w.strip() and "'" not in w]
        with open(os.path.join(OUT, "train", f"{lang}.words"), "w", encoding="utf-8") as f:
            for w in words:
                f.write(w + "\n")
        print(f"train {lang}: {len(texts)} texts, {sum(len(t) for t in texts)} chars, {len(words)} words",
              file=sys.stderr)

    # Held-out LibreOffice help, paired so that untranslated paragraphs can be dropped.
    en_items = libreoffice_items("/usr/share/libreoffice/help/en-US")
    es_items = libreoffice_items("/usr/share/libreoffice/help/es")
    for pkg in ["libreoffice-help-en-us", "libreoffice-help-es"]:
        packages[pkg] = dpkg_version(pkg)
    eval_lo = []
    for key in sorted(en_items.keys() & es_items.keys()):
        en, es = en_items[key], es_items[key]
        if shares_most_words(es, en):
            continue
        eval_lo.append(("en", "libreoffice-help", en))
        eval_lo.append(("es", "libreoffice-help", es))
    for path in sorted(glob.glob("/usr/share/locale/es/LC_MESSAGES/*.mo")):
        if held_out_catalog(os.path.basename(path)):
            note(path)

    # Drop anything seen in training; dedupe; cap each (lang, band) so the peers run in minutes.
    def band(text):
        n = len(text)
        return "<=20" if n <= 20 else "21-50" if n <= 50 else "51-150" if n <= 150 else ">150"

    cells = {}
    seen = set()
    for lang, source, text in eval_lo + eval_mo:
        key = norm_key(text)
        if key in train_keys or (lang, key) in seen:
            continue
        seen.add((lang, key))
        cells.setdefault((lang, band(text)), []).append((lang, source, text))
    items = []
    for cell in sorted(cells):
        group = cells[cell]
        rng.shuffle(group)
        items.extend(group[:4000])
    with open(os.path.join(OUT, "eval.tsv"), "w", encoding="utf-8") as f:
        for lang, source, text in items:
            f.write(f"{lang}\t{source}\t{text}\n")
    for cell in sorted(cells):
        print(f"eval {cell}: {len(cells[cell])} available, {min(len(cells[cell]), 4000)} kept", file=sys.stderr)
    with open(os.path.join(OUT, "provenance.json"), "w") as f:
        json.dump(dict(sorted(packages.items())), f, indent=1)


if __name__ == "__main__":
    main()
