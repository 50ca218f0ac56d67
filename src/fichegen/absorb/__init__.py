"""`fichegen absorb`: a Word fiche edited by co-readers, read back into its positions file.

The layers, each depending only on those below:

- `run`        the command: checks (right file, git state), report, writing
- `yamledit`   surgical edits of the YAML text: only the changed values are rewritten
- `markdown`   a field's Word paragraphs back to Markdown, keeping the file's lines
- `document`   the .docx read through python-docx and lxml: revisions accepted or
               rejected, the text between each field's anchor bookmarks, comments

Edits are found by comparing the reviewed document with a fresh rendering of
the positions file, field by field: a field whose Word text is unchanged is
never touched, so absorbing an unedited fiche leaves the file byte for byte.
"""
