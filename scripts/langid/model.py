"""The language model's text normalization, feature extraction and scoring, in Python.

This mirrors Sources/BitextLanguage/LanguageIdentifier.swift byte for byte: the builder uses
it to count features, and the tuner uses `Scorer` to pick the decision parameters on a
development split. The Swift identifier is what the evaluation measures.
"""

import math
import re
import struct

LANGS = ["en", "es", "pt", "ca", "it", "fr", "gl"]
PAIR = {"en", "es"}
MAX_ORDER = 5
SCALE = 8.0  # costs are stored as round(-ln p * SCALE) in a byte

# Lower-case ASCII and the Latin-1 capitals (À–Þ except ×); map ’ to '.
_FOLD = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_FOLD.update({c: c + 32 for c in range(0xC0, 0xDF) if c != 0xD7})
_FOLD[0x2019] = ord("'")
_LETTER = "a-z\u00df-\u00f6\u00f8-\u00ff\u00b7\u0100-\u1fff\u3000-\uffff"
_WORD = re.compile(f"[{_LETTER}]+(?:'[{_LETTER}]+)*")


def words(text):
    """The words of a text as UTF-8 bytes, after case folding (see the Swift twin)."""
    return [w.encode("utf-8") for w in _WORD.findall(text.translate(_FOLD))]


def ngrams(word):
    """Byte n-grams (1–5) of the word padded with one space on each side."""
    padded = b" " + word + b" "
    out = []
    for i in range(len(padded)):
        for n in range(1, MAX_ORDER + 1):
            if i + n > len(padded):
                break
            gram = padded[i:i + n]
            if gram != b" ":
                out.append(gram)
    return out


def letter_count(text):
    return sum(len(w.decode("utf-8")) for w in words(text))


class Model:
    """The data of the binary resource (see write())."""

    def __init__(self, ngram_costs, word_costs, word_weight, prior, temperature, threshold, min_letters):
        self.ngram_costs = ngram_costs  # bytes -> [cost per language]
        self.word_costs = word_costs    # bytes -> [cost per language]
        self.word_weight = word_weight
        self.prior = prior              # cost added per language (en/es 0)
        self.temperature = temperature
        self.threshold = threshold
        self.min_letters = min_letters

    def write(self, path):
        """Little-endian binary:
        magic "BXLI", version u32 (2), language count u8 + 2-byte codes,
        word_weight f32, temperature f32, threshold f32, min_letters u32, prior f32 × L,
        n-gram count u32, then per n-gram: length u8, bytes, L cost bytes,
        word count u32, then per word: length u8, bytes, L total costs u16.

        Each table's entries come in the order of the slot where the Swift hash table starts
        looking for them (`home_slot`): loading then fills the table front to back instead of
        at random, one cache miss per line instead of per entry.

        A word's total is what the identifier adds for it: the costs of its n-grams plus its
        own cost times the word weight, computed here exactly as the Swift loader of version 1
        did at every start (n-grams found by their 64-bit FNV-1a hash, integer sums, the
        weighted cost rounded half away from zero); words whose total does not fit 16 bits
        are left out (they take the n-gram path)."""
        out = bytearray(b"BXLI")
        out += struct.pack("<I", 2)
        out += struct.pack("<B", len(LANGS))
        for lang in LANGS:
            out += lang.encode("ascii")
        out += struct.pack("<fffI", self.word_weight, self.temperature, self.threshold, self.min_letters)
        for lang in LANGS:
            out += struct.pack("<f", self.prior[lang])
        out += struct.pack("<I", len(self.ngram_costs))
        for key in in_slot_order(sorted(self.ngram_costs), len(self.ngram_costs), lambda k: k):
            out += struct.pack("<B", len(key)) + key + bytes(self.ngram_costs[key])
        totals = self.word_totals()
        out += struct.pack("<I", len(totals))
        for key, total in in_slot_order(totals, len(totals), lambda t: b" " + t[0] + b" "):
            out += struct.pack("<B", len(key)) + key + struct.pack(f"<{len(LANGS)}H", *total)
        with open(path, "wb") as f:
            f.write(out)
        return len(out)

    def word_totals(self):
        """(word, total cost per language) for every word whose total fits 16 bits, in order."""
        weight = struct.unpack("<f", struct.pack("<f", self.word_weight))[0]  # as stored
        by_hash = {}
        for key in sorted(self.ngram_costs):
            by_hash[_table_key(_fnv1a(key))] = self.ngram_costs[key]
        result = []
        for word in sorted(self.word_costs):
            padded = b" " + word + b" "
            total = [0] * len(LANGS)
            for start in range(len(padded)):
                h = _FNV_OFFSET
                for j in range(start, min(len(padded), start + MAX_ORDER)):
                    h = ((h ^ padded[j]) * _FNV_PRIME) & _MASK64
                    if j == start and padded[j] == 0x20:
                        continue  # the lone space is no feature
                    costs = by_hash.get(_table_key(h))
                    if costs:
                        for i in range(len(LANGS)):
                            total[i] += costs[i]
            for i in range(len(LANGS)):
                total[i] += _round_half_away(weight * self.word_costs[word][i])
            if max(total) <= 0xFFFF:
                result.append((word, total))
        return result


