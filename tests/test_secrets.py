"""Tests for mlaudit.secrets: token formats, placeholders, entropy and per-line scanning."""

from __future__ import annotations

import random
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlaudit.redact import redact
from mlaudit.secrets import (
    WINDOW,
    is_hex_digest,
    is_placeholder,
    looks_random,
    scan_line,
    scan_text,
    shannon_entropy,
)

ALNUM = string.ascii_letters + string.digits


def rand(n: int, alphabet: str = ALNUM, seed: int = 7) -> str:
    """Return a random string built at runtime so no key-shaped literal sits in the repo."""
    rng = random.Random(seed + n)
    needs_digit = any(c.isdigit() for c in alphabet) and any(c.isalpha() for c in alphabet)
    for _ in range(100):
        value = "".join(rng.choice(alphabet) for _ in range(n))
        if not needs_digit or any(c.isdigit() for c in value):
            return value
    raise AssertionError("no random value drawn")


def fake(kind: str) -> str:
    """Return a realistic fake credential of one kind."""
    values = {
        "aws_id": "AK" + "IA" + rand(16, string.ascii_uppercase + string.digits),
        "openai": "sk-" + "proj-" + rand(48),
        "openai_legacy": "sk-" + rand(48),
        "anthropic": "sk-" + "ant-api03-" + rand(93, ALNUM + "-_"),
        "hf": "hf" + "_" + rand(34, string.ascii_letters),
        "github": "gh" + "p_" + rand(36),
        "github_pat": "github" + "_pat_" + rand(82, ALNUM + "_"),
        "gitlab": "gl" + "pat-" + rand(20),
        "slack": "xo" + "xb-" + rand(12, string.digits) + "-" + rand(24),
        "stripe": "sk" + "_live_" + rand(24),
    }
    return values[kind]


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("aws_id", "AWS access key id"),
        ("openai", "OpenAI API key"),
        ("openai_legacy", "OpenAI API key"),
        ("anthropic", "Anthropic API key"),
        ("hf", "Hugging Face token"),
        ("github", "GitHub token"),
        ("github_pat", "GitHub fine-grained token"),
        ("gitlab", "GitLab token"),
        ("slack", "Slack token"),
        ("stripe", "Stripe live key"),
    ],
)
def test_known_formats_are_found(kind: str, label: str) -> None:
    value = fake(kind)
    [match] = scan_line(f'client = make(key="{value}")', quoted_only=True)
    assert match.kind == label and match.value == value
    assert value not in match.describe()


def test_aws_secret_azure_wandb_and_url_password() -> None:
    aws_secret = rand(40, ALNUM + "/+")
    azure = rand(86, ALNUM + "+/") + "=="
    wandb = rand(40, "0123456789abcdef")
    password = rand(20)
    lines = [
        f"aws_secret_access_key = {aws_secret}",
        f"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={azure};EndpointSuffix=core.windows.net",
        f"WANDB_API_KEY={wandb}",
        f"url: postgresql://svc:{password}@db.internal:5432/features",
    ]
    kinds = [scan_line(line)[0].kind for line in lines]
    assert kinds == ["AWS secret access key", "Azure storage account key", "W&B API key", "password in URL"]


def test_private_key_blocks() -> None:
    body = rand(64, ALNUM + "+/")
    gcp = '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n' + body + '\\n"}'
    assert scan_line(gcp)[0].kind == "GCP service-account private key"
    pem = f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n"
    assert [m.kind for _, m in scan_text(pem)] == ["private key block"]


def test_private_key_header_in_parser_code_is_not_a_key() -> None:
    assert scan_line('if pem.startswith("-----BEGIN RSA PRIVATE KEY-----"):') == []


def test_adjacent_keys_are_both_found() -> None:
    text = f"OPENAI_API_KEY={fake('openai')}\nANTHROPIC_API_KEY={fake('anthropic')}\n"
    assert [(n, m.kind) for n, m in scan_text(text)] == [(1, "OpenAI API key"), (2, "Anthropic API key")]


def test_two_keys_on_one_line_are_both_found() -> None:
    line = f"keys = ['{fake('openai')}', '{fake('hf')}']"
    assert [m.kind for m in scan_line(line)] == ["OpenAI API key", "Hugging Face token"]


