"""Governance: what a force decides around the rules, and the record of each run.

It owns the configuration (`config`), the context a reviewer would use
(`context`: elections, live cases, bios, media), waivers (`waivers`), the
baseline (`baseline`; both match findings by the core's `fingerprint`), the
tamper-evident audit log (`audit`), and the recorder that applies them to
each post's findings (`recorder`). It may import the engine, the rulebook,
the inputs and the core, but not the reporters or the faces.
"""
