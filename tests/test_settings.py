"""Settings: defaults file, user file, environment, overrides — in that order."""

from __future__ import annotations

import pytest

from onrecord import ConfigError, Settings


def test_defaults_come_from_the_defaults_file():
    s = Settings.load(env={})
    assert s.model == "auto"
    assert s.max_input_bytes == 50 * 1024 * 1024


@pytest.mark.parametrize(
    "env, field, expected",
    [
        ({"ONRECORD_MODEL": "en_core_web_sm"}, "model", "en_core_web_sm"),
        ({"ONRECORD_MAX_TEXT_CHARS": "1000"}, "max_text_chars", 1000),
        ({"ONRECORD_NUMPY_GEMM": "false"}, "numpy_gemm", False),
        ({"ONRECORD_ARTICLE_TIMEOUT_S": "2.5"}, "article_timeout_s", 2.5),
    ],
)
def test_environment_overrides(env, field, expected):
    assert getattr(Settings.load(env=env), field) == expected


def test_user_file_then_keyword_override(tmp_path):
    f = tmp_path / "onrecord.toml"
    f.write_text('model = "from_file"\nmin_confidence = 0.5\n')
    s = Settings.load(f, env={}, model="from_kwarg")
    assert (s.model, s.min_confidence) == ("from_kwarg", 0.5)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"env": {"ONRECORD_NUMPY_GEMM": "maybe"}}, "not a valid bool"),
        ({"env": {}, "nonsense": 1}, "unknown setting"),
    ],
)
def test_bad_settings_are_config_errors(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        Settings.load(**kwargs)


def test_bad_toml_is_a_config_error(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text("model = ")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Settings.load(f, env={})


def test_every_setting_is_in_the_defaults_file():
    from dataclasses import fields
    from importlib import resources

    text = resources.files("onrecord").joinpath("defaults.toml").read_text()
    for f in fields(Settings):
        assert f"\n{f.name} = " in text, f"{f.name} is not documented in defaults.toml"