def test_a_password_is_found_where_the_characters_it_is_drawn_from_are_not() -> None:
    assert [m.kind for m in scan_line("password = 'qwerty!@#$%^123456'")] == ["high-entropy value assigned to password"]
    assert scan_line("password_symbols = 'qwerty!@#$%^123456'") == []


def test_a_price_per_token_or_a_token_formula_is_no_secret_but_a_key_holding_a_star_is() -> None:
    assert scan_line('    "cache_creation_input_token_cost": 1.874999e-05,') == []
    assert scan_line('"comment": "billed per 1k tokens with tokens = h*w*seconds*24/1024; 480p derived"') == []
    assert [m.kind for m in scan_line('api_token = "ab3x*yq9lm2z*p7kd8w"')] == [
        "high-entropy value assigned to api_token"
    ]
    assert [m.kind for m in scan_line("secret_token: 4.2e8f7c1b9d3a5e6")] == [
        "high-entropy value assigned to secret_token"
    ]


def test_high_entropy_value_assigned_to_secret_name() -> None:
    value = rand(32)
    [match] = scan_line(f"DB_PASSWORD={value}")
    assert match.kind == "high-entropy value assigned to DB_PASSWORD"
    assert scan_line(f'db_password = "{value}"', quoted_only=True)[0].value == value


@pytest.mark.parametrize(
    "line",
    [
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "OPENAI_API_KEY=<your-key>",
        "api_key: xxxxxxxxxxxxxxxxxxxxxxxx",
        "password: changeme",
        'client = OpenAI(api_key="your_api_key_here")',
        'OPENAI_API_KEY = "sk-..."',
        "api_key: ${OPENAI_API_KEY}",
        "token: {{ secrets.HF_TOKEN }}",
        'api_key = os.environ["OPENAI_API_KEY"]',
        'token = os.getenv("HF_TOKEN")',
        "OPENAI_API_KEY=",
        "md5: 3f2a9b1c4d5e6f708192a3b4c5d6e7f8",
        "sha256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'",
        "run_id: 0b7c5f6e-8f2a-4b1c-9d3e-2a4b6c8d0e1f",
        'bos_token = "<|endoftext|>"',
        'pad_token = "[PAD]"',
        'INVALID_TOKEN = "invalid-token-please-retry"',
        "data_path: /kaggle/input/telco-churn/train.csv",
        "token_path: /run/secrets/hf_token.txt",
        'tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")',
        "url = 'postgresql://user:password@localhost/db'",
        "url = 'postgresql://postgres:postgres@localhost:5432/test'",
        "from huggingface_hub import hf_hub_download",
        "max_tokens: 4096",
        "var passwordSymbols = 'qwerty!@#$%^123456';",
        "PASSWORD_CHARS = 'aZ3kL9pQ2xW7mN4v'",
        "passwordTooShort: '\u30d1\u30b9\u30ef\u30fc\u30c9\u306f8\u6587\u5b57\u3088\u308a\u9577\u304f\u3059\u308b\u5fc5\u8981\u304c\u3042\u308a\u307e\u3059',",
    ],
)
def test_not_secrets(line: str) -> None:
    assert scan_line(line, quoted_only="=" in line and not line.startswith(("OPENAI", "aws"))) == []


def test_scikit_learn_estimator_html_id_is_not_an_openai_key() -> None:
    style = '"<style>#sk-9b5446bb-0900-46a6-988d-1aa88ae0e4ff {color: black;background-color: white;}'
    assert scan_line(style) == []
    key = "sk-" + rand(48)  # the same prefix with a key's body is still found
    assert [m.kind for m in scan_line(f'"<style>#{key} {{color: black;}}')] == ["OpenAI API key"]


def test_metasyntactic_url_password_is_an_example_but_one_merely_containing_bar_is_not() -> None:
    assert scan_line("    uri = 'mongo://hyperopt:foobar@127.0.0.1:27017/db/jobs'") == []
    assert scan_line("    uri = 'mongo://svc:baz42@10.0.0.7:27017/db'") == []
    found = scan_line("    uri = 'mongo://svc:Barq9vLx2Tz@10.0.0.7:27017/db'")
    assert [match.kind for match in found] == ["password in URL"]


