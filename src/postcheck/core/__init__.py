"""The core: the values every layer shares, and the safe YAML reader they all use.

It owns a post (`post`), a finding and its citation (`findings`), the
fingerprint that names a finding across edits (`fingerprint`), the account
types and severities, the one error type users see (`errors`), a run's tally
and the JSON report's post object (`report`), the version, and YAML loading
with line numbers (`yamlfile`). It imports nothing of postcheck outside itself,
so every other subpackage may import it.
"""
