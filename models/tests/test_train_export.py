"""The default model's export (train/export.py): the data command its provenance records."""
from lmactd_models.train.export import data_command


def test_data_command_is_rebuilt_from_what_the_dataset_call_recorded():
    info = {"sizes": {"train": 5200, "val": 390, "test": 390}, "recipe": "real", "patShare": 0.35,
            "rerendered": ["piano", "strings"]}
    assert data_command(info) == ("models/lmactd-train dataset --out models/work/data --train 5200 --val 390 "
                                  "--test 390 --real-sources models/work/sources --pat-share 0.35 "
                                  "(last call re-rendered piano,strings with --only-labels)")
    synthetic = data_command({"sizes": {"train": 2600, "val": 390, "test": 390}, "recipe": "synthetic"})
    assert "--real-sources" not in synthetic and "--train 2600" in synthetic and "share" not in synthetic
    assert "--bell-share 0.4" in data_command({"recipe": "real", "bellShare": 0.4})
