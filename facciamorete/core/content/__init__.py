"""The network's content pages shipped with the project (`pages/*.md`) and their loader.

`manage.py load_content` creates them in the database; from then on staff edit them in the
staff area, and the command never overwrites an existing page unless asked to (`--force`).
See docs/content.md.
"""
