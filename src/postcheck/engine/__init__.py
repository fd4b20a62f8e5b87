"""The engine: a post's text in, findings out.

A post flows through `normalize` (evasions undone, offsets kept), `pipeline`
(spaCy, blank English, one annotator) and `tokens`, then every leaf matcher at
once (`matchers`), the rule expressions and guards (`evaluate`, `clauses`),
and becomes findings (`linter`). `parallel` spreads a queue over processes and
`trace` shows how each rule decided. It may import `postcheck.rulebook`,
`postcheck.inputs` and `postcheck.core`; the learned second-opinion model
belongs here too.
"""
