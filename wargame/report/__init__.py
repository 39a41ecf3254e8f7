"""The after-action report in words, for the screens and without them: the words and
names every report uses (``labels``, ``names``, ``words``), the debrief as Markdown
(``debrief``) or as a web page with charts (``html``, ``charts``), and the comparison of
games (``compare``). Nothing here imports textual."""
