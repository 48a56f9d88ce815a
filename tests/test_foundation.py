"""Configuration, paths and the CLI skeleton."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import build_parser, main
from kiosk.config import Config, ConfigError, load_config, save_config
from kiosk.paths import DataPaths


def test_config_roundtrip(tmp_path: Path) -> None:
    cfg = Config()
    cfg = cfg.replace(station=cfg.station.__class__(id="desk-7", name="Library"))
    save_config(cfg, tmp_path / "config.toml")
    assert load_config(tmp_path / "config.toml") == cfg


def test_missing_config_means_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "nope.toml") == Config()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[sensor]\nbaud = 12345\n", "9600"),
        ("[sensor]\nbogus = 1\n", "unknown setting sensor.bogus"),
        ("[nonsense]\n", "unknown section"),
        ("[enrollment]\nsuggested_fingers = ['left-toe']\n", "left-toe"),
        ("[sync]\nbroker_url = 'http://x'\n", "mqtt://"),
        ("this is = = not toml", "not valid TOML"),
        ("[ui]\nkiosk_mode = 'yes'\n", "true or false"),
    ],
)
def test_bad_config_says_what_to_fix(tmp_path: Path, text: str, fragment: str) -> None:
    f = tmp_path / "config.toml"
    f.write_text(text)
    with pytest.raises(ConfigError, match=r"config\.toml") as info:
        load_config(f)
    assert fragment in str(info.value)


def test_data_paths_follow_override(tmp_path: Path) -> None:
    p = DataPaths.resolve(tmp_path / "d")
    p.ensure()
    assert p.database.parent == tmp_path / "d"
    assert p.logs.is_dir()


def test_common_options_work_at_every_level() -> None:
    parser = build_parser()
    for argv in (["--data-dir", "X", "sensor", "info"], ["sensor", "--data-dir", "X", "info"],
                 ["sensor", "info", "--data-dir", "X"]):
        args = parser.parse_args(argv)
        assert args.data_dir == "X", argv


def test_bad_config_is_a_clean_cli_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "config.toml").write_text("[sensor]\nbaud = 1\n")
    rc = main(["--data-dir", str(tmp_path), "--json", "sensor", "info", "--port", "loop://"])
    assert rc == 1
    assert '"bad-config"' in capsys.readouterr().out
