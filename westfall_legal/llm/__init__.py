"""The local LLM runtime (llama.cpp over GGUF models) and the model files it may load."""
