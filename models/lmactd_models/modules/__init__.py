"""The networks: CNN14 classifier, LMAC-TD (encoder, Hd, dual-path MaskNet, decoder), L-MAC's psi,
the shared transposed-conv decoder and its composed-pair export form."""
