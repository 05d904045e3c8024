"""PyTorch reference of LMAC-TD (arXiv 2409.08655): front end, CNN14, LMAC-TD and L-MAC
interpreters in SpeechBrain's parameter layout, checkpoints, ONNX model packages, golden files.

Modules: sizes (size presets), frontend (log-mel, STFT/iSTFT), cnn14 (Classifier), lmactd
(LmacTd), masknet (dual-path MaskNet), lmac (Psi), convt (shared transposed-conv decoder).
"""
