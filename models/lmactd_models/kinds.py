"""The table of interpreter kinds (interpreter.py): the one place that lists them. Package
export, random init, checkpoints, the reference, the golden files and the command line read
it; their order here is the order of the manifest's `interpreters` and of `random_models`'s
results."""
from .modules import lmac, lmactd

INTERPRETERS = {k.key: k for k in (lmactd.KIND, lmac.KIND)}


def kind(key, where=""):
    """The kind of a manifest or command-line key; ValueError naming the known ones."""
    if key not in INTERPRETERS:
        raise ValueError(f"{where}{': ' if where else ''}unknown interpreter '{key}' "
                         f"(known: {', '.join(INTERPRETERS)})")
    return INTERPRETERS[key]


def kind_of(model):
    """The kind whose model class `model` is."""
    for k in INTERPRETERS.values():
        if isinstance(model, k.model_class):
            return k
    raise ValueError(f"{type(model).__name__} is not an interpreter of a known kind")
