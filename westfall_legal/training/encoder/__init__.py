"""The second-generation clause model: a fine-tuned BERT encoder with a multi-label head,
exported to GGUF and run by llama.cpp (:mod:`.data`, :mod:`.train`, :mod:`.run`)."""