def test_url_grammar_with_optional_credentials_in_brackets_is_not_a_password() -> None:
    assert scan_line("    protocol://[username[:pw]]@hostname[:port]/db/collection") == []
    assert scan_line("    Connect with mongodb://[user[:secret]@]host/db") == []
    password = rand(20)
    found = scan_line(f"    Connect with mongodb://analyst:{password}@mongo.internal/db")
    assert [match.kind for match in found] == ["password in URL"]


def test_credentials_for_a_placeholder_host_or_spelling_the_url_grammar_are_examples() -> None:
    """`https://bruger:adgangskode@host:port` is "user:password" translated in a UI string, `http://host:port@evil.com/`
    a docstring on userinfo injection, and `ghp_xxx` a token with its body left out. Look-alike: the same password
    for a real host is a credential."""
    assert scan_line('  "Enter proxy URL": "Indtast proxy URL (f.eks. https://bruger:adgangskode@host:port)",') == []
    assert scan_line("    userinfo injection (``http://host:port@evil.com/``) and suffix confusion") == []
    assert scan_line("# `pkg @ git+https://x-access-token:ghp_xxx@github.com/org/private.git@sha`.") == []
    assert scan_line("    # `https://svc:s3cr?et@host/agent` would strand the first half of the password") == []
    found = scan_line("    proxy = 'https://bruger:adgangskode@proxy.corp.acme.io:3128'")
    assert [match.kind for match in found] == ["password in URL"]
    # a translation beside its source example, whatever words it uses for the host
    assert (
        scan_line('  "(e.g. https://user:password@host:port)": "(např. https://uzivatel:heslo@hostitel:port)",') == []
    )


def test_a_value_that_reuses_its_own_name_is_an_expression() -> None:
    """`showAPIKeys = !showAPIKeys;` toggles a flag named for keys. Look-alike: a random value is still a key."""
    assert scan_line("        showAPIKeys = !showAPIKeys;") == []
    assert scan_line("    api_token = api_token.strip().removeprefix('Bearer')") == []
    value = rand(24)
    assert [m.value for m in scan_line(f"    api_token = {value}")] == [value]


def test_a_url_password_spelled_as_a_constant_name_is_a_template_slot() -> None:
    """`DB_USERNAME:DB_PASSWORD@DB_HOST` is a template a bootstrap script fills in; a mixed-case value is a password."""
    assert scan_line("    path: postgresql://DB_USERNAME:DB_PASSWORD@DB_HOST:DB_PORT/DB_NAME") == []
    assert is_placeholder("PG_SECRET") and not is_placeholder("PG_Secret_2024x") and not is_placeholder("KQ7_XZ9P")
    found = scan_line("    path: postgresql://feast:PG_Secret_2024x@db.internal:5432/feast")
    assert [match.kind for match in found] == ["password in URL"]


def test_a_key_whose_body_counts_up_is_a_placeholder_but_a_random_one_is_a_key() -> None:
    """`sk-1234567890abcdef...` runs up the digits and the alphabet: typed by hand for a docstring."""
    counting = "sk-" + string.digits[1:] + "0" + string.ascii_lowercase
    assert is_placeholder(counting) and is_placeholder("sk-" + string.digits[1:] + "0")
    assert scan_line(f'    feedback = scorer(outputs="Use this key: {counting}")') == []
    key = "sk-" + rand(40)
    assert not is_placeholder(key)
    assert [m.kind for m in scan_line(f'    feedback = scorer(outputs="Use this key: {key}")')] == ["OpenAI API key"]


def test_a_short_key_body_built_of_runs_up_is_a_placeholder_but_a_mixed_one_is_a_key() -> None:
    """`token-abc123` (a server's documented demo key) is `abc` then `123`; `token-Xk29aQ` is a key."""
    assert is_placeholder("token-abc123") and is_placeholder("xyz789")
    assert scan_line("    vllm serve org/model --api-key token-abc123") == []
    assert scan_line('    client = OpenAI(base_url=url, api_key="token-abc123")') == []
    assert not is_placeholder("token-abc124") and not is_placeholder("token-Xk29aQ")
    found = scan_line('    client = OpenAI(base_url=url, api_key="token-Xk29aQ")')
    assert [m.kind for m in found] == ["high-entropy value assigned to api_key"]


