// Persons, organizations, locations and countries: capitalized sequences read with
// gazetteers, titles, head words, context and the document's own acronym definitions.

extension Words {
    /// Last (English) or first (Spanish) words of names that are not persons, organizations or places.
    static let otherHeadsList: [String] = [
        "charter", "convention", "treaty", "declaration", "agreement", "protocol", "statute", "act", "law",
        "report", "plan", "strategy", "agenda", "day", "war", "prize", "cup", "games", "olympics", "award",
        "carta", "convención", "tratado", "declaración", "acuerdo", "protocolo", "estatuto", "ley", "informe",
        "estrategia", "agenda", "día", "guerra", "premio", "copa", "juegos", "chapter", "capítulo", "article",
        "artículo", "annex", "anexo", "resolution", "resolución", "zone", "zona", "english", "inglés", "arabic",
        "árabe",
    ]
    static let otherHeads = WordSet(otherHeadsList)
    static let compassList: [String] = [
        "north", "south", "east", "west", "central", "northern", "southern", "eastern", "western", "latin", "upper",
        "lower", "greater", "norte", "sur", "este", "oeste", "alto", "baja", "bajo", "nueva", "nuevo", "new", "san",
        "santa", "santo", "saint", "st", "puerto", "port", "mount", "lake", "cabo", "cape",
    ]
    static let compass = WordSet(compassList)
    static let articlesList: [String] = ["the", "la", "el", "los", "las", "a", "an", "un", "una", "lo"]
    static let articles = WordSet(articlesList)
}

extension DocumentScanner {
    func isAcronymShape(_ i: Int) -> Bool {
        let t = buffers.tokens[i]
        guard t.kind == .word, t.length >= 2, t.length <= 12, t.isCapitalized else { return false }
        var upper = 0
        var letters = 0
        var secondUpper = false
        var k = t.start
        while k < t.end {
            let (s, n) = Tokenizer.decode(p, k, t.end)
            if Tokenizer.classify(s) == .letter {
                letters += 1
                if Tokenizer.isUpper(s) {
                    upper += 1
                    if letters == 2 { secondUpper = true }
                }
            }
            k += n
        }
        return secondUpper && upper * 2 >= letters + 1
    }

    /// Combined hash of tokens a...b, the key gazetteers and the bilingual signal use.
    func runKey(_ a: Int, _ b: Int) -> UInt64 {
        var key: UInt64 = 0
        for k in a...b { key = Lexicon.combine(key, buffers.tokens[k].hash) }
        return key
    }

    /// The longest gazetteer name starting at token `a` and ending at or before `limit`.
    ///
    /// Most words start no name: that test is made where this is called (inlined), and only a
    /// word that passes it enters the walk, which as a method of the scanner would receive a
    /// copy of the whole scanner (a 300-byte `memcpy` per call).
    @inline(__always) func gazetteerMatch(_ a: Int, limit: Int) -> (entry: GazetteerEntry, end: Int)? {
        // Every name the match could return begins with this word: capitalized, any name;
        // in lower case, only lower-case names.
        guard a <= limit,
            buffers.tokens[a].isCapitalized ? lexicon.nameStarts.contains(buffers.tokens[a].hash) : buffers.tokens[a].isA(.lowercaseNameStart)
        else { return nil }
        return Self.gazetteerWalk(a, limit: limit, tokens: buffers.tokens, used: buffers.used, lexicon: lexicon)
    }

    /// `gazetteerMatch` after its first test.
    static func gazetteerWalk(_ a: Int, limit: Int, tokens: TokenWindow, used: [Bool], lexicon: Lexicon)
        -> (entry: GazetteerEntry, end: Int)?
    {
        var key: UInt64 = 0
        var best = -1
        var bestEnd = 0
        var m = a
        let capitalized = tokens[a].isCapitalized
        var allCapitals = true
        while m <= limit, m < a + lexicon.maxNameTokens, !used[m] {
            key = Lexicon.combine(key, tokens[m].hash)
            if tokens[m].kind == .word && !tokens[m].isAllCaps { allCapitals = false }
            if let pick = lexicon.names[key] {
                let index = !capitalized ? pick.lowercase : allCapitals ? pick.allCapitals : pick.capitalized
                if index >= 0 {
                    best = Int(index)
                    bestEnd = m
                }
            }
            if !lexicon.prefixes.contains(key) { break }
            m += 1
        }
        return best >= 0 ? (lexicon.entries[best], bestEnd) : nil
    }

