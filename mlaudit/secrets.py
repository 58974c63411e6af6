"""Provides secret detection: token formats, length-aware randomness and placeholders, as pure functions.

Each line is scanned on its own (with a look at the next line for values written under
their key), so two keys on adjacent lines are both found. A value is reported by a known
token format (about fifty providers, private keys, JWTs, bearer headers, URLs and command
lines with passwords) or when a random-looking value is assigned to a secret-like name.
Documented placeholders, templates, hash digests, UUIDs, paths and base64 blobs are not
secrets. Every pattern is bounded, and long lines are scanned in overlapping windows, so a
scan takes time linear in the length of the text.
"""

from __future__ import annotations

import base64
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ahocorasick_rs import AhoCorasick, Implementation

from mlaudit.providers import PROVIDERS, Provider
from mlaudit.redact import redact

DEFAULT_ENTROPY = 3.5
DEFAULT_MIN_LENGTH = 12
WINDOW = 4096
OVERLAP = 1024
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class TokenFormat:
    """A known credential format: its display name and the pattern of the secret itself."""

    name: str
    pattern: re.Pattern[str]
    group: int = 0
    random_part: int | None = None
    needles: tuple[str, ...] = ()


GUESSED_KIND = "high-entropy value assigned to"


_PRIVATE_NAME = re.compile(r"(?i)passw|passwd|pwd|secret|private")


def is_guessed(kind: str, path: str) -> bool:
    """Return True for a secret found only by its randomness under a name like `token` or `api_key`, outside
    `.env` files: likely a key, but no provider's format proves it, and public ingestion tokens (telemetry,
    analytics) look the same. A password, a secret or a private key by name, or any value in `.env`, is not
    merely guessed."""
    if not kind.startswith(GUESSED_KIND) or path.rsplit("/", 1)[-1].startswith(".env"):
        return False
    return not _PRIVATE_NAME.search(kind[len(GUESSED_KIND) :])


@dataclass(frozen=True)
class SecretMatch:
    """One secret found on a line: what kind it is, its value, where it starts, and on which line.

    `line_offset` is 1 when the value sits on the line after the one scanned (a value written
    under its key).
    """

    kind: str
    value: str
    start: int
    line_offset: int = 0
    public: int = 0
    """Length of a published prefix of the value (`sk-proj-`, `rubygems_`): not secret on its own."""
    local: bool = False
    """A request credential on a line that addresses a loopback server (`curl localhost:8000 -H
    "Authorization: Bearer ..."`), or the password of a URL whose host is loopback
    (`postgresql://app:pw@localhost:5432/db`): it opens a server the author runs on their own machine."""

    @property
    def secret_part(self) -> str:
        """Return the value without its published prefix: what redaction must hide everywhere."""
        return self.value[self.public :]

    @property
    def redacted(self) -> str:
        """Return the only form of the value that may appear in any output."""
        return redact(self.value)

    def describe(self) -> str:
        """Return e.g. `OpenAI API key sk-p…(56 chars)` for messages."""
        return f"{self.kind} {self.redacted}"


def _format(provider: Provider) -> TokenFormat:
    return TokenFormat(provider.name, re.compile(provider.pattern), 1, provider.random_group, provider.needles)


TOKEN_FORMATS: tuple[TokenFormat, ...] = tuple(_format(p) for p in PROVIDERS)

# RFC 3986 forbids unencoded square brackets in a URL's user-info, so `proto://[user[:pw]]@host`
# is grammar notation in a docstring, never a credential.
_URL_PASSWORD = re.compile(
    r"(?<![\w+.\-])[a-zA-Z][a-zA-Z0-9+.\-]{0,30}://([^\s:/@'\"<>\[\]]{0,128}):([^\s@/'\"<>\[\]]{1,256})@([\w.\-]{1,253})"
)
_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0"})
# A host named by a placeholder word: credentials written for it show the syntax (`https://bruger:adgangskode@host:port`
# in a translated UI string), whatever language the words are in.
_PLACEHOLDER_HOSTS = frozenset({"host", "hostname", "server", "domain", "your-host", "yourhost", "myhost"})
# user:password pairs that spell the URL grammar itself (`http://host:port@evil.com/` in a docstring)
_GRAMMAR_PAIRS = frozenset({("host", "port"), ("hostname", "port"), ("ip", "port"), ("user", "pass"), ("name", "pass")})


def _example_credentials(match: re.Match[str]) -> bool:
    """Return True for URL credentials that are an example: a placeholder password, host or grammar pair."""
    user, password, host = match.group(1), match.group(2), match.group(3)
    grammar = (user.lower(), password.lower()) in _GRAMMAR_PAIRS
    return is_placeholder(password) or password == user or _example_host(host) or grammar


def _example_host(host: str) -> bool:
    """Return True for a host named by a placeholder word (`host`, `hostname`, `server`)."""
    return host.lower() in _PLACEHOLDER_HOSTS