_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_MASK64 = (1 << 64) - 1


def _fnv1a(data):
    h = _FNV_OFFSET
    for b in data:
        h = ((h ^ b) * _FNV_PRIME) & _MASK64
    return h


def _table_key(h):
    """The Swift hash table stores key 0 as 1."""
    return 1 if h == 0 else h


def home_slot(feature, count):
    """The slot where the Swift `HashTable` of `count` entries starts probing for `feature`
    (its 64-bit FNV-1a hash): capacity the least power of two ≥ 16 and ≥ 2 × count."""
    capacity = 16
    while capacity < 2 * count:
        capacity <<= 1
    key = _table_key(_fnv1a(feature))
    return (key ^ (key >> 29)) & (capacity - 1)


def in_slot_order(entries, count, feature):
    """`entries` sorted by home slot (stable). The loader's table answers the same either way,
    as long as no two features share a hash, which this checks."""
    keyed = [(home_slot(feature(e), count), e) for e in entries]
    hashes = {_fnv1a(feature(e)) for e in entries}
    if len(hashes) != len(keyed):
        raise ValueError("two features of one table share a 64-bit hash")
    return [e for _, e in sorted(keyed, key=lambda pair: pair[0])]


def relayout(path):
    """Rewrites a version 2 model file with each table in slot order (`Model.write`'s order),
    entries otherwise unchanged: the committed model gets the layout without its corpus."""
    data = open(path, "rb").read()
    if data[:4] != b"BXLI" or struct.unpack_from("<I", data, 4)[0] != 2:
        raise ValueError(f"{path}: not a version 2 model")
    n = data[8]
    offset = 9 + 2 * n + 16 + 4 * n
    out = bytearray(data[:offset])
    for padding, value_bytes in ((b"", n), (b" ", 2 * n)):
        count = struct.unpack_from("<I", data, offset)[0]
        offset += 4
        entries = []
        for _ in range(count):
            length = data[offset]
            entries.append(data[offset : offset + 1 + length + value_bytes])
            offset += 1 + length + value_bytes
        out += struct.pack("<I", count)
        for entry in in_slot_order(entries, count, lambda e: padding + e[1 : 1 + e[0]] + padding):
            out += entry
    if offset != len(data):
        raise ValueError(f"{path}: {len(data) - offset} bytes after the word table")
    with open(path, "wb") as f:
        f.write(out)


def _round_half_away(x):
    """Swift's `rounded()` of a non-negative double: half away from zero, exactly."""
    r = math.floor(x)
    return int(r) + (1 if x - r >= 0.5 else 0)


class Scorer:
    """Python twin of the Swift scoring, for tuning."""

    def __init__(self, model):
        self.m = model
        self.cache = {}

    def word_cost(self, w):
        cost = self.cache.get(w)
        if cost is None:
            cost = [0.0] * len(LANGS)
            for g in ngrams(w):
                c = self.m.ngram_costs.get(g)
                if c:
                    for i in range(len(LANGS)):
                        cost[i] += c[i]
            wc = self.m.word_costs.get(w)
            if wc:
                for i in range(len(LANGS)):
                    cost[i] += round(self.m.word_weight * wc[i])
            self.cache[w] = cost
        return cost

    def costs(self, text):
        total = [0.0] * len(LANGS)
        letters = 0
        for w in words(text):
            letters += len(w.decode("utf-8"))
            c = self.word_cost(w)
            for i in range(len(LANGS)):
                total[i] += c[i]
        return total, letters

    def posterior(self, total, prior):
        scores = [-(total[i] + prior[LANGS[i]] * SCALE) / (SCALE * self.m.temperature) for i in range(len(LANGS))]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        z = sum(exps)
        return [e / z for e in exps]

    def identify(self, text, prior=None, temperature=None, threshold=None):
        total, letters = self.costs(text)
        if letters < self.m.min_letters:
            return "und", 0.0
        saved = self.m.temperature
        if temperature is not None:
            self.m.temperature = temperature
        p = self.posterior(total, prior or self.m.prior)
        self.m.temperature = saved
        return decide(p, self.m.threshold if threshold is None else threshold)


def decide(p, threshold):
    """First English/Spanish or neither: the other languages together must reach the
    threshold to answer one of them. Else English against Spanish: the better of the two must
    reach the threshold of their two-way share. See LanguageIdentifier.decide."""
    n = len(LANGS)
    others = sum(p[i] for i in range(n) if LANGS[i] not in PAIR)
    best = max(range(n), key=lambda i: p[i])
    if others >= threshold:
        best_other = max((i for i in range(n) if LANGS[i] not in PAIR), key=lambda i: p[i])
        return LANGS[best_other], p[best_other]
    best_pair = max((i for i in range(n) if LANGS[i] in PAIR), key=lambda i: p[i])
    pair_mass = 1.0 - others
    if pair_mass > 0 and p[best_pair] / pair_mass >= threshold:
        return LANGS[best_pair], p[best_pair]
    return "und", p[best]


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "--relayout":
        relayout(sys.argv[2])
    else:
        sys.exit("usage: model.py --relayout FILE   (rewrite a version 2 model in slot order)")