    // MARK: Acronym definitions: "Multinational Security Support (MSS)"

    /// Acronym definitions in the current block, from token `first` (the block's first "(":
    /// none can begin before it).
    mutating func scanAcronymDefinitions(from first: Int = 0) {
        var i = first
        while i < buffers.tokens.count {
            defer { i += 1 }
            let w = i + 1
            guard isPunct(i, .openParen), !buffers.used[i], w < buffers.tokens.count, !buffers.used[w], attached(w), isAcronymShape(w),
                isPunct(w + 1, .closeParen), attached(w + 1)
            else { continue }
            // The capitalized words (and connectors between them) just before the parenthesis.
            var first = i
            var k = i - 1
            var content: [Int] = []
            while k >= 0, !buffers.used[k], content.count < 12 {
                let u = buffers.tokens[k]
                if u.kind == .word && (u.isCapitalized || u.isAllCaps) {
                    first = k
                    content.append(k)
                    k -= 1
                } else if u.kind == .word && u.isA(.connector) && content.count > 0 {
                    k -= 1
                } else if u.kind == .punct && u.scalar == .hyphen && !u.spaceBefore && attached(k + 1) && k > 0 {
                    k -= 1
                } else {
                    break
                }
            }
            content.reverse()
            // Drop a sentence-initial article ("The Black Alliance…", "La Misión…").
            while let c = content.first, buffers.tokens[c].isA(.article) || (isSentenceStart(c) && lexicon.isCommonWord(buffers.tokens[c].hash) && content.count > 1 && !initialsMatch(content, w)) {
                content.removeFirst()
            }
            // Prefer the tail the gazetteer knows under this acronym, then the shortest tail
            // whose initials spell it.
            let knownAcronym = gazetteerMatch(w, limit: w).map(\.entry.code)
            var settled = false
            if let knownAcronym, content.count > 1 {
                for n in stride(from: content.count, through: 1, by: -1) {
                    let start = content[content.count - n]
                    if let (entry, end) = gazetteerMatch(start, limit: i - 1), end == i - 1, entry.code == knownAcronym {
                        content = Array(content.suffix(n))
                        settled = true
                        break
                    }
                }
            }
            if !settled, content.count > 1 {
                for n in 1...content.count where initialsMatch(Array(content.suffix(n)), w) {
                    content = Array(content.suffix(n))
                    break
                }
            }
            first = content.first ?? i
            // "(NOMBRE)", "(KEYWORDS)": a common word in capitals is not an acronym unless its
            // letters spell the words before it.
            if isCommon(w), !initialsMatch(content, w) { continue }
            let acronymText = text(w, w)
            var attributes: [String: String] = [:]
            var kind = EntityKind.organization
            var normalized = acronymText
            let known = gazetteerMatch(w, limit: w)
            if let (entry, _) = known, entry.kind == .organization {
                normalized = entry.code
                attributes["canonical"] = entry.canonical
            }
            var expansionText = ""
            if first < i {
                expansionText = text(first, i - 1)
                if let (entry, end) = gazetteerMatch(first, limit: i - 1), end == i - 1 {
                    kind = entry.kind == .organization ? .organization : entry.kind == .location ? .location : .country
                    normalized = entry.code.isEmpty ? acronymText : entry.code
                } else if let last = content.last, buffers.tokens[last].isA(.locationHead) {
                    kind = .location
                }
                var expansionAttributes = attributes
                expansionAttributes["acronym"] = acronymText
                emit(kind, first, i - 1, normalized: normalized, attributes: expansionAttributes)
            } else if let (entry, _) = known {
                expansionText = entry.canonical
            }
            if !expansionText.isEmpty { attributes["expansion"] = expansionText }
            emit(.acronym, w, w, normalized: normalized, attributes: attributes)
            buffers.used[i] = true
            buffers.used[w + 1] = true
            acronyms[buffers.tokens[w].hash] = AcronymDefinition(
                acronym: acronymText, expansion: expansionText, kind: kind.rawValue, normalized: normalized)
            i = w + 1
        }
    }

