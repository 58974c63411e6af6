"""Provides the census of credential formats: one bounded pattern per provider token.

Group 1 of each pattern is the secret itself; `random_group` names the group that must look
random (so `sk_live_xxxxxxxx` docs strings are not keys); `needles` are lowercase substrings
every match contains, used to skip lines cheaply. Every quantifier is bounded.
"""

from __future__ import annotations

from dataclasses import dataclass

_B = r"(?<![\w-])"
_E = r"(?![\w-])"


@dataclass(frozen=True)
class Provider:
    """One credential format: display name, regular expression, random group and needles."""

    name: str
    pattern: str
    needles: tuple[str, ...]
    """Lowercase substrings matched against the lowercased line; a needle with capitals is matched as written."""
    random_group: int | None = 1

    @property
    def exact_needles(self) -> tuple[str, ...]:
        """Return the needles that must be matched case-sensitively (written with capitals)."""
        return tuple(n for n in self.needles if n != n.lower())


_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


def _p(name: str, pattern: str, *needles: str, random_group: int | None = 1) -> Provider:
    return Provider(name, pattern, needles, random_group)


PROVIDERS: tuple[Provider, ...] = (
    _p(
        "AWS access key id",
        r"(?<![A-Z0-9])((?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})(?![A-Z0-9])",
        "akia",
        "asia",
        "abia",
        "acca",
    ),
    _p(
        "AWS secret access key",
        r"(?i)aws_?secret_?(?:access_?)?key[\"']?\s{0,20}[:=]\s{0,20}[\"']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
        "secret",
    ),
    _p(
        "GCP service-account private key",
        r"\"private_key\"\s{0,20}:\s{0,20}\"(-----BEGIN[A-Z ]{0,40}PRIVATE KEY-----)",
        "private_key",
        random_group=None,
    ),
    _p(
        "private key block",
        r"(-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |SSH2 )?PRIVATE KEY(?: BLOCK)?-----)",
        "-----begin",
        random_group=None,
    ),
    _p("Azure storage account key", r"AccountKey=([A-Za-z0-9+/]{80,90}={0,2})", "accountkey="),
    _p(
        "Azure SAS signature",
        r"[?&;]sig=((?:[A-Za-z0-9+/]|%2[Bb]|%2[Ff]){30,120}(?:=|%3[Dd]){0,2})(?![A-Za-z0-9%])",
        "sig=",
    ),
    _p(
        "Azure AD client secret",
        r"(?<![\w~.-])([a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.\-]{31,34})(?![\w~.-])",
        "q~",
    ),
    _p("Anthropic API key", _B + r"(sk-ant-[A-Za-z0-9_\-]{32,200})", "sk-ant-"),
    _p(
        "OpenAI API key",
        # `sk-<uuid>` is scikit-learn's element id in estimator HTML (`#sk-9b54...`), never a key. A named key
        # type (`sk-proj-`) is all prefix: its random part follows it, never counting `proj-` in (`sk-proj-` + 27).
        _B
        + r"(sk-(?!ant-)(?!"
        + _UUID
        + r"(?![\w\-]))(?:proj-|svcacct-|admin-|(?!proj-|svcacct-|admin-))([A-Za-z0-9_\-]{32,200}))",
        "sk-",
        random_group=2,
    ),
    _p("Hugging Face token", _B + r"(hf_[A-Za-z0-9]{30,60})(?!\w)", "hf_"),
    _p("Hugging Face organisation token", _B + r"(api_org_[A-Za-z0-9]{30,60})(?!\w)", "api_org_"),
    _p(
        "GitHub token",
        _B + r"((?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{36,80})(?!\w)",
        "ghp_",
        "gho_",
        "ghs_",
        "ghu_",
        "ghr_",
    ),
    _p("GitHub fine-grained token", _B + r"(github_pat_[A-Za-z0-9_]{60,120})", "github_pat_"),
    _p(
        "GitLab token",
        _B + r"((?:glpat|glptt|glrt|gldt|glft)-[A-Za-z0-9_\-]{20,80})",
        "glpat-",
        "glptt-",
        "glrt-",
        "gldt-",
        "glft-",
    ),
    _p("GitLab runner registration token", _B + r"(GR1348941[A-Za-z0-9_\-]{20,40})" + _E, "gr1348941"),
    _p("Slack token", _B + r"(xox[bpoasre]-(?:[0-9]{6,20}-){0,3}[A-Za-z0-9\-]{8,120})", "xox"),
    _p("Slack app token", _B + r"(xapp-\d-[A-Z0-9]{6,16}-\d{6,16}-[a-z0-9]{32,80})", "xapp-"),
    _p(
        "Slack webhook",
        r"(https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,12}/[A-Z0-9]{6,12}/([A-Za-z0-9]{20,40}))",
        "hooks.slack.com",
        random_group=2,
    ),
    _p("Stripe live key", _B + r"([sr]k_live_[A-Za-z0-9]{20,120})", "k_live_"),
    _p("Stripe test key", _B + r"([sr]k_test_[A-Za-z0-9]{20,120})", "k_test_"),
    _p("Stripe webhook secret", _B + r"(whsec_[A-Za-z0-9]{32,80})", "whsec_"),
    _p("W&B API key", r"(?i)wandb_?api_?key[\"']?\s{0,20}[:=]\s{0,20}[\"']?([0-9a-f]{40})(?![0-9a-f])", "wandb"),
    _p("W&B API key", r"wandb\.login\(\s{0,20}key\s{0,20}=\s{0,20}[\"']([0-9a-f]{40})[\"']", "wandb"),
    _p("Google API key", _B + r"(AIza[0-9A-Za-z_\-]{35})" + _E, "aiza"),
    _p("Google OAuth client secret", _B + r"(GOCSPX-[A-Za-z0-9_\-]{28})" + _E, "gocspx-"),
    _p("Google OAuth access token", _B + r"(ya29\.[0-9A-Za-z_\-]{30,300})", "ya29."),
    _p("SendGrid API key", _B + r"(SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})" + _E, "SG."),
    _p("npm token", _B + r"(npm_[A-Za-z0-9]{36})" + _E, "npm_"),
    _p("PyPI token", _B + r"(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,300})", "pypi-ageichlwas5vcmc"),
    _p(
        "JSON web token",
        _B + r"(eyJ[A-Za-z0-9_\-]{10,2000}\.eyJ[A-Za-z0-9_\-]{10,4000}\.([A-Za-z0-9_\-]{16,1000}))",
        "eyj",
        random_group=2,
    ),
    _p(
        "bearer token",
        r"(?i)authorization[\"']?\s{0,5}[:=,]\s{0,5}[\"']?(?:bearer|token)\s{1,5}([A-Za-z0-9._~+/\-]{20,2000}=*)",
        "authorization",
    ),
    _p(
        "basic-auth header",
        r"(?i)authorization[\"']?\s{0,5}[:=,]\s{0,5}[\"']?basic\s{1,5}([A-Za-z0-9+/]{12,500}={0,2})",
        "authorization",
    ),
    _p("DigitalOcean token", _B + r"(do[opr]_v1_[a-f0-9]{64})" + _E, "dop_v1_", "doo_v1_", "dor_v1_"),
    _p(
        "Discord webhook",
        r"(https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{5,30}/([\w-]{60,80}))",
        "discord",
        random_group=2,
    ),
    _p("Telegram bot token", r"(?<![\w:])(\d{8,10}:AA[A-Za-z0-9_\-]{33})" + _E, ":aa"),
    _p("Twilio API key", r"(?<![\w])(SK[0-9a-f]{32})(?![\w])", "SK"),
    _p("Mailchimp API key", _B + r"([0-9a-f]{32}-us\d{1,2})" + _E, "-us"),
    _p("Mailgun API key", r"(?i:mailgun)[\w\"' ]{0,40}[:=,(]\s{0,20}[\"']?(key-[0-9a-f]{32})" + _E, "mailgun"),
    _p("Shopify token", _B + r"(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})" + _E, "shpat_", "shpca_", "shppa_", "shpss_"),
    _p("Atlassian API token", _B + r"(ATATT3[A-Za-z0-9_\-=]{150,250})", "atatt3"),
    _p("Databricks token", _B + r"(dapi[a-f0-9]{32}(?:-\d)?)" + _E, "dapi"),
    _p(
        "Doppler token",
        _B + r"(dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44})" + _E,
        "dp.pt.",
        "dp.st.",
        "dp.sa.",
        "dp.ct.",
        "dp.scim.",
        "dp.audit.",
    ),
    _p("Dynatrace token", _B + r"(dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})" + _E, "dt0c01."),
    _p("EasyPost API key", _B + r"(EZ[AT]K[a-zA-Z0-9]{54})" + _E, "ezak", "eztk"),
    _p(
        "Grafana token",
        _B + r"(glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})" + _E,
        "glc_",
        "glsa_",
    ),
    _p("HashiCorp Vault token", _B + r"(hv[sb]\.[A-Za-z0-9_\-]{24,200})" + _E, "hvs.", "hvb."),
    _p("Terraform Cloud token", _B + r"([a-zA-Z0-9]{14}\.atlasv1\.[a-zA-Z0-9\-_=]{60,70})" + _E, "atlasv1"),
    _p("Linear API key", _B + r"(lin_api_[a-zA-Z0-9]{40})" + _E, "lin_api_"),
    _p("New Relic key", _B + r"(NR(?:AK|JS|II)-[A-Za-z0-9]{19,32})" + _E, "nrak-", "nrjs-", "nrii-"),
    _p("Postman API key", _B + r"(PMAK-[a-f0-9]{24}-[a-f0-9]{34})" + _E, "pmak-"),
    _p("Pulumi token", _B + r"(pul-[a-f0-9]{40})" + _E, "pul-"),
    _p("PlanetScale token", _B + r"(pscale_(?:tkn|pw|oauth)_[A-Za-z0-9=\-_.]{32,64})" + _E, "pscale_"),
    _p("Prefect API key", _B + r"(pnu_[a-zA-Z0-9]{36})" + _E, "pnu_"),
    _p("RubyGems API key", _B + r"(rubygems_[a-f0-9]{48})" + _E, "rubygems_"),
    _p("Sentry token", _B + r"(sntr(?:ys|yu|u)_[A-Za-z0-9+/=_\-]{40,400})" + _E, "sntrys_", "sntryu_"),
    _p("Brevo API key", _B + r"(xkeysib-[a-f0-9]{64}-[a-zA-Z0-9]{16})" + _E, "xkeysib-"),
    _p("Square token", _B + r"(sq0(?:atp|csp)-[0-9A-Za-z\-_]{22,43}|EAAA[a-zA-Z0-9\-+=]{60})" + _E, "sq0", "eaaa"),
    _p("Mapbox secret token", _B + r"(sk\.eyJ[A-Za-z0-9_\-]{20,200}\.[A-Za-z0-9_\-]{20,100})" + _E, "sk.eyj"),
    _p("age secret key", r"(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})", "age-secret-key-1"),
    _p("Alibaba Cloud access key", _B + r"(LTAI[a-zA-Z0-9]{20})" + _E, "ltai"),
    _p("Replicate API token", _B + r"(r8_[A-Za-z0-9]{37})" + _E, "r8_"),
    _p("Groq API key", _B + r"(gsk_[A-Za-z0-9]{52})" + _E, "gsk_"),
    _p("1Password service-account token", _B + r"(ops_eyJ[A-Za-z0-9+/]{250,2000}={0,3})", "ops_eyj"),
    _p("Frame.io token", _B + r"(fio-u-[A-Za-z0-9\-_=]{64})" + _E, "fio-u-"),
    _p("Infracost API key", _B + r"(ico-[a-zA-Z0-9]{32})" + _E, "ico-"),
    _p("ReadMe API key", _B + r"(rdme_[a-z0-9]{70})" + _E, "rdme_"),
    _p("Shippo token", _B + r"(shippo_(?:live|test)_[a-f0-9]{40})" + _E, "shippo_"),
    _p("Typeform token", _B + r"(tfp_[a-zA-Z0-9\-_.=]{59})" + _E, "tfp_"),
    _p("Clojars token", _B + r"(CLOJARS_[a-z0-9]{60})" + _E, "clojars_"),
    _p("Duffel token", _B + r"(duffel_(?:test|live)_[a-zA-Z0-9_\-=]{43})" + _E, "duffel_"),
    _p("Flutterwave key", _B + r"(FLW(?:PUB|SEC)K(?:_TEST)?-[a-h0-9]{32}-X)" + _E, "flwseck", "flwpubk"),
    _p("Scalingo token", _B + r"(tk-us-[\w-]{48})" + _E, "tk-us-"),
    _p("Notion integration token", _B + r"(ntn_\d{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})" + _E, "ntn_", "secret_"),
    # A bearer token starts with its run of A; a run of A after other base64 characters is encoded zero bytes.
    _p(
        "Twitter bearer token",
        r"(?<![A-Za-z0-9+/%])(AAAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{50,120})" + _E,
        "aaaaaaaaaaaaaaaaaaaaa",
    ),
    _p("Facebook access token", _B + r"(EAA[CG][A-Za-z0-9]{90,250})" + _E, "eaac", "eaag"),
    _p("Heroku API key", _B + r"(HRKU-[A-Za-z0-9_\-]{60})" + _E, "hrku-"),
    _p("Cloudflare origin CA key", _B + r"(v1\.0-[a-f0-9]{24}-[a-f0-9]{146})" + _E, "v1.0-"),
    _p("Perplexity API key", _B + r"(pplx-[A-Za-z0-9]{48})" + _E, "pplx-"),
    _p("xAI API key", _B + r"(xai-[A-Za-z0-9]{80})" + _E, "xai-"),
    _p("Fireworks API key", _B + r"(fw_[A-Za-z0-9]{24})" + _E, "fw_"),
    _p("LangSmith API key", _B + r"(lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})" + _E, "lsv2_"),
    _p("Kaggle API key", r"(?i)kaggle_?key[\"']?\s{0,20}[:=]\s{0,20}[\"']?([0-9a-f]{32})(?![0-9a-f])", "kaggle"),
)
