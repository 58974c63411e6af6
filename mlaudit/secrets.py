"""Provides secret detection: token formats, entropy and placeholders, as pure functions.

Each line is scanned on its own, so two keys on adjacent lines are both found. A value is
reported by a known token format (cloud keys, LLM and forge tokens, private keys, URLs
with passwords) or when a high-entropy value is assigned to a secret-like name. Documented
placeholders, templates, hashes, UUIDs, paths and base64 blobs are not secrets.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from mlaudit.redact import redact

DEFAULT_ENTROPY = 3.5
DEFAULT_MIN_LENGTH = 12


@dataclass(frozen=True)
class TokenFormat:
    """A known credential format: its display name and the pattern of the secret itself."""

    name: str
    pattern: re.Pattern[str]
    group: int = 0
    random_part: int | None = None
    needles: tuple[str, ...] = ()


@dataclass(frozen=True)
class SecretMatch:
    """One secret found on a line: what kind it is, its value and where it starts."""

    kind: str
    value: str
    start: int

    @property
    def redacted(self) -> str:
        """Return the only form of the value that may appear in any output."""
        return redact(self.value)

    def describe(self) -> str:
        """Return e.g. `OpenAI API key sk-p…(56 chars)` for messages."""
        return f"{self.kind} {self.redacted}"


def _fmt(name: str, pattern: str, group: int = 0, random_part: int | None = None) -> TokenFormat:
    return TokenFormat(name, re.compile(pattern), group, random_part, _FORMAT_NEEDLES[name])


# A lowercase substring that any match of the format contains: formats are only tried on lines that hold one.
_FORMAT_NEEDLES: dict[str, tuple[str, ...]] = {
    "AWS access key id": ("akia", "asia"),
    "AWS secret access key": ("secret",),
    "GCP service-account private key": ("private_key",),
    "private key block": ("-----begin",),
    "Azure storage account key": ("accountkey=",),
    "Anthropic API key": ("sk-ant-",),
    "OpenAI API key": ("sk-",),
    "Hugging Face token": ("hf_",),
    "GitHub token": ("ghp_", "gho_", "ghs_", "ghu_", "ghr_"),
    "GitHub fine-grained token": ("github_pat_",),
    "GitLab token": ("glpat-",),
    "Slack token": ("xox",),
    "Stripe live key": ("k_live_",),
    "W&B API key": ("wandb",),
}


TOKEN_FORMATS: tuple[TokenFormat, ...] = (
    _fmt("AWS access key id", r"(?<![A-Z0-9])((?:AKIA|ASIA)[0-9A-Z]{16})(?![A-Z0-9])", 1, 1),
    _fmt(
        "AWS secret access key",
        r"(?i)aws_?secret_?(?:access_?)?key[\"']?\s*[:=]\s*[\"']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
        1,
        1,
    ),
    _fmt("GCP service-account private key", r"\"private_key\"\s*:\s*\"(-----BEGIN[A-Z ]*PRIVATE KEY-----)", 1),
    _fmt(
        "private key block",
        r"(?<!\")(-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----)",
        1,
    ),
    _fmt("Azure storage account key", r"AccountKey=([A-Za-z0-9+/]{80,90}={0,2})", 1, 1),
    _fmt("Anthropic API key", r"(?<![\w-])(sk-ant-[A-Za-z0-9_\-]{32,})", 1, 1),
    _fmt("OpenAI API key", r"(?<![\w-])(sk-(?!ant-)(?:proj-|svcacct-|admin-)?([A-Za-z0-9_\-]{32,}))", 1, 2),
    _fmt("Hugging Face token", r"(?<![\w-])(hf_[A-Za-z0-9]{30,})(?!\w)", 1, 1),
    _fmt("GitHub token", r"(?<![\w-])((?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{36,})(?!\w)", 1, 1),
    _fmt("GitHub fine-grained token", r"(?<![\w-])(github_pat_[A-Za-z0-9_]{60,})", 1, 1),
    _fmt("GitLab token", r"(?<![\w-])(glpat-[A-Za-z0-9_\-]{20,})", 1, 1),
    _fmt("Slack token", r"(?<![\w-])(xox[bpoas]-[0-9]{6,}-[A-Za-z0-9\-]{8,})", 1, 1),
    _fmt("Stripe live key", r"(?<![\w-])([sr]k_live_[A-Za-z0-9]{20,})", 1, 1),
    _fmt("W&B API key", r"(?i)wandb_?api_?key[\"']?\s*[:=]\s*[\"']?([0-9a-f]{40})(?![0-9a-f])", 1, 1),
    _fmt("W&B API key", r"wandb\.login\(\s*key\s*=\s*[\"']([0-9a-f]{40})[\"']", 1, 1),
)

_URL_PASSWORD = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.\-]*://([^\s:/@'\"<>]+):([^\s@/'\"<>]+)@[\w.\-]+")
_SECRET_NAME = re.compile(
    r"(?i)(?:api[_-]?key|apikey|secret|token|passw(?:or)?d|passwd|\bpwd|access[_-]?key|auth|credential|private[_-]?key)"
)
_ASSIGNMENT = re.compile(
    r"(?P<name>[A-Za-z_][\w.\-]*)[\"']?\]?\s*(?::\s*str\s*)?(?:=|:|=>)\s*"
    r"(?:(?P<quote>[rbuRBU]?[\"'])(?P<quoted>[^\"'\s]+)[\"']|(?P<bare>[^\s\"',;#`]+))"
)
_NOT_SECRET_NAME = re.compile(
    r"(?i)(?:^|_)(?:bos|eos|pad|unk|sep|cls|mask|special|additional_special)_tokens?$"
    r"|tokeni[sz]e|tokens?_(?:ids?|type|types|count|len|length|size|limit|usage|budget|classification)"
    r"|_tokens$"
    r"|(?:max|min|num|n|total|new)_(?:new_)?tokens?"
    r"|_(?:path|file|files|dir|env|var|name|url|uri|endpoint|header|field|prefix|id|type|len|length|size|count)$"
    r"|author|oauth_?scopes?|auth_?(?:type|method|mode|url|provider)$|_(?:pattern|regex|re|format|fmt|template)$"
)
_PLACEHOLDER_WORDS = re.compile(
    r"(?i)example|placeholder|your[_\-]|<[^>]*>|\$\{|\{\{|%\(|xxxx|\*\*\*|\.\.\.|…|changeme|change[_\-]me|replace[_\-]?me"
    r"|dummy|redacted|insert[_\-]|put[_\-]|todo|fixme|sample|^\$\w+$|^\w+_here$"
)
_WEAK_WORDS = frozenset(
    {"password", "passwd", "secret", "token", "pass", "admin", "root", "postgres", "mysql", "test", "user", "guest"}
)
_KNOWN_PLACEHOLDERS = frozenset({"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HEX = re.compile(r"^(?:[0-9a-f]+|[0-9A-F]+)$")
_BASE64_BLOB = re.compile(r"data:[\w/+.\-]+;base64,[A-Za-z0-9+/=]+|[A-Za-z0-9+/=]{200,}")
_PEM_BODY = re.compile(r"[A-Za-z0-9+/]{40,}")
_NEEDLES = (
    "sk-",
    "hf_",
    "ghp_",
    "gho_",
    "ghs_",
    "ghu_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xox",
    "_live_",
    "akia",
    "asia",
    "begin",
    "accountkey",
    "wandb",
    "://",
    "key",
    "secret",
    "token",
    "passw",
    "pwd",
    "auth",
    "credential",
)


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
    if _PLACEHOLDER_WORDS.search(stripped):
        return True
    return len(set(stripped.lower()) - set("-_.")) <= 2


def looks_random(value: str, entropy: float = DEFAULT_ENTROPY, min_length: int = DEFAULT_MIN_LENGTH) -> bool:
    """Return True when a value looks like generated key material rather than words or ids."""
    if len(value) < min_length or shannon_entropy(value) < entropy or is_placeholder(value):
        return False
    return not _structured(value) and _mixed_characters(value)


_STRUCTURED = re.compile(r"^(?:/|\./|\.\./|~/|https?://)|\\|\[|/.*\.[a-z]{2,5}$")


def _structured(value: str) -> bool:
    """Return True for UUIDs, paths, URLs, regexes, word-separated phrases and hub model ids."""
    if _UUID.match(value) or _STRUCTURED.search(value) or _is_model_id(value):
        return True
    words = [p for p in re.split(r"[-_ .]", value) if p]
    return len(words) > 1 and all(p.isalpha() for p in words)


_MODEL_ID = re.compile(r"[A-Za-z0-9][\w.-]*/([\w.-]+)")


def _is_model_id(value: str) -> bool:
    """Return True for `org/model-name` ids (Hugging Face hub style): words, not key material."""
    match = _MODEL_ID.fullmatch(value)
    if match is None:
        return False
    words = [w for w in re.split(r"[-_.]", match.group(1)) if sum(c.isalpha() for c in w) >= 3]
    return len(words) >= 2


def _mixed_characters(value: str) -> bool:
    """Return True for letters mixed with digits (or long mixed-case strings)."""
    if not any(c.isalpha() for c in value):
        return False
    mixed_case = any(c.isupper() for c in value) and any(c.islower() for c in value)
    return any(c.isdigit() for c in value) or (mixed_case and len(value) >= 20)


def is_hex_digest(value: str) -> bool:
    """Return True for md5/sha1/sha256-shaped hex strings (32, 40 or 64 hex digits)."""
    return len(value) in (32, 40, 64) and bool(_HEX.match(value))


def _format_matches(line: str, next_line: str) -> Iterator[SecretMatch]:
    low = line.lower()
    for fmt in TOKEN_FORMATS:
        if not any(needle in low for needle in fmt.needles):
            continue
        for match in fmt.pattern.finditer(line):
            value = match.group(fmt.group)
            if is_placeholder(value):
                continue
            if value.startswith("-----BEGIN") and not _key_body_follows(line[match.end(fmt.group) :], next_line):
                continue
            if fmt.random_part is not None and not _random_enough(match.group(fmt.random_part)):
                continue
            yield SecretMatch(fmt.name, value, match.start(fmt.group))


def _key_body_follows(rest: str, next_line: str) -> bool:
    """Return True when base64 key material follows a BEGIN header (same line or the next)."""
    body = rest.replace("\\n", "\n").strip().strip("\"'")
    return bool(_PEM_BODY.match(body) or (not body and _PEM_BODY.match(next_line.strip().strip("\"'"))))


def _random_enough(part: str) -> bool:
    has_digit = any(c.isdigit() for c in part)
    mixed_case = any(c.isupper() for c in part) and any(c.islower() for c in part)
    return shannon_entropy(part) >= 3.0 and (has_digit or mixed_case)


def _url_matches(line: str) -> Iterator[SecretMatch]:
    for match in _URL_PASSWORD.finditer(line):
        user, password = match.group(1), match.group(2)
        if password == user or is_placeholder(password) or password.startswith(("$", "%", "{")):
            continue
        yield SecretMatch("password in URL", password, match.start(2))


def _assignment_matches(line: str, quoted_only: bool, entropy: float, min_length: int) -> Iterator[SecretMatch]:
    if not _SECRET_NAME.search(line):
        return
    for match in _ASSIGNMENT.finditer(line):
        name = match.group("name").rsplit(".", 1)[-1]
        if not _SECRET_NAME.search(name) or _NOT_SECRET_NAME.search(name):
            continue
        value = match.group("quoted") if match.group("quote") else match.group("bare")
        if value is None or (quoted_only and not match.group("quote")):
            continue
        if looks_random(value, entropy, min_length):
            start = match.start("quoted") if match.group("quote") else match.start("bare")
            yield SecretMatch(f"high-entropy value assigned to {name}", value, start)


def scan_line(
    line: str,
    *,
    quoted_only: bool = False,
    entropy: float = DEFAULT_ENTROPY,
    min_length: int = DEFAULT_MIN_LENGTH,
    next_line: str = "",
) -> list[SecretMatch]:
    """Return every secret on one line; known formats win over the generic assignment check.

    `quoted_only` (for Python code) requires assigned values to be string literals, so
    `api_key = os.environ["API_KEY"]` is a read, not a value.
    """
    low = line.lower()
    if not any(needle in low for needle in _NEEDLES):
        return []
    clean = _BASE64_BLOB.sub(lambda m: " " * len(m.group(0)), line)
    found: list[SecretMatch] = []
    for candidate in (
        *_format_matches(clean, next_line),
        *_url_matches(clean),
        *_assignment_matches(clean, quoted_only, entropy, min_length),
    ):
        if not any(_overlaps(candidate, seen) for seen in found):
            found.append(candidate)
    return sorted(found, key=lambda m: m.start)


def _overlaps(a: SecretMatch, b: SecretMatch) -> bool:
    return a.start < b.start + len(b.value) and b.start < a.start + len(a.value)


def scan_text(
    text: str,
    *,
    quoted_only: bool = False,
    entropy: float = DEFAULT_ENTROPY,
    min_length: int = DEFAULT_MIN_LENGTH,
) -> Iterator[tuple[int, SecretMatch]]:
    """Yield `(line number, match)` for every secret in a text, each line scanned on its own."""
    lines = text.splitlines()
    for index in candidate_lines(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        found = scan_line(
            lines[index], quoted_only=quoted_only, entropy=entropy, min_length=min_length, next_line=following
        )
        for match in found:
            yield index + 1, match


def candidate_lines(lines: list[str]) -> list[int]:
    """Return the 0-based indexes of lines holding a prefilter needle (one `find` pass per needle)."""
    joined = "\n".join(lines)
    low = joined.lower()
    if len(low) != len(joined):
        return list(range(len(lines)))
    ends = list(itertools.accumulate(len(line) + 1 for line in lines))
    found: set[int] = set()
    for needle in _NEEDLES:
        position = low.find(needle)
        while position != -1:
            index = bisect.bisect_right(ends, position)
            found.add(index)
            position = low.find(needle, ends[index] if index < len(ends) else len(low))
    return sorted(i for i in found if i < len(lines))
