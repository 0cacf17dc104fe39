"""``westfall finetune``: LoRA adapters for the local GGUF model, made from feedback bundles and
CUAD, compared with the clause classifier, registered as candidates.

``sft`` (examples, no torch) -> ``lora`` (training: torch, transformers, peft, imported
lazily) -> ``export`` (llama.cpp's converter) -> ``assess`` (the comparison and its gate) ->
``card`` (the model card); ``run`` orders them. docs/feedback.md, "The local model's LoRA adapter".
"""