def test_a_uri_after_a_user_flag_is_not_user_and_password() -> None:
    """`-u file://./runs` gives a tracking URI; `-u analyst:<random>` gives a password."""
    assert scan_line("      mlflow autolog claude -u file://./custom-mlruns") == []
    password = rand(14)
    found = scan_line(f"    curl -u analyst:{password} https://api.internal/v1/items")
    assert [match.kind for match in found] == ["password on a command line"]


def test_base64_image_data_is_ignored() -> None:
    blob = rand(400, ALNUM + "+/") + "AKIA" + rand(16, string.ascii_uppercase) + rand(300, ALNUM + "+/")
    assert scan_line(f'<img src="data:image/png;base64,{blob}">') == []
    assert scan_line(f'"image/png": "{blob}"') == []


def test_entropy_and_helpers() -> None:
    assert shannon_entropy("aaaa") == 0.0
    assert shannon_entropy(rand(40)) > 4.0
    assert is_placeholder("<your-key>") and is_placeholder("changeme") and not is_placeholder(rand(30))
    assert is_hex_digest("a" * 32) and not is_hex_digest("g" * 32)
    assert looks_random(rand(24)) and not looks_random("churn-demo-secret-please-change")


def test_entropy_threshold_is_tunable() -> None:
    value = "Ab1" * 6
    assert scan_line(f"api_key={value}") == []
    assert scan_line(f"api_key={value}", entropy=1.5)[0].value == value


def test_redacted_form_hides_the_value() -> None:
    value = fake("openai")
    [match] = scan_line(value)
    assert match.redacted == redact(value) == f"sk-p…({len(value)} chars)"


@pytest.mark.parametrize(
    "line",
    [
        '_CHECKPOINT_FOR_TOKEN_CLASSIFICATION = "dbmdz/bert-large-cased-finetuned-conll03-english"',
        'embed_tokens = "speecht5-base-2023-v1-large-embedder"',
        'tokenizer_name = "sentence-transformers/all-MiniLM-L6-v2"',
    ],
)
def test_hub_model_ids_and_token_tables_are_not_secrets(line: str) -> None:
    assert scan_line(line, quoted_only=True) == []


def test_base64_secret_with_slashes_is_still_a_secret() -> None:
    value = "Zx9" + "/Kq2mWv8Tr4LpN6bY1cHs3Jd5Fg7Qe0Ua2Io9Xw"
    assert [m.value for m in scan_line(f'api_secret = "{value}"', quoted_only=True)] == [value]


def test_candidate_lines_are_the_lines_that_hold_a_needle_each_counted_once() -> None:
    from mlaudit.secrets import candidate_lines, may_hold_secret

    lines = [
        "import os",
        f'TOKEN = "{fake("openai")}"  # token and KEY on one line',
        "",
        "x = 1",
        "url = 'https://example.org'",
        "plain text",
        f"aws = {fake('aws_id')}",  # an exact (case-kept) needle
        "Password: hunter2",
        "last line key",
    ]
    expected = [i for i, line in enumerate(lines) if may_hold_secret(line)]
    assert expected == [1, 4, 6, 7, 8]
    assert candidate_lines(lines) == expected
    assert candidate_lines(["nothing here", "", "at all"]) == [] and not may_hold_secret("nothing here\nat all")


def _lines_with_a_needle(text: str) -> list[int]:
    """The plain definition the automaton search must give: the lines holding a needle, lowercased or as written."""
    from mlaudit.secrets import _EXACT_NEEDLES, _NEEDLES, split_lines

    return [
        i
        for i, line in enumerate(split_lines(text))
        if any(n in line.lower() for n in _NEEDLES) or any(n in line for n in _EXACT_NEEDLES)
    ]


def test_needle_search_finds_every_needle_wherever_it_sits() -> None:
    """Each needle is found at the very start of a text, mid-line and at a line's end."""
    from mlaudit.secrets import _EXACT_NEEDLES, _NEEDLES, candidate_lines, may_hold_secret

    for needle in (*_NEEDLES, *_EXACT_NEEDLES):
        shown = needle.upper() if needle in _NEEDLES and needle.isascii() else needle
        for text in (shown, f"x = 1\nvalue {shown} here\n", f"a\nb\nends with {shown}"):
            assert may_hold_secret(text), needle
            assert candidate_lines(text.split("\n")) == _lines_with_a_needle(text), needle