    func initialsMatch(_ words: [Int], _ acronym: Int) -> Bool {
        var letters: [UInt8] = []
        for k in buffers.tokens[acronym].start..<buffers.tokens[acronym].end where p[k] >= 0x41 && p[k] <= 0x5A { letters.append(p[k] | 0x20) }
        let initials = words.filter { !buffers.tokens[$0].isA(.connector) }.map { p[buffers.tokens[$0].start] | 0x20 }
        return initials == letters
    }

    // MARK: Names

    /// Whether a name can begin at `t` (what `scanNames` asks of a word before anything
    /// else): a capitalized word, or a lower-case word of five letters or more that begins a
    /// lower-case gazetteer name.
    @inline(__always) static func canStartName(_ t: Token) -> Bool {
        t.kind == .word && (t.isCapitalized || (t.length >= 5 && t.isA(.lowercaseNameStart)))
    }

    /// Names in the current block, trying every token in turn (the reference for
    /// `scanNames(at:)`).
    mutating func scanNames() {
        scanNames(at: 0..<buffers.tokens.count, listed: false)
    }

    /// Names in the current block, trying the tokens pass 1 listed for it,
    /// `buffers.nameStarts[positions]` (or, not `listed`, the tokens `positions`), that no
    /// name before has passed. The list holds every token for which `canStartName` holds, in
    /// order; trying any other token finds nothing, so the names are those of trying every token.
    mutating func scanNames(at positions: Range<Int>, listed: Bool = true) {
        var i = 0
        for position in positions {
            let candidate = listed ? Int(buffers.nameStarts[position]) : position
            if candidate < i { continue }
            i = candidate
            guard !buffers.used[i], buffers.tokens[i].kind == .word else {
                i += 1
                continue
            }
            let t = buffers.tokens[i]
            if !t.isCapitalized {
                if t.length >= 5, let (entry, end) = gazetteerMatch(i, limit: buffers.tokens.count - 1) {
                    emitGazetteer(entry, i, end)
                    i = end + 1
                } else {
                    i += 1
                }
                continue
            }
            var end = i
            var k = i + 1
            while k < buffers.tokens.count, !buffers.used[k], !buffers.tokens[k].newlineBefore {
                let u = buffers.tokens[k]
                if u.kind == .word && (u.isCapitalized || u.isAllCaps) && u.spaceBefore {
                    end = k
                    k += 1
                } else if u.kind == .punct, u.scalar == .hyphen || u.scalar == .ampersand || u.scalar == .dot,
                    u.scalar != .dot || (!u.spaceBefore && buffers.tokens[k - 1].isA(.personTitle)),
                    u.scalar != .hyphen || (!u.spaceBefore && attached(k + 1)),
                    isWord(k + 1), buffers.tokens[k + 1].isCapitalized, !buffers.used[k + 1], !buffers.tokens[k + 1].newlineBefore
                {
                    end = k + 1
                    k += 2
                } else if u.kind == .word && !u.isCapitalized && u.isA(.connector) && (spanish || u.hash != H.a) {
                    var m = k + 1
                    if isWord(m), !buffers.tokens[m].isCapitalized, buffers.tokens[m].isA(.connector) { m += 1 }
                    if isWord(m), buffers.tokens[m].isCapitalized, !buffers.used[m], !buffers.tokens[m].newlineBefore {
                        end = m
                        k = m + 1
                    } else {
                        break
                    }
                } else {
                    break
                }
            }
            processRun(i, end)
            i = end + 1
        }
    }

