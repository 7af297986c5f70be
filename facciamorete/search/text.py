"""Text analysis shared by both engines: normalising, splitting, stop words, stemming, typos.

Everything here is pure Python and never raises on any string: the engines only ever receive
the tokens produced here, never the text a person typed.
"""

import functools
import unicodedata

import snowballstemmer

MAX_QUERY_CHARS = 500  # beyond this a query is a paste, not a question
MAX_TOKENS = 16
MIN_TYPO_LENGTH = 5  # words shorter than this are never "corrected"
MAX_TYPO_DISTANCE = 2

# Snowball has no Ukrainian or Punjabi stemmer; those languages are matched on whole words and
# on shared prefixes (see `lexicon.py`).
STEMMERS = {
    "it": "italian",
    "en": "english",
    "ro": "romanian",
    "fr": "french",
    "es": "spanish",
    "ar": "arabic",
}


def _split(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Italian function words a person adds to a question ("non riesco a pagare l'affitto"), plus
# the elided forms apostrophes leave behind. Kept short on purpose: a word that carries meaning
# in a need ("casa", "aiuto") is never a stop word.
ITALIAN_STOP_WORDS = _split(
    """
    a ad al allo ai agli all alla alle anche avere c che chi ci come con col cosa cui d da dal
    dallo dai dagli dall dalla dalle del dello dei degli dell della delle di e ed era essere fa
    fare gli ha hanno ho i il in io l la le lei li lo loro lui ma mi mia mie miei mio ne nel nello
    nei negli nell nella nelle no noi non o per perche piu po qua qual quale quali qualcosa quando
    quanto quel quella quelle quelli quello questa queste questi questo se sei si sia siamo sono
    sta sto su sua sue sul sullo sui sugli sull sulla sulle suo suoi ti tra tu tua tue tuo tuoi
    un una uno vi voi vorrei voglio cerco serve servono bisogno dove trovo posso riesco
    troppo troppa troppi troppe molto molta molti molte poco tanto
    """
)

# Function words of the other languages, used only when matching the lexicon: catalogue text
# is Italian, so they never reach the engines in a way that matters.
OTHER_STOP_WORDS = _split(
    """
    the of for to in on and or my me i a an is are with at need help want looking find
    de la le les des du pour et ou un une mon ma mes je besoin
    el los las del por para y mi mis yo necesito busco ayuda
    si sau pentru cu din la pe un o am nevoie de caut
    для на в у з і та до мені мене я потрібна потрібен потрібно допомога
    في من على الى إلى و مع لي انا أنا أريد احتاج أحتاج مساعدة
    ਦੀ ਦਾ ਦੇ ਨੂੰ ਲਈ ਮੈਨੂੰ ਅਤੇ ਵਿੱਚ ਹੈ ਚਾਹੀਦਾ ਮਦਦ
    """
)


@functools.lru_cache(maxsize=4096)
def _char_class(ch: str) -> str:
    """' ' for separators; the character itself, lower-cased and without accents, otherwise."""
    category = unicodedata.category(ch)
    if category[0] not in "LMN":
        return " "
    if category[0] == "M" and unicodedata.combining(ch):
        return ""  # accents and Arabic short vowels
    decomposed = unicodedata.normalize("NFKD", ch.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize(text: str) -> str:
    """Lower-case, accents off, anything that is not a letter, mark or digit becomes a space.

    "L'anzianità!" → "l anzianita". NUL bytes, emoji and punctuation vanish, so no engine
    operator can survive: the result is letters, digits and spaces only.
    """
    if not isinstance(text, str):
        return ""
    return "".join(_char_class(ch) for ch in text[:MAX_QUERY_CHARS])


def tokens(text: str) -> list[str]:
    return normalize(text).split()


@functools.lru_cache(maxsize=16)
def _stemmer(language: str):
    return snowballstemmer.stemmer(STEMMERS[language])


@functools.lru_cache(maxsize=65536)
def stem(word: str, language: str = "it") -> str:
    """The Snowball stem of an already normalised word; the word itself where there is none."""
    if language not in STEMMERS:
        return word
    return _stemmer(language).stemWord(word)


@functools.cache
def _stop_words() -> frozenset[str]:
    return frozenset(normalize(w) for w in ITALIAN_STOP_WORDS | OTHER_STOP_WORDS)


def is_stop_word(word: str) -> bool:
    return word in _stop_words()


def content_words(text: str) -> list[str]:
    """The words of a query worth searching for: no stop words, no single letters."""
    words = [w for w in tokens(text) if not is_stop_word(w) and (len(w) > 1 or w.isdigit())]
    return list(dict.fromkeys(words))[:MAX_TOKENS]


def edit_distance(a: str, b: str, limit: int = MAX_TYPO_DISTANCE) -> int:
    """Levenshtein distance if at most `limit`, else limit + 1.

    Only the diagonal band of width 2 * limit + 1 is computed, and the work stops as soon as
    the whole band exceeds the limit: a few microseconds per pair of words.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    over = limit + 1
    previous = [j if j <= limit else over for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        low, high = max(1, i - limit), min(len(b), i + limit)
        current = [over] * (len(b) + 1)
        current[0] = i if i <= limit else over
        ca = a[i - 1]
        for j in range(low, high + 1):
            cost = previous[j - 1] + (ca != b[j - 1])
            if previous[j] + 1 < cost:
                cost = previous[j] + 1
            if current[j - 1] + 1 < cost:
                cost = current[j - 1] + 1
            current[j] = cost if cost < over else over
        if min(current[max(0, low - 1) : high + 1]) >= over:
            return over
        previous = current
    return previous[len(b)]


def allowed_distance(word: str) -> int:
    """How many wrong letters a word may have: none below 5 letters, two from 5 on."""
    return MAX_TYPO_DISTANCE if len(word) >= MIN_TYPO_LENGTH else 0


def closest(word: str, vocabulary, limit: int | None = None) -> list[str]:
    """The words of `vocabulary` nearest to `word` within its allowed distance (ties kept)."""
    limit = allowed_distance(word) if limit is None else limit
    if not limit:
        return []
    best, found = limit + 1, []
    for candidate in vocabulary:
        if candidate == word or abs(len(candidate) - len(word)) > limit:
            continue
        distance = edit_distance(word, candidate, min(limit, best))
        if distance < best:
            best, found = distance, [candidate]
        elif distance == best and distance <= limit:
            found.append(candidate)
    return found if best <= limit else []