def test_needle_search_ignores_needles_broken_across_lines() -> None:
    """A needle cut by a line break is on neither line."""
    from mlaudit.secrets import _NEEDLES, candidate_lines

    for needle in _NEEDLES:
        for cut in range(1, len(needle)):
            text = f"first {needle[:cut]}\n{needle[cut:]} second"
            assert candidate_lines(text.split("\n")) == _lines_with_a_needle(text), (needle, cut)


_BATTERY = (
    "",
    "\n\n\n",
    "key",
    "no needle at all\nnor here",
    "café = 'x'\napi_key = value  # é before and after: offsets count characters, not bytes",
    "naïve\u00e9\u00e9\u00e9 token\n\u00fcber secret\nplain",
    "\u212aEY = 1\nx",  # the Kelvin sign lowers to `k` (same length): `KEY` once lowercased
    "\u0130stanbul\nkey = 1\nplain",  # `İ` lowers to two characters: every line is a candidate
    "emoji \U0001f600 key\n\U0001f600\nSK_live\nsk",
    "keykeykey tokentoken\nKEYKEY\nSG.SG.",
    "Sk sK SK\nsg. SG.",
    "a\rb key\r\nc\nd token\r",
    "\x00\tkey\x0c\nform\x0cfeed secret\u2028line separator passw\n",
)


def _reference_candidates(lines: list[str]) -> list[int]:
    """The candidate lines by their definition: every line when lowercasing changes the text's length."""
    from mlaudit.secrets import _EXACT_NEEDLES, _NEEDLES

    joined = "\n".join(lines)
    if len(joined.lower()) != len(joined):
        return list(range(len(lines)))
    return [
        i
        for i, line in enumerate(lines)
        if any(n in line.lower() for n in _NEEDLES) or any(n in line for n in _EXACT_NEEDLES)
    ]


def test_needle_search_gives_the_lines_of_the_definition_on_a_battery_of_texts() -> None:
    """ASCII and non-ASCII texts (characters of several widths, lowercasing that changes the length,
    needles repeated or adjacent, every kind of line break) give the lines the definition gives."""
    from mlaudit.secrets import candidate_lines, may_hold_secret, scan_text, split_lines

    for text in _BATTERY:
        lines = split_lines(text)
        assert candidate_lines(lines) == _reference_candidates(lines), text
        if len(text.lower()) == len(text):
            assert may_hold_secret(text) == bool(_reference_candidates(lines)), text
        list(scan_text(text))  # the scan takes the same candidates (no offset beyond its lines)
    assert candidate_lines(split_lines(_BATTERY[6])) == [0]
    assert candidate_lines(split_lines(_BATTERY[7])) == [0, 1, 2]


@given(
    st.lists(st.sampled_from(["key", "SK", "SG.", "tok", "en", "é", "\u0130", "\u212a", "\n", " ", "x", "\U0001f600"]))
)
def test_needle_search_matches_the_definition_on_generated_texts(parts: list[str]) -> None:
    from mlaudit.secrets import candidate_lines, split_lines

    lines = split_lines("".join(parts))
    assert candidate_lines(lines) == _reference_candidates(lines)


def _reference_scan(text: str) -> list[tuple[int, int, str]]:
    """`scan_text` by its definition: every line split out and scanned with the line after it."""
    from mlaudit.secrets import split_lines

    lines = split_lines(text)
    found: dict[tuple[int, int, str], None] = {}
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        for match in scan_line(line, next_line=following):
            found[(index + 1 + match.line_offset, match.start, match.value)] = None
    return [(line, start, value) for line, start, value in found]


def test_scan_cuts_out_the_lines_a_split_gives() -> None:
    """Lines cut out of the text around their needles (no split) give what splitting and scanning each gives:
    values under their key on the next line, at the text's end, after `\r` line breaks and in texts whose
    lowercase form has another length."""
    key, other = fake("openai"), rand(24)
    texts = [
        *_BATTERY,
        f'x = 1\nKEY = "{key}"',
        f'KEY = "{key}"\n',
        f"api_secret =\n    '{other}'\n",
        f"api_secret =\n'{other}'",
        "api_secret =",
        f'\u0130 = 1\napi_token = "{other}"\n',
        f'a\r\napi_token = "{other}"\r\nb',
        f'\n\nkey\n\ntoken = "{other}"\n\n',
    ]
    for text in texts:
        assert [(line, m.start, m.value) for line, m in scan_text(text)] == _reference_scan(text), text
    assert [line for line, _ in scan_text(texts[len(_BATTERY) + 2])] == [2]


