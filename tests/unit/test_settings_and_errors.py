from __future__ import annotations

from pathlib import Path

import pytest

from westfall_legal import paths
from westfall_legal.errors import EncryptedPdfError, InputNotFoundError, SettingsError
from westfall_legal.settings import Settings, load, save


def test_data_dir_follows_westfall_home(app_home: Path) -> None:
    assert paths.data_dir() == app_home
    assert paths.user_models_dir() == app_home / "models"


def test_settings_round_trip_and_defaults(tmp_path: Path) -> None:
    target = tmp_path / "s.toml"
    assert load(target) == Settings()
    custom = Settings().replace(llm_threads=2, use_llm=False, ocr_language="eng+deu")
    save(custom, target)
    assert load(target) == custom


@pytest.mark.parametrize(
    ("content", "words"),
    [("llm_threads = 'two'\n", "should be int"), ("colour = 1\n", "unknown"), ("= =", "cannot")],
)
def test_bad_settings_are_clear_errors(tmp_path: Path, content: str, words: str) -> None:
    target = tmp_path / "s.toml"
    target.write_text(content)
    with pytest.raises(SettingsError, match=words) as info:
        load(target)
    assert str(target) in info.value.user_line()


def test_errors_carry_the_next_step_and_exit_code() -> None:
    err = EncryptedPdfError("/x/a.pdf: the PDF is password-protected.")
    assert "--password" in err.user_line() and err.exit_code == 5
    missing = InputNotFoundError.for_path(Path("/x/b.pdf"))
    assert missing.user_line().startswith("/x/b.pdf: no such file.")


def test_ocr_engine_follows_the_settings() -> None:
    from westfall_legal.pipeline import Engines

    engine = Engines().ocr_engine(Settings().replace(ocr_dpi=200, ocr_language="eng+deu"))
    assert (engine.dpi, engine.language) == (200, "eng+deu")  # type: ignore[attr-defined]
    with pytest.raises(SettingsError, match="not a Tesseract language"):
        Engines().ocr_engine(Settings().replace(ocr_language="eng; rm -rf"))