_SECRET_NAME = re.compile(
    r"(?i)(?:api[_-]?key|apikey|secret|token|passw(?:or)?d|passwd|\bpwd|access[_-]?key|auth|credential|private[_-]?key"
    r"|signing[_-]?key|encryption[_-]?key|client[_-]?key|sas[_-]?key)"
)
_NAME = r"[A-Za-z_][\w.\-]{0,100}"
_ASSIGNMENT = re.compile(
    rf"(?<![\w.\-])(?P<name>{_NAME})[\"']?[\])]?\s{{0,20}}(?::\s*str\s*)?(?P<op>==|!=|=|:|=>)\s{{0,20}}"
    r"(?:(?P<quote>[rbuRBU]?[\"'])(?P<quoted>[^\"'\s]{1,512})[\"']|(?P<bare>(?:(?<==)#)?[^\s\"',;#`()\[\]{}][^\s\"',;`()\[\]{}]{0,511}))"
)
_PAIR = re.compile(
    rf"[\"'](?P<name>{_NAME})[\"']\s{{0,20}},\s{{0,20}}(?P<quote>[rbuRBU]?[\"'])(?P<quoted>[^\"'\s]{{1,512}})[\"']"
)
_KEY_ONLY = re.compile(
    rf"^\s*(?:[\"']?(?P<name>{_NAME})[\"']?\]?)\s{{0,20}}(?:[:=]|=>)\s{{0,20}}(?:\(|\\|(?P<block>[|>][+-]?\d?))?\s*$"
)
_VALUE_ONLY = re.compile(
    r"^\s*(?:(?P<quote>[rbuRBU]?[\"'])(?P<quoted>[^\"'\s]{1,512})[\"']|(?P<bare>[^\s\"',;#`]{1,512}))[,;)]?\s*$"
)
_DOCKER_ENV = re.compile(rf"^\s*ENV\s+(?P<name>{_NAME})\s+(?P<bare>\S{{1,512}})\s*$")
_CLI_SECRET = re.compile(
    r"(?<![\w-])(?:--?(?:password|passwd|pass|token|api-key|apikey|secret|auth-token|access-token)"
    r"(?:=|\s{1,5})|-p(?=[^\s\-]))(?P<quote>[\"']?)(?P<value>[^\s\"'`]{4,512})(?P=quote)"
)
_CLI_USER = re.compile(r"(?<![\w-])(?:-u|--user)(?:=|\s{1,5})[\"']?[^\s:\"']{1,64}:(?P<value>[^\s\"'@`]{4,256})")
_NOT_SECRET_NAME = re.compile(
    r"(?i)(?:^|_)(?:bos|eos|pad|unk|sep|cls|mask|special|additional_special)_tokens?$"
    r"|tokeni[sz]e|tokens?_(?:ids?|type|types|count|len|length|size|limit|usage|budget|classification)"
    r"|_tokens$"
    r"|(?:max|min|num|n|total|new)_(?:new_)?tokens?"
    r"|_(?:path|file|files|dir|env|var|name|url|uri|endpoint|header|field|prefix|id|type|len|length|size|count)$"
    r"|author|oauth_?scopes?|auth_?(?:type|method|mode|url|provider)$|_(?:pattern|regex|re|format|fmt|template)$"
    r"|(?:^|[_.\-])(?:hash|hashed|digest|sha\d*|md5|checksum|crc\d*|fingerprint|etag|integrity)(?:$|[_.\-])"
    # the characters a password is drawn from (`PASSWORD_CHARS`, `passwordSymbols`, `secret_alphabet`), not a password
    r"|(?:symbols|chars|characters|charset|alphabet)$"
)
_PLACEHOLDER_WORDS = re.compile(
    r"(?i)example|placeholder|your[_\-]|<[^>]{0,80}>|\$\{|\{\{|%\(|xxxx|\*\*\*|\.\.\.|…|changeme|change[_\-]me|replace[_\-]?me"
    r"|dummy|redacted|insert[_\-]|put[_\-]|todo|fixme|sample|^\$\w+$|^\w+_here$|^%\w+%$|fake|not[_\-]?a[_\-]?real"
    r"|^(?:foo|bar|baz|qux|quux)+\d{0,3}$"  # metasyntactic words: `mongo://user:foobar@host` is an example
)
# A constant's name standing where the value goes (`postgresql://DB_USERNAME:DB_PASSWORD@DB_HOST`): a template
# slot that a bootstrap script or the reader replaces, never the secret itself.
_SLOT_NAME = re.compile(r"(?:[A-Z][A-Z0-9]*_)+(?:PASSWORD|PASSWD|PASS|PWD|SECRET|TOKEN|KEY)")
_WEAK_WORDS = frozenset(
    {"password", "passwd", "secret", "token", "pass", "admin", "root", "postgres", "mysql", "test", "user", "guest"}
)
_KNOWN_PLACEHOLDERS = frozenset({"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})
# Published documentation examples (jwt.io's sample token, Stripe's docs test key): found in many READMEs, never live.
_PUBLISHED_EXAMPLES = ("SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "4eC39HqLyjWDarjtT1zdp7dc")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HEX = re.compile(r"^(?:[0-9a-f]+|[0-9A-F]+)$")
_DIGEST_PREFIX = re.compile(r"^(?:sha\d{1,3}|md5|sha3-\d{3}|blake2b?|xxh\d{2,3})[:\-=]", re.IGNORECASE)
_BASE64_BLOB = re.compile(
    r"(?<![\w/+.\-])data:[\w/+.\-]{1,100};base64,[A-Za-z0-9+/=]{1,}|(?<![A-Za-z0-9+/=])[A-Za-z0-9+/=]{400,}"
)
_PEM_BODY = re.compile(r"[A-Za-z0-9+/]{40,}")
_WORD = re.compile(r"[A-Z]?[a-z]{3,}|[A-Z]{4,}")
_GENERIC_NEEDLES = (
    "://",
    "key",
    "secret",
    "token",
    "passw",
    "pwd",
    "auth",
    "credential",
    "sig=",
    "-u ",
    "-u=",
    "--user",
    "mysql",
    "mariadb",
    "--pass",
    "--api",
    "--access",
)
_ALL_NEEDLES = {*_GENERIC_NEEDLES, *(n for p in PROVIDERS for n in p.needles if n == n.lower())}
# A needle that contains another is redundant for picking candidate lines (`private_key` holds `key`).
_NEEDLES = tuple(sorted(n for n in _ALL_NEEDLES if not any(o != n and o in n for o in _ALL_NEEDLES)))
_EXACT_NEEDLES = tuple(sorted({n for p in PROVIDERS for n in p.exact_needles}))


def _by_needle(exact: bool) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Return (needle, indexes of the formats it admits): lowercase needles, or those matched as written."""
    table: dict[str, list[int]] = {}
    for index, fmt in enumerate(TOKEN_FORMATS):
        for needle in fmt.needles:
            if (needle != needle.lower()) == exact:
                table.setdefault(needle, []).append(index)
    return tuple((needle, tuple(indexes)) for needle, indexes in sorted(table.items()))


_FORMATS_BY_NEEDLE = _by_needle(exact=False)
_FORMATS_BY_EXACT_NEEDLE = _by_needle(exact=True)
# Finds which of `_FORMATS_BY_NEEDLE`'s needles a line holds in one pass (pattern i is needle i).
_FORMAT_NEEDLE_FINDER = AhoCorasick([needle for needle, _ in _FORMATS_BY_NEEDLE], implementation=Implementation.DFA)
_DIGEST_LENGTHS = frozenset({32, 40, 64, 96, 128})


def split_lines(text: str) -> list[str]:
    """Split text into lines the way editors and the Python tokenizer count them.

    Only `\\n`, `\\r\\n` and `\\r` end a line; form feeds, NEL and U+2028 do not (unlike
    `str.splitlines`), so line numbers match what a reader sees.
    """
    lines = text.split("\n") if "\r" not in text else _LINE_BREAK.split(text)  # the same split, without a regex
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def shannon_entropy(value: str) -> float:
    """Return the Shannon entropy of a string in bits per character."""
    if not value:
        return 0.0
    counts = Counter(value)
    size = len(value)
    return -sum(n / size * math.log2(n / size) for n in counts.values())


def is_placeholder(value: str) -> bool:
    """Return True for documented placeholders, templates and obviously fake values."""
    stripped = value.strip().strip("\"'")
    if not stripped or stripped in _KNOWN_PLACEHOLDERS or stripped.lower() in _WEAK_WORDS:
        return True
    if any(example in stripped for example in _PUBLISHED_EXAMPLES):
        return True
    if _PLACEHOLDER_WORDS.search(stripped) or _SLOT_NAME.fullmatch(stripped):
        return True
    return len(set(stripped.lower()) - set("-_.")) <= 2 or _counts_up(stripped) or _repeated_body(stripped)


def _repeated_body(value: str) -> bool:
    """Return True for a key whose body after its prefix is one character repeated (`ghp_xxx`, `sk-0000`)."""
    prefix, _, body = value.rpartition("_") if "_" in value else value.rpartition("-")
    return bool(prefix) and len(body) >= 3 and len(set(body.lower())) == 1


SEQUENCE_SHARE = 0.85  # of a key body's neighbouring characters that follow each other (`1234567890abcdef`)
SEQUENCE_RUN = 3  # the shortest run up the alphabet or the digits a hand-typed body is built of (`abc` + `123`)
SEQUENCE_RUNS = 2  # the most runs such a body holds: one up the letters and one up the digits
SEQUENCE_BODY = 6  # the shortest body judged by its runs: `abc123` in vLLM's `token-abc123`


def _counts_up(value: str) -> bool:
    """Return True for a key whose body (after its last `-`/`_`: `sk-1234567890abcdef`, `token-abc123`) runs up
    the digits or the alphabet, or is one run up each (`abc123`): a documentation placeholder typed by hand,
    never generated key material."""
    body = re.split(r"[-_]", value)[-1].lower()
    if len(body) < SEQUENCE_BODY or not body.isalnum() or not body.isascii():
        return False
    steps = [ord(b) - ord(a) == 1 for a, b in itertools.pairwise(body)]
    if len(body) >= 8 and sum(steps) >= SEQUENCE_SHARE * (len(body) - 1):
        return True
    runs = "".join("+" if step else " " for step in steps).split(" ")  # each run of n characters is n - 1 pluses
    return len(runs) <= SEQUENCE_RUNS and all(len(run) + 1 >= SEQUENCE_RUN for run in runs)


def randomness_bound(length: int, entropy: float = DEFAULT_ENTROPY) -> float:
    """Return the entropy (bits per character) a random value of this length must reach.

    A string of n characters has at most log2(n) bits per character, so a fixed gate
    rejects short random passwords; the bound is 80 % of that maximum, capped at `entropy`.
    """
    return min(entropy, 0.8 * math.log2(max(length, 2)))


def looks_random(value: str, entropy: float = DEFAULT_ENTROPY, min_length: int = DEFAULT_MIN_LENGTH) -> bool:
    """Return True when a value looks like generated key material rather than words, ids or digests.

    Key material is ASCII: a value in another script (`パスワードは8文字より…`) is text, not a key.
    """
    if len(value) < min_length or not value.isascii() or is_placeholder(value) or is_digest(value):
        return False
    if shannon_entropy(value) < randomness_bound(len(value), entropy):
        return False
    return not _structured(value) and _mixed_characters(value) and not _wordy(value) and not _encoded_text(value)


_BASE64_VALUE = re.compile(r"[A-Za-z0-9+/_\-]{12,}={0,2}")


def _encoded_text(value: str) -> bool:
    """Return True for base64 of readable text (`eyJpbmRleCI6IDExfQ==` is `{"index": 11}`): an encoding, not a key."""
    if not _BASE64_VALUE.fullmatch(value):
        return False
    try:
        raw = base64.urlsafe_b64decode(value.replace("+", "-").replace("/", "_") + "=" * (-len(value) % 4))
    except ValueError:
        return False
    printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in raw)
    return len(raw) >= 8 and printable == len(raw)


def _wordy(value: str) -> bool:
    """Return True when most of the value is English-like words (`Summer2024Password`, `BertTokenizerFast`).

    A letter run is a word when at least 3 in 4 of its letter pairs are common English bigrams;
    random runs almost never are (under 2 % of random 12-character values count as wordy).
    """
    return sum(len(w) for w in _WORD.findall(value) if _word_like(w)) * 2 >= len(value)


def _word_like(run: str) -> bool:
    low = run.lower()
    if len(low) < 4:
        return False
    pairs = [low[i : i + 2] for i in range(len(low) - 1)]
    return sum(p in _BIGRAMS for p in pairs) * 4 >= 3 * len(pairs)


_BIGRAMS = frozenset(
    re.findall(
        r"[a-z]{2}",
        "th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri"
        " ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot il tr ly nc et ut"
        " ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi"
        " ci vi pl ig tu ev ld ry mp fe bl ab gh ty op wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do uc bu ei ov"
        " by rm ep tt oc fa ef cu rn sc gi da yo cr cl du ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi"
        " rc rr eg au ck ew mu br bi pt ak pu ui rg ib tl ny ki rk ys ob mm fu ph og ms ye ud mb ip ub oi rl gu dr hr"
        " cc tw ft wn nu af hu nn eo vo rv nf xp gn sm fl iz ok nl my gl aw ju oa eq sy sl ps jo ks ze wr",
    )
)


# keys their vendor documents as public (Stripe and Mapbox publishable keys, PostHog project keys): they only
# identify where client-side events or requests go and grant no read access, so they are not secrets
_STRUCTURED = re.compile(
    r"^(?:/|\./|\.\./|~/|https?://|arn:|alias/|pk[._](?:live_|test_|eyJ)|phc_)|\\|\[|/.*\.[a-z]{2,5}$"
)


# a file name: a stem of word characters and an all-lowercase extension (`cl100k_base.tiktoken`, `v2_3.json`)
_FILE_NAME = re.compile(r"[\w\-]{1,200}\.[a-z]{2,10}")


# a package requirement (`tiktoken>=0.7.0`, `regex!=2019.12.17`, `torch==2.1.*,<3`): a name, then version clauses
# (each version starts with a digit: `Tr0ub4d>=r&3` is a password)
_REQUIREMENT = re.compile(
    r"[A-Za-z][\w.\-]{0,100}(?:===|==|!=|<=|>=|~=|<|>)\d[\w.*+!]{0,49}(?:,(?:===|==|!=|<=|>=|~=|<|>)\d[\w.*+!]{0,49})*"
)
# a validation rule list (`"password": "required|min:8|max:255"`, Laravel/Cerberus-style schemas): lower-case rule
# names, some with arguments, joined by `|`; it says what a field must hold, it holds no value
_RULE_LIST = re.compile(r"[a-z_]{2,30}(?::[\w,.]+)?(?:\|[a-z_]{2,30}(?::[\w,.]+)?)+")
# a C++ or Rust path (`std::int32_t`, `at::kHalf`, `Token::Ident`): names a type or an item of code, never key material
_SCOPED_NAME = re.compile(r"[A-Za-z_]\w*(?:::[A-Za-z_]\w*)+")


def _structured(value: str) -> bool:
    """Return True for UUIDs, paths, file names, URLs, regexes, word-separated phrases, constant names, C++ or
    Rust paths, hub model ids and package requirements."""
    if _UUID.match(value) or _STRUCTURED.search(value) or _FILE_NAME.fullmatch(value) or _is_model_id(value):
        return True
    if _SCOPED_NAME.fullmatch(value):
        return True  # `using token_t = std::int32_t;`: a type alias in a C++ header
    if _REQUIREMENT.fullmatch(value):
        return True  # `"tiktoken": "tiktoken>=0.7.0"`: a dependency table names a package and its versions
    if _RULE_LIST.fullmatch(value):
        return True  # `"password": "required|min:8|max:255"`: a validation schema's rules for the field
    if _EXPONENT_NUMBER.fullmatch(value) or ("*" in value and _FORMULA.fullmatch(value)):
        return True  # `"output_cost_per_token": 1.124998e-05`, `tokens = h*w*seconds*24/1024`: a quantity, a formula
    if _CONSTANT_NAME.fullmatch(value) and sum(not p.isalpha() for p in value.split("_")) <= 1:
        return True  # `V3IO_ACCESS_KEY`: the name of an environment variable or setting
    words = [p for p in re.split(r"[-_ .]", value) if p]
    return len(words) > 1 and all(p.isalpha() for p in words)


# a number in exponent notation (`1.874999e-05`, a price per token in a model catalogue)
_EXPONENT_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d{1,3}")
_OPERAND = r"(?:[a-z_]+|\d+(?:\.\d+)?)"
# a product or quotient of lower-case words (no digits in them) and numbers: `h*w*seconds*24/1024`
_FORMULA = re.compile(rf"{_OPERAND}(?:[*/]{_OPERAND})+")


# an upper-case snake_case identifier (`V3IO_ACCESS_KEY`, `S3_SECRET_KEY`): names a value kept elsewhere
_CONSTANT_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)+")


_MODEL_ID = re.compile(r"[A-Za-z0-9][\w.-]{0,100}/([\w.-]{1,200})")


def _is_model_id(value: str) -> bool:
    """Return True for `org/model-name` ids (Hugging Face hub style): words, not key material."""
    match = _MODEL_ID.fullmatch(value)
    if match is None:
        return False
    words = [w for w in re.split(r"[-_.]", match.group(1)) if sum(c.isalpha() for c in w) >= 3]
    return len(words) >= 2


def _mixed_characters(value: str) -> bool:
    """Return True for letters mixed with digits or symbols (or long mixed-case strings)."""
    if not any(c.isalpha() for c in value):
        return False
    mixed_case = any(c.isupper() for c in value) and any(c.islower() for c in value)
    symbol = any(not c.isalnum() and c not in "-_./" for c in value)
    return any(c.isdigit() for c in value) or (symbol and mixed_case) or (mixed_case and len(value) >= 20)


def is_hex_digest(value: str) -> bool:
    """Return True for md5/sha1/sha256-shaped hex strings (32, 40 or 64 hex digits)."""
    return len(value) in (32, 40, 64) and bool(_HEX.match(value))


def is_digest(value: str) -> bool:
    """Return True for hash digests: hex of md5/sha1/sha256/sha384/sha512 length, or `sha256:...`."""
    if _DIGEST_PREFIX.match(value):
        return True
    return len(value) in _DIGEST_LENGTHS and bool(_HEX.match(value))


def formats_wanted(line: str) -> set[int]:
    """Return the indexes of the token formats whose needles the line holds (lowercased, or as written)."""
    wanted: set[int] = set()
    for found, _, _ in _FORMAT_NEEDLE_FINDER.find_matches_as_indexes(line.lower(), overlapping=True):
        wanted.update(_FORMATS_BY_NEEDLE[found][1])  # every occurrence of every needle: each needle held is named
    for needle, formats in _FORMATS_BY_EXACT_NEEDLE:
        if needle in line:
            wanted.update(formats)
    return wanted


def _format_matches(line: str, next_line: str | None) -> Iterator[SecretMatch]:
    wanted = formats_wanted(line)
    for index in sorted(wanted):
        fmt = TOKEN_FORMATS[index]
        for match in fmt.pattern.finditer(line):
            value = match.group(fmt.group)
            if is_placeholder(value):
                continue
            if value.startswith("-----BEGIN") and not _key_body_follows(line[match.end(fmt.group) :], next_line):
                continue
            if fmt.random_part is not None and not _random_enough(match.group(fmt.random_part)):
                continue
            if fmt.name == "basic-auth header" and not _basic_credentials(value):
                continue
            if fmt.name == "AWS access key id" and _PRESIGNED_KEY.search(line[: match.start(fmt.group)]):
                continue
            yield SecretMatch(fmt.name, value, match.start(fmt.group), public=public_prefix(value))


# a presigned S3 link names its signer's key id in the query; the link expires and grants that one request
_PRESIGNED_KEY = re.compile(r"(?i)[?&](?:X-Amz-Credential|AWSAccessKeyId)=$")
# a Firebase web app's config: its `apiKey` names the Firebase project to the browser, which Google documents as
# safe to ship in client code (access is governed by security rules, not by that key)
_FIREBASE_CONFIG = re.compile(r"authDomain|firebaseapp\.com|firebaseio\.com|messagingSenderId")
_FIREBASE_WINDOW = 300  # characters either side of the key: a config object, also inside a one-line bundle


def _firebase_web_config(line: str, match: SecretMatch) -> bool:
    """Return True for a Google API key (`AIza...`, by format or by its name) that sits in a Firebase web config
    (`apiKey` beside `authDomain`)."""
    if not match.value.startswith("AIza"):
        return False
    start, end = max(0, match.start - _FIREBASE_WINDOW), match.start + len(match.value) + _FIREBASE_WINDOW
    return _FIREBASE_CONFIG.search(line, start, end) is not None


_PREFIX_END = re.compile(r"[_\-.](?=[^_\-.]*$)")


def public_prefix(value: str) -> int:
    """Return the length of a token's published prefix: up to its last `_`, `-` or `.` in the first 16 characters."""
    head = value[:16]
    match = _PREFIX_END.search(head)
    return match.end() if match and len(value) - match.end() >= 16 else 0


def _basic_credentials(value: str) -> bool:
    """Return True when a basic-auth value decodes to `user:password` with a real-looking password."""
    try:
        user, _, password = base64.b64decode(value + "=" * (-len(value) % 4)).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return False
    return bool(password) and password != user and not is_placeholder(password)


def _key_body_follows(rest: str, next_line: str | None) -> bool:
    """Return True when base64 key material follows a BEGIN header (same line or the next).

    A header that ends its line with no closing quote and no known next line (a diff scanned
    line by line) counts too: a constant such as `"-----BEGIN RSA PRIVATE KEY-----"` closes its quote.
    """
    body = rest.replace("\\n", "\n").strip()
    if not body and next_line is None:
        return True
    next_line = next_line or ""
    body = body.strip("\"'")
    return bool(_PEM_BODY.match(body) or (not body and _PEM_BODY.match(next_line.strip().strip("\"'"))))


def _random_enough(part: str) -> bool:
    has_digit = any(c.isdigit() for c in part)
    mixed_case = any(c.isupper() for c in part) and any(c.islower() for c in part)
    return shannon_entropy(part) >= min(3.0, randomness_bound(len(part))) and (has_digit or mixed_case)


def _url_matches(line: str) -> Iterator[SecretMatch]:
    if "://" not in line or "@" not in line:  # every match holds both
        return
    matches = list(_URL_PASSWORD.finditer(line))
    if len(matches) > 1 and any(_example_credentials(m) for m in matches):
        return  # `"https://user:password@host:port": "https://uzivatel:heslo@hostitel:port"`: a translated example
    for match in matches:
        password = match.group(2)
        if _example_credentials(match) or password.startswith(("$", "%", "{")):
            continue  # `https://bruger:adgangskode@host:port`, `http://host:port@evil.com/`, `${DB_PASSWORD}`
        local = match.group(3).lower() in _LOOPBACK_HOSTS  # a database on the author's own machine
        yield SecretMatch("password in URL", password, match.start(2), local=local)


def _cli_matches(line: str) -> Iterator[SecretMatch]:
    """Yield passwords on command lines: `curl -u user:pw`, `--password pw`, `mysql -ppw`."""
    if "-" not in line:  # every option starts with one
        return
    for pattern, kind, needles in _CLI_PATTERNS:
        if not any(needle in line for needle in needles):
            continue
        for match in pattern.finditer(line):
            value = match.group("value")
            if value.startswith(("$", "%", "{", "<", "//")) or is_placeholder(value) or _secret_reference(value):
                continue  # `-u file://./runs`: a URI (its scheme before `//`), not user:password
            if kind.startswith("secret") and not _cli_value_ok(line, match, value):
                continue
            yield SecretMatch(kind, value, match.start("value"))


# Each pattern with the strings one of which every match holds (`--user`, `-u`; `--password`, `--token`, `-pVALUE`).
_CLI_PATTERNS = (
    (_CLI_USER, "password on a command line", ("-u",)),
    (_CLI_SECRET, "secret on a command line", ("-p", "-t", "-a", "-s")),
)


def _secret_reference(value: str) -> bool:
    """Return True for a reference to a secret kept elsewhere (BuildKit `--secret id=aws,src=...`)."""
    return value.startswith(("id=", "src=", "source=", "env=")) or ",src=" in value


def _cli_value_ok(line: str, match: re.Match[str], value: str) -> bool:
    """Return True for `-pVALUE` only on mysql-style command lines, and for random-looking values."""
    if match.group(0).startswith("-p") and not re.search(r"\b(?:mysql|mysqldump|mariadb)\b", line):
        return False
    return looks_random(value, min_length=8) or (len(value) >= 8 and _mixed_characters(value) and not _wordy(value))


def names_no_secret(name: str) -> bool:
    """Return True for a name that holds no secret although it contains a secret-like word: `tokenizer`,
    `eos_token_id`, `max_tokens`, `token_path`, `auth_type` (NLP tokens, counts, ids, paths, kinds)."""
    return _finds(_NOT_SECRET_NAME, name)


def _name_ok(name: str) -> bool:
    name = name.rsplit(".", 1)[-1]
    return _finds(_SECRET_NAME, name) and not _finds(_NOT_SECRET_NAME, name)


# The case-insensitive name patterns for lowercase ASCII text: the same matches, several times faster.
_LOWERCASE_TWINS = {
    pattern: re.compile(pattern.pattern.removeprefix("(?i)")) for pattern in (_SECRET_NAME, _NOT_SECRET_NAME)
}


def _finds(pattern: re.Pattern[str], text: str) -> bool:
    """Return True when a case-insensitive name pattern (`_LOWERCASE_TWINS`) finds a match in `text`: an ASCII text
    is searched lowercased; in other text a case-insensitive match has more spellings than `str.lower` gives (the
    Kelvin sign matches `k`)."""
    if text.isascii():
        return _LOWERCASE_TWINS[pattern].search(text.lower()) is not None
    return pattern.search(text) is not None


def _assignment_matches(line: str, quoted_only: bool, entropy: float, min_length: int) -> Iterator[SecretMatch]:
    if not _finds(_SECRET_NAME, line):
        return
    docker = _DOCKER_ENV.match(line)
    matches = [docker] if docker else []
    matches += [*_ASSIGNMENT.finditer(line), *_PAIR.finditer(line)]
    for match in matches:
        name = match.group("name")
        if not _name_ok(name):
            continue
        quoted = match.groupdict().get("quote")
        value = match.group("quoted") if quoted else match.group("bare")
        if value is None or (quoted_only and not quoted and match is not docker):
            continue
        if not quoted and _CALL_AFTER.match(line, match.end("bare")):
            continue  # a call (`secret_fields = HashSet::new()`, `token = readToken(path)`): code, not a value
        if match.groupdict().get("op") in ("==", "!=") and not quoted:
            continue
        if not quoted and len(name) >= MIN_SELF_NAME and name.rsplit(".", 1)[-1] in value:
            continue  # `showAPIKeys = !showAPIKeys;`, `token = token.strip()`: an expression on the name itself
        if looks_random(value, entropy, min_length):
            start = match.start("quoted") if quoted else match.start("bare")
            verb = "compared with" if match.groupdict().get("op") in ("==", "!=") else "assigned to"
            yield SecretMatch(f"high-entropy value {verb} {name.rsplit('.', 1)[-1]}", value, start)


_CALL_AFTER = re.compile(r"\([^()]{0,200}\)")  # a parenthesised argument list closed on the same line
MIN_SELF_NAME = 4  # the shortest name whose reappearance in its own value marks an expression, not a key


def _next_line_matches(
    line: str, next_line: str, quoted_only: bool, entropy: float, min_length: int
) -> Iterator[SecretMatch]:
    """Yield a value written on the line under its key (multi-line dicts, YAML block scalars, `= (`)."""
    key = _KEY_ONLY.match(line)
    if key is None or not _name_ok(key.group("name")):
        return
    name = key.group("name").rsplit(".", 1)[-1]
    if key.group("block") and not quoted_only:
        value = next_line[:WINDOW].strip()
        if " " not in value and looks_random(value, entropy, min_length):
            yield SecretMatch(f"{GUESSED_KIND} {name}", value, next_line.index(value), 1)
        return
    value_match = _VALUE_ONLY.match(next_line[:WINDOW])
    if value_match is None or (quoted_only and not value_match.group("quote")):
        return
    value = value_match.group("quoted") or value_match.group("bare")
    if value and looks_random(value, entropy, min_length):
        start = value_match.start("quoted") if value_match.group("quote") else value_match.start("bare")
        yield SecretMatch(f"{GUESSED_KIND} {name}", value, start, 1)


def _windows(line: str) -> Iterator[tuple[int, str]]:
    """Yield `(offset, part)` windows of a line: the line itself, or overlapping 4 KiB parts of a long one."""
    if len(line) <= WINDOW:
        yield 0, line
        return
    for offset in range(0, len(line), WINDOW - OVERLAP):
        yield offset, line[offset : offset + WINDOW]
        if offset + WINDOW >= len(line):
            return


REQUEST_CREDENTIALS = frozenset(
    {"bearer token", "basic-auth header", "password on a command line", "secret on a command line"}
)
_LOOPBACK_URL = re.compile(r"(?i)\b(?:https?|wss?)://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?![\w.-])")


def _mark_local(line: str, found: list[SecretMatch]) -> list[SecretMatch]:
    """Mark the request credentials of a line that sends them to a loopback address (a demo of a local server)."""
    if not found or _LOOPBACK_URL.search(line) is None:
        return found
    return [replace(m, local=True) if m.kind in REQUEST_CREDENTIALS and not m.line_offset else m for m in found]


def scan_line(
    line: str,
    *,
    quoted_only: bool = False,
    entropy: float = DEFAULT_ENTROPY,
    min_length: int = DEFAULT_MIN_LENGTH,
    next_line: str | None = None,
) -> list[SecretMatch]:
    """Return every secret on one line; known formats win over the generic assignment check.

    `quoted_only` (for Python code) requires assigned values to be string literals, so
    `api_key = os.environ["API_KEY"]` is a read, not a value. A match with `line_offset`
    1 is a value found on `next_line` under a key that ends this line; `next_line=None` means
    the next line is unknown (a diff scanned line by line), so a private-key header that ends
    its line unquoted is reported on its own.
    """
    if not may_hold_secret(line):
        return []
    return _scan_candidate(line, quoted_only, entropy, min_length, next_line)


def _scan_candidate(
    line: str, quoted_only: bool, entropy: float, min_length: int, next_line: str | None
) -> list[SecretMatch]:
    """Return `scan_line` of a line known to hold a prefilter needle."""
    found: list[SecretMatch] = []
    seen: set[tuple[int, str]] = set()
    clean = _BASE64_BLOB.sub(lambda m: " " * len(m.group(0)), line) if len(line) >= 400 or "base64," in line else line
    for offset, part in _windows(clean):
        following = None if next_line is None else next_line[:WINDOW]
        for match in _scan_part(part, quoted_only, entropy, min_length, following):
            if _cut_by_window(match, offset, len(part), len(clean)):
                continue
            shifted = match if match.line_offset else replace(match, start=match.start + offset)
            key = (shifted.start + shifted.line_offset * -1_000_000_000, shifted.value)
            if not shifted.line_offset and _firebase_web_config(line, shifted):
                continue
            if key not in seen and not any(_overlaps(shifted, other) for other in found):
                seen.add(key)
                found.append(shifted)
    return sorted(_mark_local(line, found), key=lambda m: (m.line_offset, m.start))


def _cut_by_window(match: SecretMatch, offset: int, size: int, length: int) -> bool:
    """Return True for a value on the scanned line that runs to the end of a window the line goes on past: cut
    there (`r=>r===t?n:e.getL` of an arrow function), it is judged whole in the next window, which overlaps it."""
    return not match.line_offset and offset + size < length and match.start + len(match.value) >= size


def _scan_part(
    clean: str, quoted_only: bool, entropy: float, min_length: int, next_line: str | None
) -> list[SecretMatch]:
    found: list[SecretMatch] = []
    for candidate in (
        *_format_matches(clean, next_line),
        *_url_matches(clean),
        *_cli_matches(clean),
        *_assignment_matches(clean, quoted_only, entropy, min_length),
        *_next_line_matches(clean, next_line or "", quoted_only, entropy, min_length),
    ):
        if not any(_overlaps(candidate, seen) for seen in found):
            found.append(candidate)
    return found


def _overlaps(a: SecretMatch, b: SecretMatch) -> bool:
    if a.line_offset != b.line_offset:
        return False
    return a.start < b.start + len(b.value) and b.start < a.start + len(a.value)


def scan_text(
    text: str,
    *,
    quoted_only: bool = False,
    entropy: float = DEFAULT_ENTROPY,
    min_length: int = DEFAULT_MIN_LENGTH,
) -> Iterator[tuple[int, SecretMatch]]:
    """Yield `(line number, match)` for every secret in a text, each line scanned on its own."""
    reported: set[tuple[int, int, str]] = set()
    for index, line, following, known in _lines_to_scan(text):
        if known:
            found = _scan_candidate(line, quoted_only, entropy, min_length, following)
        else:
            found = scan_line(
                line, quoted_only=quoted_only, entropy=entropy, min_length=min_length, next_line=following
            )
        for match in found:
            number = index + 1 + match.line_offset
            key = (number, match.start, match.value)
            if key not in reported:
                reported.add(key)
                yield number, match


def secret_values(text: str, *, quoted_only: bool = False) -> set[str]:
    """Return the values of every secret in a text (for redaction only; never print them)."""
    return {match.value for _, match in scan_text(text, quoted_only=quoted_only)}


def may_hold_secret(text: str) -> bool:
    """Return False when no line of `text` holds a prefilter needle: `scan_text` would find nothing there."""
    return bool(
        _NEEDLE_FINDER.find_matches_as_indexes(text.lower()) or _EXACT_NEEDLE_FINDER.find_matches_as_indexes(text)
    )


def candidate_lines(lines: list[str]) -> list[int]:
    """Return the 0-based indexes of lines holding a prefilter needle (one automaton pass per case)."""
    return _candidate_lines(lines, "\n".join(lines))


def _candidate_lines(lines: list[str], joined: str) -> list[int]:
    """Return `candidate_lines(lines)`; `joined` is the lines joined by `\n` (a final `\n` may follow).

    A text whose lowercase form has another length (`İ` lowers to two characters) gives every line:
    offsets in the lowercase text would not be offsets in the text.
    """
    starts = _needle_starts(joined)
    return list(range(len(lines))) if starts is None else [index for index, _ in _lines_at(joined, starts)]


def _needle_starts(joined: str) -> list[int] | None:
    """Return the sorted offsets of prefilter needles in `joined`; None when its lowercase form has another length."""
    low = joined.lower()
    if len(low) != len(joined):
        return None
    starts = {start for _, start, _ in _NEEDLE_FINDER.find_matches_as_indexes(low)}
    starts.update(match.start() for match in _EXACT_NEEDLE_SEARCH.finditer(joined))
    return sorted(starts)


def _lines_at(joined: str, starts: list[int]) -> Iterator[tuple[int, int]]:
    """Yield (index, offset of a needle in it) for each line of `joined` holding a needle of `starts`, once each."""
    index, counted, last = 0, 0, -1  # line breaks are counted up to each match, never over the whole text
    for start in starts:
        index += joined.count("\n", counted, start)
        counted = start
        if index != last:
            last = index
            yield index, start


def _lines_to_scan(text: str) -> Iterator[tuple[int, str, str, bool]]:
    """Yield (index, line, next line, whether it holds a needle) for each line of `text` `scan_text` scans.

    A text without `\r` (nearly all) is not split into lines: each line holding a needle is cut out of it.
    """
    starts = _needle_starts(text) if "\r" not in text else None
    if starts is None:  # `\r` line breaks, or a lowercase form of another length
        lines = split_lines(text)
        for index in _candidate_lines(lines, "\n".join(lines)):
            yield index, lines[index], lines[index + 1] if index + 1 < len(lines) else "", False
        return
    for index, start in _lines_at(text, starts):
        begin = text.rfind("\n", 0, start) + 1
        end = _line_end(text, start)
        yield index, text[begin:end], text[end + 1 : _line_end(text, end + 1)], True


def _line_end(text: str, start: int) -> int:
    """Return the offset of the line break ending the line at `start`, or the text's length."""
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _finder(needles: tuple[str, ...]) -> AhoCorasick:
    """Return an Aho-Corasick automaton (compiled to a DFA) that finds any of the needles.

    One pass over a text finds every needle, a few times faster than one regex of alternatives
    (`re` tries the alternatives at each position that starts one). No needle holds a line break,
    so a match always lies within one line; the finder reports non-overlapping matches, and each
    line that holds a needle holds at least one of them.
    """
    return AhoCorasick(needles, implementation=Implementation.DFA)


_NEEDLE_FINDER = _finder(_NEEDLES)
_EXACT_NEEDLE_FINDER = _finder(_EXACT_NEEDLES)
# The same search as a regex: for the few needles matched as written, `re`'s scan for their first letters is a
# few times faster over a whole text (any leftmost scan finds a needle on each line that holds one).
_EXACT_NEEDLE_SEARCH = re.compile("|".join(map(re.escape, _EXACT_NEEDLES)) or r"(?!)")  # no needle: no match
