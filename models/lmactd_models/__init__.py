"""PyTorch reference of LMAC-TD (arXiv 2409.08655): front end, CNN14, LMAC-TD and L-MAC
interpreters in SpeechBrain's parameter layout, checkpoints, ONNX model packages, golden files,
and the default model's recipe.

Packages: modules (the networks), export (ONNX export, graph passes, golden files), train (the
default model's training), data (its data). Top level: clip (sample rate and length), sizes,
frontend, metrics, interpreter and kinds (the interpreter kinds' table), randinit, checkpoints,
reference, blas, cli. models/README.md has the layout.
"""
