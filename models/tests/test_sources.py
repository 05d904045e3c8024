"""The real-recording catalogue of the data recipe: only allowed packages, every pool's split
fixed, files found by pattern with drum kits split by kit, and licences read per file (DEP-5)."""
import os

from lmactd_models.data import recipe, sources as S


def test_every_pool_and_soundfont_comes_from_an_allowed_package_and_a_known_class():
    for p in S.POOLS:
        assert p.package in S.ALLOWED, p
        assert p.cls in recipe.CLASSES, p
    for f in S.SOUNDFONTS:
        assert f.package in S.ALLOWED and S.ALLOWED[f.package] == "soundfont"
    for _, package, _ in S.VOICES:
        assert S.ALLOWED[package] == "voice"


def test_held_out_sources_exist_beside_training_ones():
    # one soundfont and one voice family held out, and at least one trained on
    assert {f.held_out for f in S.SOUNDFONTS} == {True, False}
    assert {h for _, _, h in S.VOICES} == {True, False}
    for cls in {p.cls for p in S.POOLS}:
        assert any(p.held_out for p in S.POOLS if p.cls == cls), cls
    names = [p.name for p in S.POOLS]
    assert len(names) == len(set(names))


def _touch(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "wb").close()


def test_files_split_drum_kits_by_kit_and_read_zip_members(tmp_path):
    kits = tmp_path / "hydrogen-drumkits" / S._KITS
    _touch(str(kits / "ColomboAcousticDrumkit" / "kick.flac"))
    _touch(str(kits / "SomeKit" / "snare.wav"))
    _touch(str(kits / "SomeKit" / "drumkit.xml"))
    train = next(p for p in S.POOLS if p.name == "hydrogen")
    held = next(p for p in S.POOLS if p.name == "hydrogen-held-out")
    assert [os.path.basename(f) for f in S.files(str(tmp_path), train)] == ["snare.wav"]
    assert [os.path.basename(f) for f in S.files(str(tmp_path), held)] == ["kick.flac"]
    _touch(str(tmp_path / "0ad-data" / "zip" / "audio/voice/napatan/civ/civ_male_attack_1.ogg"))
    napatan = next(p for p in S.POOLS if p.name == "0ad-voices-napatan")
    assert len(S.files(str(tmp_path), napatan)) == 1


def test_licence_of_takes_the_last_matching_stanza_and_continuation_lines():
    text = ("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
            "Files: *\nCopyright: someone\nLicense: GPL-2+\n\n"
            "Files:\n sounds/birds/*\n sounds/sea.ogg\nCopyright: other\nLicense: CC0\n text of the licence\n\n"
            "License: GPL-2+\n long text\n")
    assert S.licence_of(text, "sounds/birds/a.ogg") == "CC0"
    assert S.licence_of(text, "sounds/sea.ogg") == "CC0"
    assert S.licence_of(text, "music/x.ogg") == "GPL-2+"
    assert S.licence_of("Files: a/*\nLicense: MIT\n", "b/c") == ""


def test_fetch_refuses_a_package_that_is_not_allowed(tmp_path):
    import pytest
    with pytest.raises(ValueError, match="not an allowed"):
        S.fetch(str(tmp_path), ["some-other-sounds"])
