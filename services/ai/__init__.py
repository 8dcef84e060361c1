"""The AI layer: one ``ChatModel`` protocol, two adapters, validated JSON and the model choice.

The package itself imports nothing (the SDKs are slow to import); use the modules:
- ``model``: ``ChatModel`` — ``generate(messages, *, schema, max_tokens, on_delta, cancel, progress) -> str``,
  ``check()``, ``close()``; ``name``, ``model``, ``input_chars``, ``context_tokens``.
- ``gemini.GeminiModel`` (``google-genai``) and ``openai_compat.OpenAICompatModel`` (ko-gemma on a Hugging
  Face endpoint, TGI or vLLM, through ``huggingface_hub.InferenceClient``).
- ``validated.generate_validated(model, messages, Schema)``: the JSON schema from the pydantic model, one
  repair, then ``errors.AIFormatRejected``; ``json_output``: the schema adaptation and fence stripping.
- ``choice``: which engine a summary and the analysis use (``summary_engine``, ``analysis_engine``), and
  ``build_model`` / ``analysis_model``; ``names``: the engine names and default model ids.
- ``errors.AIError``: every failure, with a Korean message.
"""
