"""The default model's recipe: classifier training (loop), the interpreters' training (interpreters),
evaluation (evaluate), the package export (export) and the lmactd-train command line (cli)."""
