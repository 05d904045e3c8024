"""From PyTorch to model packages: the ONNX export and manifest (package), the ONNX graph passes
(convt_phase: polyphase ConvTranspose; convt_split: ConvTranspose split along time) and the golden files."""