@pytest.mark.parametrize(
    "name",
    ["api_key", "API_KEY", "MyToken", "tokenizer", "eos_token_id", "AUTHOR", "api_\u212aey", "pa\u017f\u017fword"],
)
def test_name_patterns_search_lowercased_ascii_as_they_search_any_case(name: str) -> None:
    """An ASCII name searched lowercased by the twin pattern answers as the case-insensitive pattern does;
    others (the Kelvin sign, the long s) are searched as they are."""
    from mlaudit.secrets import _NOT_SECRET_NAME, _SECRET_NAME, _finds

    for pattern in (_SECRET_NAME, _NOT_SECRET_NAME):
        assert _finds(pattern, name) == (pattern.search(name) is not None), (pattern.pattern, name)
    assert _finds(_SECRET_NAME, "pa\u017f\u017fword")  # the long s is no `s` once lowercased, yet matches one


def test_line_split_without_carriage_returns_matches_the_editor_split() -> None:
    from mlaudit.secrets import _LINE_BREAK, scan_text, split_lines

    key = fake("openai")
    for text in ("", "\n", "a\n\nb", "a\nb\n", "a\x0cb\nc\u2028d\n", "a\r\nb\rc\n"):
        expected = _LINE_BREAK.split(text)
        if expected and expected[-1] == "":
            expected.pop()
        assert split_lines(text) == expected, text
    found = [[line for line, _ in scan_text(f'x = 1\nKEY = "{key}"{end}')] for end in ("", "\n", "\r\n")]
    assert found == [[2], [2], [2]]


def test_file_names_paired_with_a_token_like_name_are_not_secrets() -> None:
    # a tuple of two encoding files whose names end in "token": file names, not a key and its value
    line = "for name in ('o200k_base.tiktoken', 'cl100k_base.tiktoken'): fetch(name)"
    assert scan_line(line) == []
    # a random value under the same kind of name still is one
    value = rand(24)
    assert [m.value for m in scan_line(f"pairs = [('hub_token', '{value}')]")] == [value]


@pytest.mark.parametrize(
    "line",
    [
        "    let mut secret_values = BTreeMap::new();",
        "    private_key_bytes = PEM::decode64(buf)",
    ],
)
def test_a_call_assigned_to_a_secret_like_name_is_code_not_a_value(line: str) -> None:
    # in Rust or C++ source a constructor call is code; its unquoted name is not key material
    assert scan_line(line) == []


def test_a_random_bare_value_under_a_secret_name_is_still_found_next_to_a_call() -> None:
    value = rand(24)
    assert [m.value for m in scan_line(f"API_SECRET={value} ./serve.sh --port 8080")] == [value]
    assert [m.value for m in scan_line(f"export AUTH_TOKEN={value}; launch(workers)")] == [value]
    # an unquoted password that holds an opening parenthesis is no call
    assert [m.value for m in scan_line(f"db_password: {value}(x")] == [value]


def _formats_by_definition(line: str) -> set[int]:
    from mlaudit.secrets import _FORMATS_BY_EXACT_NEEDLE, _FORMATS_BY_NEEDLE

    wanted: set[int] = set()
    for needle, formats in _FORMATS_BY_NEEDLE:
        if needle in line.lower():
            wanted.update(formats)
    for needle, formats in _FORMATS_BY_EXACT_NEEDLE:
        if needle in line:
            wanted.update(formats)
    return wanted


def test_formats_wanted_are_those_of_every_needle_a_line_holds() -> None:
    """Needles inside other needles (`key` in `private_key`), repeated, overlapping, upper-case and beside
    non-ASCII text: the one-pass finder names the formats that testing each needle in turn names."""
    from mlaudit.secrets import _FORMATS_BY_NEEDLE, formats_wanted

    for needle, formats in _FORMATS_BY_NEEDLE:
        for line in (needle, f"x = '{needle.upper()}' é", f"{needle}{needle}"):
            assert formats_wanted(line) == _formats_by_definition(line), line
            assert set(formats) <= formats_wanted(line)
    every = " ".join(needle for needle, _ in _FORMATS_BY_NEEDLE)
    assert formats_wanted(every) == _formats_by_definition(every)
    assert formats_wanted("plain = 1") == set()


