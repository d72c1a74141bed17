"""``model=llm``: any chat model behind an OpenAI-compatible ``/chat/completions`` endpoint (vLLM, llama.cpp
server, Ollama, a hosted API). ``adapter`` is the model; ``config`` checks its arguments, ``prompts`` renders
the versioned templates, ``client`` talks HTTP with retries, ``answers`` reads the model's JSON, ``spans``
places the strings it returned in the text, ``response_cache`` keeps every answer on disk."""