    mutating func processRun(_ a: Int, _ b: Int) {
        // Whole run in a gazetteer, or a run that ends in an organization word around a gazetteer
        // name ("UN Trust Fund", "Haitian National Police"): one entity.
        if let (entry, end) = gazetteerMatch(a, limit: b), end == b {
            emitGazetteer(entry, a, b)
            return
        }
        // "and"/"y" join two names unless a gazetteer name spans them ("Trinidad and Tobago").
        if a < b {
            for c in (a + 1)..<b where buffers.tokens[c].kind == .word && buffers.tokens[c].isA(.andWord) {
                let covered = (a..<c).contains { s in (gazetteerMatch(s, limit: b)?.end ?? 0) > c }
                if !covered {
                    processRun(a, c - 1)
                    processRun(c + 1, b)
                    return
                }
            }
        }
        var k = a
        var segment = a
        while k <= b {
            let insideCompound = k > a && isPunct(k - 1, .hyphen) && attached(k)
            if buffers.tokens[k].kind == .word, !insideCompound, let (entry, end) = gazetteerMatch(k, limit: b) {
                // Words ending in an organization head after a gazetteer name extend it ("UN Trust Fund").
                if end < b, endsWithOrganizationHead(end + 1, b),
                    ((end + 1)...b).allSatisfy({ buffers.tokens[$0].kind != .word || buffers.tokens[$0].isCapitalized })
                {
                    break
                }
                classifySegment(segment, k - 1)
                emitGazetteer(entry, k, end)
                k = end + 1
                segment = k
                continue
            }
            k += 1
        }
        if segment <= b { classifySegment(segment, b) }
    }

    func endsWithOrganizationHead(_ a: Int, _ b: Int) -> Bool {
        var last = b
        while last > a, buffers.tokens[last].kind != .word { last -= 1 }
        return last >= a && buffers.tokens[last].kind == .word && buffers.tokens[last].isA(.organizationHead)
    }

    func isSentenceStartCommon(_ i: Int) -> Bool {
        isSentenceStart(i) && (lexicon.isCommonWord(buffers.tokens[i].hash) || buffers.tokens[i].isA(.englishFunction)
            || buffers.tokens[i].isA(.spanishFunction))
    }

    mutating func emitGazetteer(_ entry: GazetteerEntry, _ a: Int, _ b: Int) {
        switch entry.kind {
        case .country:
            emit(.country, a, b, normalized: entry.code)
        case .demonym:
            emit(.country, a, b, normalized: entry.code, attributes: ["form": "demonym"])
        case .location:
            emit(.location, a, b, normalized: entry.code.isEmpty ? collapsed(a, b) : entry.code)
        case .organization:
            var attributes = ["canonical": entry.canonical]
            if a == b, buffers.tokens[a].isAllCaps {
                attributes["acronym"] = text(a, a)
                attributes["expansion"] = acronyms[buffers.tokens[a].hash]?.expansion ?? entry.canonical
            }
            emit(.organization, a, b, normalized: entry.code, attributes: attributes)
        }
    }

