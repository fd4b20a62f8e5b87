"""Inputs: reading posts from files, queues, directories and stdin, with what comes with them.

It owns the readers for each format (`sources`), the media and bios a post
carries (`attachments`), and the suppressions written in a post or its record
(`suppressions`: their syntax, and which findings they allow). It may import
only `postcheck.core`.
"""