@given(st.lists(st.sampled_from(["sk-", "ghp_", "key", "private", "_key", "SG.", "AKIA", "x", " ", "é", "-----begin"])))
def test_formats_wanted_match_the_definition_on_generated_lines(parts: list[str]) -> None:
    from mlaudit.secrets import formats_wanted

    line = "".join(parts)
    assert formats_wanted(line) == _formats_by_definition(line)


def test_an_upper_case_constant_name_is_a_reference_but_grouped_random_capitals_are_a_key() -> None:
    """`access_key="S3V4_ACCESS_KEY"` names the environment variable that holds the key, not the key itself."""
    assert scan_line('    stream_access_key="S3V4_ACCESS_KEY",', quoted_only=True) == []
    found = scan_line('    stream_access_key="K7QX_Z2MP_R9TW_L4BN",', quoted_only=True)
    assert [match.kind for match in found] == ["high-entropy value assigned to stream_access_key"]


@pytest.mark.parametrize(
    "line",
    ['    "tiktoken": "tiktoken>=0.7.0",', '    "pytoken": "pytoken!=2019.12.17",', 'auth_lib = "authlib==1.3.*,<2"'],
)
def test_a_package_requirement_under_a_secret_like_name_is_no_key(line: str) -> None:
    # a dependency table maps each package to its requirement; `tiktoken` only contains the word "token"
    assert scan_line(line) == []


def test_a_validation_rule_list_under_a_secret_name_is_no_key() -> None:
    """A validation schema says what a password field must hold (`required|min:8|max:255`), not the password.
    Look-alike: key material with a `|` in it is still a key."""
    assert scan_line('    "password": "required|min:8|max:255",') == []
    assert scan_line("    'api_key': 'required|string|size:40',") == []
    value = f"{rand(10)}|{rand(11)}"
    assert [m.value for m in scan_line(f'    "password": "{value}",')] == [value]


def test_a_random_value_holding_a_comparison_under_a_secret_name_is_still_a_key() -> None:
    value = f"{rand(12)}>=q{rand(13)}"  # no version after the comparison: key material with a `>=` in it
    assert [m.value for m in scan_line(f'api_token = "{value}"')] == [value]


def _at_window_end(head: str, value: str, tail: str) -> str:
    """Return a minified line whose value (after `head`) starts 30 characters before the first scan window ends."""
    return "a" * (WINDOW - 30 - len(head)) + head + value + tail


def test_a_bare_value_cut_by_the_end_of_a_scan_window_is_judged_whole() -> None:
    # in a one-line bundle the first window ends inside `r=>r===t?n:e.tokenization.getLineTokens(r)`: cut there, the
    # arrow function lost the call that marks it as code
    line = _at_window_end("x={getTokens:", "r=>r===t?n:e.tokenization.getLineTokens", "(r)};")
    assert scan_line(line) == []


def test_a_random_value_across_the_end_of_a_scan_window_is_still_found_once_and_whole() -> None:
    key = rand(40)
    assert [m.value for m in scan_line(_at_window_end("x={apiToken:", key, "};"))] == [key]
    assert [m.value for m in scan_line(_at_window_end("x={apiToken:'", key, "'};"))] == [key]


def test_an_openai_key_type_prefix_is_not_counted_in_its_random_part() -> None:
    # `sk-proj-` + 27 characters is shorter than any project key; `sk-` + 32 or `sk-proj-` + 48 are keys
    short = "sk-" + "proj-" + rand(27, seed=8)
    assert [m.kind for m in scan_line(f'key = "{short}"', quoted_only=True)] == []
    legacy = "sk-" + rand(32, seed=9)
    assert [m.kind for m in scan_line(f'key = "{legacy}"', quoted_only=True)] == ["OpenAI API key"]
    assert [m.kind for m in scan_line(f'key = "{fake("openai")}"', quoted_only=True)] == ["OpenAI API key"]