    /// The text of tokens a...b with each run of white space as one space.
    func collapsed(_ a: Int, _ b: Int) -> String {
        // Most names are written with one space between words: then the text as it stands,
        // without a byte array first.
        var singleSpaced = true
        for k in (a + 1)..<(b + 1) where buffers.tokens[k].spaceBefore {
            let gap = buffers.tokens[k - 1].end
            if buffers.tokens[k].start != gap + 1 || p[gap] != 0x20 {
                singleSpaced = false
                break
            }
        }
        if singleSpaced { return bytes(buffers.tokens[a].start, buffers.tokens[b].end) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(buffers.tokens[b].end - buffers.tokens[a].start)
        for k in a...b {
            if k > a && buffers.tokens[k].spaceBefore { bytes.append(0x20) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: p[buffers.tokens[k].start..<buffers.tokens[k].end]))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// How many of tokens a...b are of `kind`.
    func count(of kind: Token.Kind, _ a: Int, _ b: Int) -> Int {
        var n = 0
        for k in a...b where buffers.tokens[k].kind == kind { n += 1 }
        return n
    }

    @inline(__always) func isFirstName(_ k: Int) -> Bool { lexicon.firstNames.contains(accentlessHash(p, buffers.tokens[k].start, buffers.tokens[k].end)) }
    @inline(__always) func isSurname(_ k: Int) -> Bool { lexicon.surnames.contains(accentlessHash(p, buffers.tokens[k].start, buffers.tokens[k].end)) }

    /// Spanish first-person plural verbs ("Afirmamos", "Estamos") open many sentences.
    func endsInMos(_ k: Int) -> Bool {
        let t = buffers.tokens[k]
        return t.length > 5 && p[t.end - 3] == 0x6D && p[t.end - 2] == 0x6F && p[t.end - 1] == 0x73
    }

    func isCommon(_ k: Int) -> Bool {
        let h = buffers.tokens[k].hash
        return buffers.tokens[k].isA([.englishFunction, .spanishFunction, .month, .weekday]) || lexicon.isCommonWord(h)
    }

    mutating func classifySegment(_ a0: Int, _ b0: Int) {
        var a = a0
        var b = b0
        func isEdgeJunk(_ k: Int) -> Bool {
            buffers.tokens[k].kind != .word || (!buffers.tokens[k].isCapitalized && buffers.tokens[k].isA(.connector))
        }
        while a <= b, isEdgeJunk(a) { a += 1 }
        while b >= a, isEdgeJunk(b) { b -= 1 }
        guard a <= b else { return }
        if a0 != a || b0 != b, let (entry, end) = gazetteerMatch(a, limit: b), end == b {
            emitGazetteer(entry, a, b)
            return
        }
        let bilingual = isBilingualRun(a, b)
        // "and"/"y" join two names; "in"/"en"/"a"/"on" stay inside only after an organization
        // head ("Mission in Haiti").
        if !bilingual, a < b {
            for c in (a + 1)..<b where buffers.tokens[c].kind == .word && !buffers.tokens[c].isCapitalized && buffers.tokens[c].isA(.weakConnector) {
                if buffers.tokens[c].isA(.andWord) || !endsWithOrganizationHead(a, c - 1) {
                    classifySegment(a, c - 1)
                    classifySegment(c + 1, b)
                    return
                }
            }
        }
        // A capital at a sentence start is no evidence: the first word stays only if it is a
        // first name, a title, a head word of a longer name, or written with a capital elsewhere.
        if !bilingual, isSentenceStart(a), a == a0 {
            let h = buffers.tokens[a].hash
            let first = buffers.tokens[a]
            // Cheap tests first, and the dictionary's (a Bloom filter, up to seven cache misses)
            // only when the answer depends on it: most sentence-initial words were never written
            // with a capital elsewhere, and then whether they are common words does not matter.
            let known = first.isA(.personTitle)
                || (buffers.midCapitalized.contains(h)
                    && !(buffers.lowercaseSeen.contains(h) || first.isA(.article) || (spanish && a == b && endsInMos(a)) || isCommon(a)))
            let headOfLonger = !known && a < b && !first.isA(.article)
                && (first.isA([.organizationHead, .locationHead, .compass]) || isFirstName(a))
            if !headOfLonger && !known {
                classifySegment(a + 1, b)
                return
            }
        }
        // Titles: "Ambassador Linda Thomas-Greenfield", "Sra. López".
        var personHint = false
        while a < b, buffers.tokens[a].kind == .word, buffers.tokens[a].isA(.personTitle) {
            personHint = true
            a += 1
            while a <= b, buffers.tokens[a].kind == .punct { a += 1 }
        }
        guard a <= b else { return }
        if a == b, buffers.tokens[a].isA(.personTitle) { return }
        // Single token defined as an acronym in this document.
        if a == b, let definition = acronyms[buffers.tokens[a].hash] {
            var attributes = ["acronym": definition.acronym]
            if !definition.expansion.isEmpty { attributes["expansion"] = definition.expansion }
            emit(EntityKind(rawValue: definition.kind) ?? .organization, a, b, normalized: definition.normalized,
                 attributes: attributes)
            return
        }
        if allCaps && !bilingual { return }
        // Words in capitals that are common words (KEYWORDS, META NAME) are markup or emphasis,
        // even when both versions write them.
        if (a...b).allSatisfy({ buffers.tokens[$0].kind != .word || buffers.tokens[$0].isAllCaps }),
            (a...b).contains(where: { buffers.tokens[$0].kind == .word && buffers.tokens[$0].length > 1 && isCommon($0) })
        {
            return
        }
        // A lone capitalized common word ("Government", "Council") is not a name by itself,
        // nor an abbreviation before ".:" ("Distr.:").
        if a == b && !bilingual && !personHint,
            buffers.lowercaseSeen.contains(buffers.tokens[a].hash) || buffers.tokens[a].isA(.organizationHead)
                || buffers.tokens[a].isA(.locationHead) || buffers.tokens[a].isA(.personTitle),
            isCommon(a)
        {
            return
        }
        if a == b && isPunct(b + 1, .dot) && attached(b + 1) && isPunct(b + 2, .colon) { return }
        // The segment's words without lower-case connectors, in an array kept from segment to
        // segment (a new one for each segment was an allocation per capitalized run).
        buffers.segmentWords.removeAll(keepingCapacity: true)
        for k in a...b where buffers.tokens[k].kind == .word && !(!buffers.tokens[k].isCapitalized && buffers.tokens[k].isA(.connector)) {
            buffers.segmentWords.append(k)
        }
        let words = buffers.segmentWords
        // Whether every word is a common one, asked only where the answer decides something.
        var allCommonAnswer: Bool?
        func allCommon() -> Bool {
            if let allCommonAnswer { return allCommonAnswer }
            let answer = words.allSatisfy { isCommon($0) }
            allCommonAnswer = answer
            return answer
        }
        if titleCase && !bilingual && allCommon() { return }
        let lastWord = words.last ?? b
        let firstWord = words.first ?? a
        if buffers.tokens[lastWord].isA(.otherHead) || buffers.tokens[firstWord].isA(.otherHead) {
            return
        }
        let orgHead = buffers.tokens[lastWord].isA(.organizationHead)
            || (words.count > 1 && buffers.tokens[firstWord].isA(.organizationHead))
        let locationHead = buffers.tokens[lastWord].isA(.locationHead)
            || (words.count > 1 && buffers.tokens[firstWord].isA(.locationHead))
        if !bilingual && !personHint && !orgHead && !locationHead && allCommon() { return }
        let kind: EntityKind
        let previous = a > 0 && buffers.tokens[a - 1].kind == .word ? buffers.tokens[a - 1].hash : 0
        let next = b + 1 < buffers.tokens.count ? (buffers.tokens[b + 1].kind == .punct && b + 2 < buffers.tokens.count ? buffers.tokens[b + 2].hash : buffers.tokens[b + 1].hash) : 0
        if personHint && !orgHead {
            kind = .person
        } else if orgHead {
            kind = .organization
        } else if locationHead || (words.count > 1 && (buffers.tokens[firstWord].isA(.compass) || buffers.tokens[lastWord].isA(.compass))) {
            kind = .location
        } else if words.count == 1 && buffers.tokens[a].isAllCaps && buffers.tokens[a].length >= 2 {
            kind = .organization
        } else if words.count >= 2 && words.count <= 4 && isFirstName(firstWord) {
            kind = .person
        } else if words.allSatisfy({ personParts.contains(buffers.tokens[$0].hash) }) {
            kind = .person
        } else if Words.reportingVerbs.contains(next) || next == H.administration || previous == H.administracion {
            kind = .person
        } else if words.count >= 2 && words.count <= 4 && isSurname(lastWord)
            && words.count == b - a + 1 - count(of: .punct, a, b)
        {
            kind = .person
        } else if Words.locativePrepositions.contains(previous) && words.count <= 3 {
            kind = .location
        } else if words.count != count(of: .word, a, b) {
            kind = .organization  // "Black Alliance for Peace": connectors inside
        } else if words.count >= 2 && !words.contains(where: { isCommon($0) && !isFirstName($0) }) {
            kind = .person
        } else if words.count >= 2 {
            kind = .organization
        } else if isSurname(a) || isFirstName(a) {
            kind = .person
        } else {
            kind = .location
        }
        if kind == .person {
            for w in words { personParts.insert(buffers.tokens[w].hash) }
        }
        emit(kind, a, b, normalized: collapsed(a, b))
    }
}
