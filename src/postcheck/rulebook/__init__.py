"""The rulebook: rules as data, loaded once and checked before any post is read.

It owns loading and validating rule files and lexicons (`loader`), the policy
map the rules cite (`policy`), the `match:` language (`expressions`), what is
learnt about each rule regex at load time (its pre-checks in `literals` and
`shapes`, its work bound in `regexbound`, both reading `sre` parse trees), the
detectors a rule can name (`detectors`), and the cache that keeps that work
between runs (`cache`). It may import only `postcheck.core`.
"""
